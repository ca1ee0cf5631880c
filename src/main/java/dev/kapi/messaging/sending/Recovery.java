package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.queue.MessageStatus;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;

/**
 * Messages left in {@code sending} longer than the lease belong to a worker that died
 * between the send and its record. Each is looked up with its provider by its idempotency
 * key: accepted means sent (it is recorded, not resent), not accepted means pending
 * again; a provider that cannot tell gets the message marked failed with
 * {@code outcome-unknown}, because sending it twice is worse than not at all.
 */
@Component
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final QueueMessages messages;

    private final Senders senders;

    private final ProviderCalls calls;

    private final Outcomes outcomes;

    private final MessagingSettings.Worker settings;

    private final TransactionTemplate transactions;

    private final Clock clock;

    Recovery(QueueMessages messages, Senders senders, ProviderCalls calls, Outcomes outcomes,
            MessagingSettings settings, TransactionTemplate transactions, Clock clock) {
        this.messages = messages;
        this.senders = senders;
        this.calls = calls;
        this.outcomes = outcomes;
        this.settings = settings.worker();
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Recovers up to a batch of abandoned messages for {@code worker}; returns how many.
     */
    int recoverAbandoned(String worker) {
        Instant now = clock.instant();
        List<QueueMessages.Abandoned> abandoned = transactions
            .execute(status -> messages.claimAbandoned(now.minus(settings.lease()), worker, settings.batchSize(), now));
        if (abandoned == null || abandoned.isEmpty()) {
            return 0;
        }
        Map<Long, Sender> byId = new HashMap<>();
        senders.byIds(
                abandoned.stream().map(QueueMessages.Abandoned::senderId).filter(Objects::nonNull).distinct().toList())
            .forEach(sender -> byId.put(sender.id(), sender));
        List<Long> sentIds = new ArrayList<>();
        List<String> providerIds = new ArrayList<>();
        List<Long> billedIds = new ArrayList<>();
        List<QueueMessages.Outcome> unknown = new ArrayList<>();
        List<QueueMessages.Outcome> notSent = new ArrayList<>();
        for (QueueMessages.Abandoned message : abandoned) {
            Sender sender = message.senderId() == null ? null : byId.get(message.senderId());
            Provider.Lookup lookup = sender == null ? new Provider.Unknown() : calls.lookup(sender, message.id());
            switch (lookup) {
                case Provider.WasSent sent -> {
                    sentIds.add(message.id());
                    providerIds.add(sent.providerMessageId());
                    if (sent.billed()) {
                        billedIds.add(message.id());
                    }
                }
                case Provider.NotSent notSentYet ->
                    notSent.add(new QueueMessages.Outcome(message.id(), null, null, null, null, null, null));
                case Provider.Unknown cannotTell -> unknown.add(new QueueMessages.Outcome(message.id(),
                        MessageStatus.FAILED, null, QueueMessages.UNKNOWN_OUTCOME,
                        "The sender stopped while sending; not resent to avoid a double", false, null));
            }
        }
        outcomes.write(sentIds, providerIds, billedIds, notSent, true, unknown);
        log.info("Recovered {} abandoned messages: {} had been sent, {} were not, {} unknown", abandoned.size(),
                sentIds.size(), notSent.size(), unknown.size());
        return abandoned.size();
    }

}
