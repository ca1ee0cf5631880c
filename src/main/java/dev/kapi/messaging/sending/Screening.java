package dev.kapi.messaging.sending;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.kapi.messaging.contact.ListEntries;
import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.whatsapp.BusinessAccounts;
import dev.kapi.messaging.whatsapp.ServiceWindows;

/**
 * Screens a claimed batch before anything is sent: numbers blacklisted since the queue
 * started are skipped ({@code blacklisted}); so are the recipients of a free-form queue
 * outside their 24-hour service window when the account is a WhatsApp Cloud one
 * ({@code outside-service-window}); template messages that the business account's
 * messaging tier does not let out yet go back to pending, due when it does.
 */
@Component
final class Screening {

    private final QueueMessages messages;

    private final ListEntries lists;

    private final ServiceWindows windows;

    private final BusinessAccounts businessAccounts;

    Screening(QueueMessages messages, ListEntries lists, ServiceWindows windows, BusinessAccounts businessAccounts) {
        this.messages = messages;
        this.lists = lists;
        this.windows = windows;
        this.businessAccounts = businessAccounts;
    }

    /**
     * Removes from {@code claimed} what may not go out now (skipped or deferred in the
     * database, inside the claim's transaction); returns how many were deferred.
     */
    int screen(Sender sender, List<QueueMessages.Claimed> claimed, Map<Long, Queue> byQueue, String worker,
            Instant now) {
        Set<String> blacklisted = lists.listed(sender.ownerId(), ListEntries.BLACK,
                claimed.stream().map(QueueMessages.Claimed::phone).toList());
        if (!blacklisted.isEmpty()) {
            messages.skip(claimed.stream()
                .filter(m -> blacklisted.contains(m.phone()))
                .map(QueueMessages.Claimed::id)
                .toList(), "blacklisted", now);
            claimed.removeIf(m -> blacklisted.contains(m.phone()));
        }
        if (Sender.WHATSAPP_CLOUD.equals(sender.provider())) {
            Set<String> open = windows.open(sender.ownerId(),
                    claimed.stream()
                        .filter(m -> byQueue.get(m.queueId()).freeForm())
                        .map(QueueMessages.Claimed::phone)
                        .toList(),
                    now);
            List<QueueMessages.Claimed> outside = claimed.stream()
                .filter(m -> byQueue.get(m.queueId()).freeForm() && !open.contains(m.phone()))
                .toList();
            messages.skip(outside.stream().map(QueueMessages.Claimed::id).toList(), "outside-service-window", now);
            claimed.removeAll(outside);
        }
        if (sender.wabaId() == null) {
            return 0;
        }
        List<QueueMessages.Claimed> templated = claimed.stream()
            .filter(m -> !byQueue.get(m.queueId()).freeForm())
            .toList();
        if (templated.isEmpty()) {
            return 0;
        }
        BusinessAccounts.Admission admission = businessAccounts.admit(sender.ownerId(), sender.wabaId(),
                templated.stream().map(QueueMessages.Claimed::phone).toList(), now);
        List<QueueMessages.Claimed> waiting = templated.stream()
            .filter(m -> !admission.admitted().contains(m.phone()))
            .toList();
        if (waiting.isEmpty()) {
            return 0;
        }
        messages.defer(waiting.stream().map(QueueMessages.Claimed::id).toList(), worker, admission.retryAt(), now);
        claimed.removeAll(waiting);
        return waiting.size();
    }

}
