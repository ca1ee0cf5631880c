package dev.kapi.webhooks;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.support.ApiDocs;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event types in {@code /v3/api-docs} (what the typed client is generated from) are
 * the ones a webhook may subscribe to, so the description cannot drift from them.
 */
class WebhooksOpenApiIntegrationTests extends IntegrationTest {

    @Test
    void eventTypesWhenDescribedThenAreTheSubscribableEvents() {
        ApiDocs docs = ApiDocs.of(client());
        List<String> events = Webhooks.EVENTS.stream().sorted().toList();

        assertThat(events).contains("account.updated", "trading.trade.executed");
        for (Class<?> record : WebhooksOpenApi.LISTING_EVENTS) {
            assertThat(docs.itemValues(record.getSimpleName(), "events")).as(record.getSimpleName())
                .containsExactlyElementsOf(events);
        }
        assertThat(docs.values("DeliveryResponse", "type")).containsExactlyElementsOf(events);
    }

}
