package dev.kapi.plans;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlanMessagesTests {

    private static final List<String> CODES = List.of("package-name-taken", "package-not-found", "package-in-use",
            "package-days-invalid", "content-value-unknown", "content-not-found", "user-package-not-found",
            "credit-amount-invalid", "credit-total-invalid", "insufficient-credits", "reservation-not-found",
            "reservation-committed", "reservation-refunded");

    @Test
    void everyPlansErrorWhenAskedInTurkishOrEnglishThenHasItsOwnTextWithTheArgumentsFilledIn() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        Object[] args = { "first", "second" };

        for (String code : CODES) {
            String turkish = messages.getMessage("error." + code, args, null, Locale.forLanguageTag("tr"));
            String english = messages.getMessage("error." + code, args, null, Locale.ENGLISH);
            assertThat(turkish).as(code).isNotBlank().doesNotContain("{");
            assertThat(english).as(code).isNotBlank().doesNotContain("{").isNotEqualTo(turkish);
        }
        assertThat(messages.getMessage("error.insufficient-credits", new Object[] { 2L, 3L }, Locale.ENGLISH))
            .isEqualTo("Not enough credits: balance 2, needed 3");
    }

}
