package dev.kapi.identity.token;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AccessTokensTests {

    @Test
    void startWhenNoSecretAndNoEmbeddedDatabaseThenRefusedWithAClearMessage() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new AccessTokens(settings(null), noLocalSecrets(), Clock.systemUTC()))
            .withMessageContaining("KAPI_JWT_SECRET");
    }

    @Test
    void startWhenSecretShorterThan32BytesThenRefused() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new AccessTokens(settings("too-short-secret"), noLocalSecrets(), Clock.systemUTC()))
            .withMessageContaining("at least 32 bytes");
    }

    @Test
    void issueWhenSecretConfiguredThenTokenDecodesWithSubjectAndSession() {
        AccessTokens tokens = new AccessTokens(settings("0123456789abcdef0123456789abcdef"), noLocalSecrets(),
                Clock.systemUTC());
        java.util.UUID session = java.util.UUID.randomUUID();

        AccessTokens.Issued issued = tokens.issue(42, session);

        var jwt = tokens.decoder().decode(issued.value());
        assertThat(jwt.getSubject()).isEqualTo("42");
        assertThat(jwt.getClaimAsString("sid")).isEqualTo(session.toString());
        assertThat(issued.expiresInSeconds()).isEqualTo(1800);
    }

    private static org.springframework.beans.factory.ObjectProvider<dev.kapi.shared.database.LocalSecrets> noLocalSecrets() {
        return new StaticListableBeanFactory().getBeanProvider(dev.kapi.shared.database.LocalSecrets.class);
    }

    private static IdentitySettings settings(String secret) {
        return TestSettings.identity(secret, null);
    }

}
