package dev.kapi.identity;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockoutTests {

    @Test
    void locksAtWhenTryReachesMaxFailuresThenThatTryAndLaterOnesLock() {
        IdentitySettings.Lockout lockout = new IdentitySettings.Lockout(5, Duration.ofMinutes(15));

        assertThat(lockout.locksAt(4)).isFalse();
        assertThat(lockout.locksAt(5)).isTrue();
        assertThat(lockout.locksAt(6)).isTrue();
    }

    @Test
    void locksAtWhenOneFailureAllowedThenTheFirstTryLocks() {
        assertThat(new IdentitySettings.Lockout(1, Duration.ofMinutes(15)).locksAt(1)).isTrue();
    }

}
