package dev.kapi.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.kapi.shared.database.LocalSecrets;
import dev.kapi.shared.sealing.SealingSettings;
import dev.kapi.shared.sealing.SecretSealer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretSealerTests {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);

    private static final String KEY_B = Base64.getEncoder()
        .encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealThenOpenGivesThePlaintextAndTheSealedTextDoesNotContainIt() {
        SecretSealer sealer = sealer(KEY_A);

        String sealed = sealer.seal("api-secret-value", "api-key:1");

        assertThat(sealed).startsWith("v1:").doesNotContain("api-secret-value");
        assertThat(sealer.open(sealed, "api-key:1")).isEqualTo("api-secret-value");
        assertThat(sealer.seal("api-secret-value", "api-key:1")).isNotEqualTo(sealed);
    }

    @Test
    void openWhenContextDiffersOrCiphertextAlteredThenRefused() {
        SecretSealer sealer = sealer(KEY_A);
        String sealed = sealer.seal("secret", "owner:1");
        int middle = sealed.lastIndexOf(':') + 20;
        String altered = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'Q' : 'A')
                + sealed.substring(middle + 1);

        assertThatExceptionOfType(SecretSealer.SealingException.class).isThrownBy(() -> sealer.open(sealed, "owner:2"));
        assertThatExceptionOfType(SecretSealer.SealingException.class)
            .isThrownBy(() -> sealer.open(altered, "owner:1"));
    }

    @Test
    void rotationWhenNewKeyWithOldOneAsPreviousThenOldValuesOpenAndAreMarkedForResealing() {
        String sealedWithA = sealer(KEY_A).seal("secret", "c");
        SecretSealer rotated = new SecretSealer(new SealingSettings(KEY_B, List.of(KEY_A)), noLocalSecrets());

        assertThat(rotated.open(sealedWithA, "c")).isEqualTo("secret");
        assertThat(rotated.needsResealing(sealedWithA)).isTrue();
        assertThat(rotated.needsResealing(rotated.seal("secret", "c"))).isFalse();
        assertThatExceptionOfType(SecretSealer.SealingException.class)
            .isThrownBy(() -> sealer(KEY_B).open(sealedWithA, "c"));
    }

    @Test
    void derivedKeysThenHmacOfTheMasterKeyAndTheLabelCurrentFirstAndNeverTheMasterKeyItself() throws Exception {
        SecretSealer rotated = new SecretSealer(new SealingSettings(KEY_B, List.of(KEY_A)), noLocalSecrets());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY_B), "HmacSHA256"));

        List<byte[]> keys = rotated.derivedKeys("kapi:code-hmac:v1");

        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isEqualTo(mac.doFinal("kapi:code-hmac:v1".getBytes(StandardCharsets.UTF_8)))
            .isNotEqualTo(Base64.getDecoder().decode(KEY_B));
        assertThat(keys.get(1)).isEqualTo(sealer(KEY_A).derivedKeys("kapi:code-hmac:v1").getFirst());
        assertThat(rotated.derivedKeys("kapi:other:v1").getFirst()).isNotEqualTo(keys.get(0));
    }

    @Test
    void startWhenNoKeyOnAnExternalDatabaseOrAShortKeyThenRefused() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new SecretSealer(new SealingSettings(null, List.of()), noLocalSecrets()))
            .withMessageContaining("KAPI_MASTER_KEY");
        assertThatIllegalStateException().isThrownBy(() -> sealer(Base64.getEncoder().encodeToString(new byte[16])))
            .withMessageContaining("32 bytes");
    }

    private static SecretSealer sealer(String key) {
        return new SecretSealer(new SealingSettings(key, List.of()), noLocalSecrets());
    }

    private static org.springframework.beans.factory.ObjectProvider<LocalSecrets> noLocalSecrets() {
        return new StaticListableBeanFactory().getBeanProvider(LocalSecrets.class);
    }

}
