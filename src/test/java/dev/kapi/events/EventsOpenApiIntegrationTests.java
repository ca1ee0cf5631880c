package dev.kapi.events;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.support.ApiDocs;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registration's states in {@code /v3/api-docs} (what the typed client is generated
 * from) are the ones a registration takes, so the description cannot drift from them.
 */
class EventsOpenApiIntegrationTests extends IntegrationTest {

    @Test
    void registrationStatusWhenDescribedThenIsEveryStateARegistrationTakes() {
        ApiDocs docs = ApiDocs.of(client());

        assertThat(docs.values("RegistrationResponse", "status")).containsExactlyInAnyOrder(Registration.CONFIRMED,
                Registration.WAITLISTED, Registration.PENDING, Registration.DECLINED, Registration.CANCELLED);
    }

}
