package dev.kapi.messaging;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.draft.Templates;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingRulesTests {

    @Test
    void normaliseWhenTurkishNumbersAreWrittenAnyWayThenE164() {
        for (String written : List.of("0555 123 45 67", "05551234567", "555 123 45 67", "90 555 123 45 67",
                "+90 (555) 123-45-67", "0090 555 123 4567", "+905551234567")) {
            assertThat(PhoneNumbers.normalise(written)).as(written).contains("+905551234567");
        }
        assertThat(PhoneNumbers.normalise("+49 30 1234567")).contains("+49301234567");
        for (String bad : List.of("", "12345", "0555 123 45", "+90 055 123 45 67", "phone", "+", "055512345678")) {
            assertThat(PhoneNumbers.normalise(bad)).as(bad).isEqualTo(Optional.empty());
        }
    }

    @Test
    void renderWhenVariablesAreKnownOrMissingThenFilledOrLeftEmpty() {
        String text = "Merhaba {{name}}, {{ city }} şubemiz {{phone}} numaranızı arayacak. {{unvan}}";

        assertThat(Templates.variables(text)).containsExactly("name", "city", "phone", "unvan");
        assertThat(Templates.render(text, "Ayşe", "+905551234567", Map.of("city", "İzmir")))
            .isEqualTo("Merhaba Ayşe, İzmir şubemiz +905551234567 numaranızı arayacak. ");
        assertThat(Templates.render("$1 {{name}}", "\\o/", "x", Map.of())).isEqualTo("$1 \\o/");
    }

    @Test
    void optOutWhenAnOptOutWordIsAmongTheWordsThenTrueInAnyCase() {
        Automation settings = Automation.defaults();

        assertThat(settings.isOptOut("STOP")).isTrue();
        assertThat(settings.isOptOut("Lütfen İPTAL edin")).isTrue();
        assertThat(settings.isOptOut("artık istemiyorum!")).isTrue();
        assertThat(settings.isOptOut("dur")).isTrue();
        assertThat(settings.isOptOut("durum nedir?")).isFalse();
        assertThat(settings.isOptOut("Teşekkürler")).isFalse();
    }

    @Test
    void everyMessagingErrorWhenAskedInTurkishOrEnglishThenHasItsOwnText() throws Exception {
        Properties turkish = new Properties();
        try (var in = getClass().getResourceAsStream("/messages.properties")) {
            turkish.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        Object[] args = { "first" };
        List<String> codes = List.of("phone-invalid", "customer-phone-taken", "unknown-variable", "queue-not-found",
                "sender-in-use", "webhook-signature-invalid", "import-unclosed-quote", "limit-invalid");

        for (String code : codes) {
            String tr = messages.getMessage("error." + code, args, null, Locale.forLanguageTag("tr"));
            String en = messages.getMessage("error." + code, args, null, Locale.ENGLISH);
            assertThat(tr).as(code).isNotBlank().doesNotContain("{0}").doesNotContain("''");
            assertThat(en).as(code).isNotBlank().doesNotContain("{0}").isNotEqualTo(tr);
        }
        assertThat(messages.getMessage("error.unknown-variable", new Object[] { "unvan" }, Locale.ENGLISH))
            .startsWith("Unknown variable: {{unvan}}. Available: {{name}}, {{phone}}");
        assertThat(turkish.stringPropertyNames().stream().filter(key -> key.startsWith("error.")).count())
            .isGreaterThan(40);
    }

}
