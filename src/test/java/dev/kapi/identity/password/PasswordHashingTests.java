package dev.kapi.identity.password;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashingTests {

    @Test
    void argon2idWhenHashingThenOwaspsMinimumParametersAndEarlierHashesStillVerify() {
        Argon2PasswordEncoder encoder = PasswordHashing.owaspArgon2id();

        String hash = encoder.encode("correct-horse-9");
        String earlier = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("correct-horse-9");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(encoder.matches("correct-horse-9", hash)).isTrue();
        assertThat(encoder.matches("wrong-horse-9", hash)).isFalse();
        assertThat(encoder.matches("correct-horse-9", earlier)).isTrue();
        assertThat(encoder.upgradeEncoding(earlier)).isTrue();
    }

}
