package dev.kapi.messaging.sending;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.draft.TemplateMessage;
import dev.kapi.messaging.draft.Templates;
import dev.kapi.messaging.queue.Message;
import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.sender.Sender;

/**
 * Hands a claimed batch to its account's {@link Provider}: first a permit per message
 * ({@code max-in-flight} per instance; waits while the instance is at its bound), then
 * the whole batch becomes {@code sending} in one statement, just before its calls, which
 * all start at once, each on its own virtual thread with the message rendered for its
 * recipient. Each answer goes to {@link Outcomes} as it comes.
 */
@Component
final class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

    private final Map<String, Provider> providers;

    private final QueueMessages messages;

    private final Customers customers;

    private final Outcomes outcomes;

    private final Clock clock;

    /** Provider calls in flight on this instance, at most {@code max-in-flight}. */
    private final Semaphore inFlight;

    ProviderCalls(List<Provider> providers, QueueMessages messages, Customers customers, Outcomes outcomes,
            MessagingSettings settings, Clock clock) {
        this.providers = providers.stream().collect(Collectors.toMap(Provider::name, provider -> provider));
        this.messages = messages;
        this.customers = customers;
        this.outcomes = outcomes;
        this.clock = clock;
        this.inFlight = new Semaphore(Math.max(1, settings.worker().maxInFlight()));
    }

    /**
     * Starts the batch's calls for {@code worker} (the messages no longer its to send are
     * left out); the future completes when every outcome is written.
     */
    CompletableFuture<Void> start(MessageSender.Batch batch, String worker) {
        Provider provider = providers.get(batch.sender().provider());
        int size = batch.messages().size();
        inFlight.acquireUninterruptibly(size);
        Map<Long, Integer> attempts;
        try {
            attempts = messages.beginAll(batch.messages().stream().map(QueueMessages.Claimed::id).toList(), worker,
                    clock.instant());
        }
        catch (RuntimeException ex) {
            inFlight.release(size);
            throw ex;
        }
        inFlight.release(size - attempts.size());
        Outcomes.Group group = new Outcomes.Group(batch.sender().id(), attempts.size());
        for (QueueMessages.Claimed message : batch.messages()) {
            Integer tries = attempts.get(message.id());
            if (tries == null) {
                continue;
            }
            Thread.ofVirtual().start(() -> {
                Provider.Result result;
                try {
                    result = provider.send(batch.sender(), outgoing(batch, message));
                }
                catch (RuntimeException ex) {
                    log.warn("Send of message {} failed unexpectedly", message.id(), ex);
                    result = Provider.Failed.of(Provider.Kind.TEMPORARY, "provider-error",
                            "The provider could not be reached");
                }
                finally {
                    inFlight.release();
                }
                outcomes.answered(group, message.id(), message.queueId(), tries, result);
            });
        }
        return group.done();
    }

    /**
     * Marks one claimed message as being sent, just before its provider call; returns its
     * attempts counting this one, or -1 when it is no longer {@code worker}'s to send
     * (cancelled, skipped, or claimed by another after this worker's claim ran out).
     */
    int begin(QueueMessages.Claimed message, String worker) {
        return messages.begin(message.id(), worker, clock.instant());
    }

    /**
     * What the account's provider knows of an earlier send of this message (after a
     * crash).
     */
    Provider.Lookup lookup(Sender sender, long messageId) {
        return providers.get(sender.provider()).lookup(sender, Message.idempotencyKey(messageId));
    }

    /**
     * The message for one recipient: the queue's text, or its template's body parameters,
     * filled from the customer.
     */
    private Provider.Outgoing outgoing(MessageSender.Batch batch, QueueMessages.Claimed message) {
        Map<String, String> fields = message.fields() == null ? Map.of() : customers.readFields(message.fields());
        Queue queue = batch.queues().get(message.queueId());
        String key = Message.idempotencyKey(message.id());
        if (queue.template() != null) {
            TemplateMessage template = queue.template();
            return new Provider.Outgoing(key, message.phone(), null,
                    new TemplateMessage(template.name(), template.language(), template.headerType(),
                            template.headerLink(),
                            template.bodyParameters()
                                .stream()
                                .map(parameter -> Templates.render(parameter, message.name(), message.phone(), fields))
                                .toList(),
                            template.buttons()));
        }
        if (queue.rich() != null) {
            return new Provider.Outgoing(key, message.phone(), null, null,
                    queue.rich().filled(text -> Templates.render(text, message.name(), message.phone(), fields)));
        }
        return new Provider.Outgoing(key, message.phone(),
                Templates.render(queue.body(), message.name(), message.phone(), fields));
    }

}
