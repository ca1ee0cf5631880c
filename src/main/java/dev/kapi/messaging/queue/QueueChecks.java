package dev.kapi.messaging.queue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.contact.Groups;
import dev.kapi.messaging.draft.TemplateMessage;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.messaging.whatsapp.MessageTemplate;
import dev.kapi.messaging.whatsapp.MessageTemplates;
import dev.kapi.shared.ApiException;

/**
 * What a new queue may name: the owner's own sending accounts, groups and customers (400
 * naming the field and the first unknown id otherwise), and for a template draft a
 * template that every one of its senders' business accounts has approved.
 */
@Component
final class QueueChecks {

    private final Senders senders;

    private final Groups groups;

    private final Customers customers;

    private final MessageTemplates templates;

    QueueChecks(Senders senders, Groups groups, Customers customers, MessageTemplates templates) {
        this.senders = senders;
        this.groups = groups;
        this.customers = customers;
        this.templates = templates;
    }

    /** The owner's senders among {@code ids}, each once, in order. */
    List<Long> senders(long owner, List<Long> ids) {
        return owned("sender_ids", ids, senders.owned(owner, ids), "sender-unknown");
    }

    /** The owner's groups among {@code ids}, each once, in order. */
    List<Long> groups(long owner, List<Long> ids) {
        return owned("group_ids", ids, groups.owned(owner, ids), "group-unknown");
    }

    /** The owner's customers among {@code ids}, each once, in order. */
    List<Long> customers(long owner, List<Long> ids) {
        return owned("customer_ids", ids, customers.owned(owner, ids), "customer-unknown");
    }

    /**
     * Whether any of a queue's sending accounts still exists (409 on start otherwise).
     */
    boolean anySender(long owner, List<Long> ids) {
        return !senders.owned(owner, ids).isEmpty();
    }

    /**
     * A template draft may be queued only from WhatsApp Cloud senders whose business
     * account has the template APPROVED, with exactly the body parameters it declares and
     * its media header (400 naming the field otherwise). Returns the template's category.
     */
    String approvedTemplate(long owner, TemplateMessage wanted, List<Long> senderIds) {
        String category = null;
        for (Sender sender : senders.byIds(senderIds)) {
            if (!Sender.WHATSAPP_CLOUD.equals(sender.provider()) || sender.wabaId() == null) {
                throw ApiException.invalidField("sender_ids", "template-needs-business-account", sender.id());
            }
            MessageTemplate template = templates.find(owner, sender.wabaId(), wanted.name(), wanted.language())
                .orElseThrow(() -> ApiException.invalidField("draft_id", "template-unknown", wanted.name(),
                        wanted.language()));
            if (!MessageTemplate.APPROVED.equals(template.status())) {
                throw ApiException.invalidField("draft_id", "template-not-approved", template.name(),
                        template.status());
            }
            if (template.bodyParameters() != wanted.bodyParameters().size()) {
                throw ApiException.invalidField("draft_id", "template-parameter-count", template.bodyParameters(),
                        wanted.bodyParameters().size());
            }
            if (!Objects.equals(template.mediaHeader(), wanted.headerType())) {
                throw ApiException.invalidField("draft_id", "template-header-mismatch",
                        template.mediaHeader() == null ? "none" : template.mediaHeader());
            }
            category = template.category();
        }
        return category;
    }

    private static List<Long> owned(String field, List<Long> wanted, Set<Long> owned, String code) {
        List<Long> distinct = List.copyOf(new LinkedHashSet<>(wanted));
        distinct.stream().filter(id -> !owned.contains(id)).findFirst().ifPresent(unknown -> {
            throw ApiException.invalidField(field, code, unknown);
        });
        return distinct;
    }

}
