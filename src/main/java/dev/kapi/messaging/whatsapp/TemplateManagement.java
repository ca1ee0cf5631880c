package dev.kapi.messaging.whatsapp;

import java.time.Clock;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * WhatsApp message templates: synced from Meta for a WhatsApp Cloud sender's business
 * account ({@code waba_id}), and listed per sender. Senders sharing a business account
 * share its templates.
 */
@Service
class TemplateManagement {

    private final Senders senders;

    private final MessageTemplates templates;

    private final WhatsAppCloud cloud;

    private final Clock clock;

    TemplateManagement(Senders senders, MessageTemplates templates, WhatsAppCloud cloud, Clock clock) {
        this.senders = senders;
        this.templates = templates;
        this.cloud = cloud;
        this.clock = clock;
    }

    /**
     * Reads all of the business account's templates from Meta (every page) and stores
     * them, replacing what was synced before. A sender that is not WhatsApp Cloud with a
     * {@code waba_id} is a 409; Meta's refusal or silence a 502
     * {@code template-sync-failed}.
     */
    @Transactional
    List<MessageTemplate> sync(long owner, long senderId) {
        Sender sender = syncable(owner, senderId);
        List<MessageTemplates.Synced> synced;
        try {
            synced = cloud.templates(sender);
        }
        catch (WhatsAppCloud.SyncFailed ex) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "template-sync-failed", ex.getMessage());
        }
        templates.replace(owner, sender.wabaId(), synced, clock.instant());
        return templates.page(owner, sender.wabaId(), null, Integer.MAX_VALUE - 1);
    }

    /**
     * The templates of the sender's business account in id order (none for a sender
     * without one).
     */
    @Transactional(readOnly = true)
    Page<MessageTemplate> list(long owner, long senderId, String cursor, int limit) {
        Sender sender = senders.byId(owner, senderId).orElseThrow(Sender::notFound);
        if (sender.wabaId() == null) {
            return Page.byId(List.of(), limit, MessageTemplate::id);
        }
        return Page.byId(templates.page(owner, sender.wabaId(), Cursors.afterId(cursor), limit), limit,
                MessageTemplate::id);
    }

    private Sender syncable(long owner, long senderId) {
        Sender sender = senders.byId(owner, senderId).orElseThrow(Sender::notFound);
        if (!Sender.WHATSAPP_CLOUD.equals(sender.provider()) || sender.wabaId() == null
                || sender.sealedAccessToken() == null) {
            throw ApiException.conflict("sender-has-no-business-account");
        }
        return sender;
    }

}
