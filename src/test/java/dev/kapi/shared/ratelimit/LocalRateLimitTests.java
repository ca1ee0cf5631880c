package dev.kapi.shared.ratelimit;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.kapi.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route marked {@code local} is counted in the instance's memory: the same limits per
 * client and minute, without the database (here there is none: nothing listens at its
 * address).
 */
class LocalRateLimitTests {

    private final MutableClock clock = new MutableClock();

    private final RateLimiter limiter = new RateLimiter(
            new RateLimitSettings(true, 300,
                    List.of(new RateLimitSettings.Route(HttpMethod.POST, "/oauth2/introspect", 3, true))),
            new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:9/none"), clock);

    @Test
    void aLocalRouteWhenFourthInAMinuteThenRefusedForThatClientOnlyUntilTheMinuteIsOver() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.consume(introspection(), "account:service-key:1").allowed()).isTrue();
        }

        RateLimiter.Decision refused = limiter.consume(introspection(), "account:service-key:1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 21L);
        assertThat(limiter.consume(introspection(), "account:service-key:2").allowed()).isTrue();

        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.consume(introspection(), "account:service-key:1").allowed()).isTrue();
    }

    private static MockHttpServletRequest introspection() {
        return new MockHttpServletRequest("POST", "/oauth2/introspect");
    }

}
