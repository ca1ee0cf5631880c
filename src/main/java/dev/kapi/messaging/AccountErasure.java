package dev.kapi.messaging;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.messaging.automation.Automations;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.contact.Groups;
import dev.kapi.messaging.contact.ListEntries;
import dev.kapi.messaging.conversation.InboundMessages;
import dev.kapi.messaging.draft.Drafts;
import dev.kapi.messaging.pricing.Charges;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.queue.Queues;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.messaging.whatsapp.BusinessAccounts;
import dev.kapi.messaging.whatsapp.MessageTemplates;
import dev.kapi.messaging.whatsapp.ServiceWindows;

/**
 * The module's one listener for accounts deleted for good: it empties every messaging
 * table of the account, in the order their rows point to each other.
 */
@Component
class AccountErasure {

    private final QueueMessages messages;

    private final Charges charges;

    private final InboundMessages inbound;

    private final Queues queues;

    private final Drafts drafts;

    private final ListEntries lists;

    private final Groups groups;

    private final Customers customers;

    private final Senders senders;

    private final Automations automations;

    private final ServiceWindows windows;

    private final MessageTemplates templates;

    private final BusinessAccounts businessAccounts;

    AccountErasure(QueueMessages messages, Charges charges, InboundMessages inbound, Queues queues, Drafts drafts,
            ListEntries lists, Groups groups, Customers customers, Senders senders, Automations automations,
            ServiceWindows windows, MessageTemplates templates, BusinessAccounts businessAccounts) {
        this.messages = messages;
        this.charges = charges;
        this.inbound = inbound;
        this.queues = queues;
        this.drafts = drafts;
        this.lists = lists;
        this.groups = groups;
        this.customers = customers;
        this.senders = senders;
        this.automations = automations;
        this.windows = windows;
        this.templates = templates;
        this.businessAccounts = businessAccounts;
    }

    /**
     * An account deleted for good leaves nothing in messaging (its ledger stays in
     * plans): its messages, queues, drafts, lists, groups, customers and their field
     * names, sending accounts and settings, each table before those its rows point to.
     */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        long owner = deleted.accountId();
        messages.deleteOf(owner);
        charges.deleteOf(owner);
        inbound.deleteOf(owner);
        queues.deleteOf(owner);
        drafts.deleteOf(owner);
        lists.deleteOf(owner);
        groups.deleteOf(owner);
        customers.deleteOf(owner);
        senders.deleteOf(owner);
        automations.deleteOf(owner);
        windows.deleteOf(owner);
        templates.deleteOf(owner);
        businessAccounts.deleteOf(owner);
    }

}
