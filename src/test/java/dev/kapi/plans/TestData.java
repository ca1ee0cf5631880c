package dev.kapi.plans;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Names and ids no other test uses (the tests share one database), and the refusal a call
 * ends in.
 */
final class TestData {

    /**
     * Far above the ids identity hands out in a test run (the database is new for each
     * run); plans keeps account ids without asking identity.
     */
    private static final AtomicLong ACCOUNT_IDS = new AtomicLong(1_000_000_000_000L);

    private TestData() {
    }

    static String packageName() {
        return "Package " + UUID.randomUUID();
    }

    static long accountId() {
        return ACCOUNT_IDS.incrementAndGet();
    }

    static ApiException refusal(ThrowingCallable call) {
        ApiException refused = catchThrowableOfType(ApiException.class, call);
        assertThat(refused).as("the ApiException the call was refused with").isNotNull();
        return refused;
    }

}
