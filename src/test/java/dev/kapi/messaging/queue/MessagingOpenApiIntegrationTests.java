package dev.kapi.messaging.queue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.support.ApiDocs;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messaging's statuses in {@code /v3/api-docs} (what the typed client is generated from)
 * are its enums' wire names, in answers and in the status filters, so the description
 * cannot drift from the life cycles.
 */
class MessagingOpenApiIntegrationTests extends IntegrationTest {

    @Test
    void queueStatusWhenDescribedThenListsEveryQueueStatus() {
        ApiDocs docs = ApiDocs.of(client());
        List<String> statuses = Arrays.stream(QueueStatus.values()).map(QueueStatus::wire).toList();

        assertThat(docs.values("QueueResponse", "status")).containsExactlyElementsOf(statuses);
        assertThat(docs.values("OwnedQueueResponse", "status")).containsExactlyElementsOf(statuses);
        assertThat(docs.parameterValues("/api/admin/messaging/queues", "status")).containsExactlyElementsOf(statuses);
    }

    @Test
    void messageStatusWhenDescribedThenListsEveryMessageStatus() {
        ApiDocs docs = ApiDocs.of(client());
        List<String> statuses = Arrays.stream(MessageStatus.values()).map(MessageStatus::wire).toList();

        assertThat(docs.values("MessageResponse", "status")).containsExactlyElementsOf(statuses);
        assertThat(docs.parameterValues("/api/messaging/queues/{id}/messages", "status"))
            .containsExactlyElementsOf(statuses);
        assertThat(docs.parameterValues("/api/admin/messaging/users/{userId}/messages", "status"))
            .containsExactlyElementsOf(statuses);
    }

}
