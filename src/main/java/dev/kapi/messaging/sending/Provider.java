package dev.kapi.messaging.sending;

import java.time.Duration;

import dev.kapi.messaging.draft.RichContent;
import dev.kapi.messaging.draft.TemplateMessage;
import dev.kapi.messaging.sender.Sender;

/**
 * A way to send WhatsApp messages: the local simulator (default) or Meta's WhatsApp Cloud
 * API. A send carries Kapı's idempotency key for the recipient row; after a crash,
 * {@link #lookup} says whether a send with that key was accepted before anything is sent
 * again.
 */
public interface Provider {

    /** The {@code provider} value of the sending accounts this provider serves. */
    String name();

    Result send(Sender sender, Outgoing message);

    /** What the provider knows of an earlier send with this key. */
    Lookup lookup(Sender sender, String idempotencyKey);

    /**
     * One message to one number (E.164): a free {@code text}, a media or interactive
     * message ({@code rich}), or a {@code template} message whose body parameters are
     * already filled in for this recipient.
     */
    record Outgoing(String idempotencyKey, String to, String text, TemplateMessage template, RichContent rich) {

        public Outgoing(String idempotencyKey, String to, String text) {
            this(idempotencyKey, to, text, null, null);
        }

        public Outgoing(String idempotencyKey, String to, String text, TemplateMessage template) {
            this(idempotencyKey, to, text, template, null);
        }
    }

    /**
     * How a failure affects sending: the one message, the account's pace, or the account
     * itself.
     */
    enum Kind {

        /**
         * This recipient cannot get the message (not on WhatsApp, invalid number): final.
         */
        RECIPIENT,
        /** Try again later; counts toward the circuit breaker. */
        TEMPORARY,
        /** The provider asks to slow down: the account is paused at once. */
        RATE_LIMITED,
        /**
         * The account cannot send (token expired, blocked, banned): paused, maybe flagged
         * banned-suspected.
         */
        ACCOUNT,
        /**
         * Meta refused the queue's template (paused, disabled, missing): the queue is
         * held or cancelled, the message waits, unfailed.
         */
        TEMPLATE,
        /**
         * Meta's per-user marketing cap kept it from the recipient for now: deferred,
         * sent again later.
         */
        MARKETING_CAP,
        /**
         * No answer came back (a timeout): the message may have gone out, so it is never
         * resent.
         */
        UNKNOWN

    }

    sealed interface Result {

    }

    /**
     * {@code billed}: the provider bills the message as it accepts it (the simulator);
     * Meta's Cloud API says later, in a status callback's pricing block.
     */
    record Accepted(String providerMessageId, boolean billed) implements Result {

        public Accepted(String providerMessageId) {
            this(providerMessageId, false);
        }
    }

    /**
     * {@code retryAfter} when the provider said how long to wait; {@code banned} when it
     * suspends the account.
     */
    record Failed(Kind kind, String code, String reason, Duration retryAfter, boolean banned) implements Result {

        public static Failed of(Kind kind, String code, String reason) {
            return new Failed(kind, code, reason, null, false);
        }
    }

    sealed interface Lookup {

    }

    record WasSent(String providerMessageId, boolean billed) implements Lookup {

        public WasSent(String providerMessageId) {
            this(providerMessageId, false);
        }
    }

    record NotSent() implements Lookup {
    }

    /**
     * The provider cannot tell (WhatsApp Cloud keeps no idempotency keys): never resend.
     */
    record Unknown() implements Lookup {
    }

}
