package dev.kapi.messaging.sender;

import java.time.Clock;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.queue.Queues;
import dev.kapi.messaging.whatsapp.BusinessAccounts;
import dev.kapi.messaging.whatsapp.MessagingLimit;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.sealing.SecretSealer;

/**
 * Seed 001's connected sending accounts. A WhatsApp Cloud account needs its phone-number
 * id and access token; the token is sealed to the account's row at once and never shown
 * again.
 */
@Service
class SenderManagement {

    private final Senders senders;

    private final Queues queues;

    private final BusinessAccounts businessAccounts;

    private final SecretSealer sealer;

    private final Clock clock;

    SenderManagement(Senders senders, Queues queues, BusinessAccounts businessAccounts, SecretSealer sealer,
            Clock clock) {
        this.businessAccounts = businessAccounts;
        this.senders = senders;
        this.queues = queues;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * What a create or a change asks for; null leaves a field as it is (on create: its
     * default).
     */
    record Changes(String name, String phone, String provider, String phoneNumberId, String wabaId, String accessToken,
            Double ratePerSecond, Integer dailyCap, SenderStatus status, Object messagingLimit, String defaultRegion) {
    }

    @Transactional
    Sender create(long owner, Changes changes) {
        String provider = changes.provider() == null ? Sender.SIMULATOR : changes.provider();
        String region = region(changes.defaultRegion(), PhoneNumbers.DEFAULT_REGION);
        String phone = PhoneNumbers.require(changes.phone(), region, "phone");
        Senders.Fields fields = check(
                new Senders.Fields(changes.name().strip(), phone, provider, blankToNull(changes.phoneNumberId()),
                        blankToNull(changes.wabaId()), changes.ratePerSecond(), changes.dailyCap(),
                        changes.status() == null ? SenderStatus.ACTIVE : changes.status()),
                changes.accessToken(), false);
        long id;
        try {
            id = senders.insert(owner, fields, clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw phoneNumberIdTaken();
        }
        seal(owner, id, changes.accessToken());
        setLimit(owner, fields.wabaId(), changes.messagingLimit());
        senders.setDefaultRegion(id, changes.defaultRegion() != null ? region : ownRegion(phone));
        return get(owner, id);
    }

    /**
     * A region asked for ({@code default_region}, 400 {@code region-unknown} when
     * libphonenumber does not know it), else {@code otherwise}.
     */
    private static String region(String asked, String otherwise) {
        if (asked == null) {
            return otherwise;
        }
        if (!PhoneNumbers.knownRegion(asked)) {
            throw ApiException.invalidField("default_region", "region-unknown");
        }
        return asked;
    }

    /**
     * The country of the sender's own number, the region its users most likely write in.
     */
    private static String ownRegion(String phone) {
        String market = PhoneNumbers.market(phone);
        return market.equals(PhoneNumbers.ANY_MARKET) ? PhoneNumbers.DEFAULT_REGION : market;
    }

    @Transactional(readOnly = true)
    Sender get(long owner, long id) {
        return senders.byId(owner, id).orElseThrow(Sender::notFound);
    }

    /**
     * Changes the given fields; {@code rate_per_second} and {@code daily_cap} 0 remove
     * the limit. Setting the status to active again closes the circuit breaker.
     */
    @Transactional
    Sender update(long owner, long id, Changes changes) {
        Sender current = get(owner, id);
        if (changes.name() != null && changes.name().isBlank()) {
            throw ApiException.invalidField("name", "required");
        }
        Double rate = changes.ratePerSecond() == null ? current.ratePerSecond()
                : changes.ratePerSecond() == 0 ? null : changes.ratePerSecond();
        Integer cap = changes.dailyCap() == null ? current.dailyCap()
                : changes.dailyCap() == 0 ? null : changes.dailyCap();
        String provider = changes.provider() != null ? changes.provider() : current.provider();
        String region = region(changes.defaultRegion(),
                current.defaultRegion() != null ? current.defaultRegion() : PhoneNumbers.DEFAULT_REGION);
        Senders.Fields fields = check(
                new Senders.Fields(changes.name() != null ? changes.name().strip() : current.name(),
                        changes.phone() != null ? PhoneNumbers.require(changes.phone(), region, "phone")
                                : current.phone(),
                        provider,
                        changes.phoneNumberId() != null ? blankToNull(changes.phoneNumberId())
                                : current.phoneNumberId(),
                        changes.wabaId() != null ? blankToNull(changes.wabaId()) : current.wabaId(), rate, cap,
                        current.status().change(changes.status())),
                changes.accessToken(), current.sealedAccessToken() != null);
        try {
            senders.update(owner, id, fields, clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw phoneNumberIdTaken();
        }
        seal(owner, id, changes.accessToken());
        setLimit(owner, fields.wabaId(), changes.messagingLimit());
        if (changes.defaultRegion() != null || current.defaultRegion() == null) {
            senders.setDefaultRegion(id, changes.defaultRegion() != null ? region : ownRegion(fields.phone()));
        }
        if (changes.status() == SenderStatus.ACTIVE) {
            senders.resetBreaker(id);
        }
        return get(owner, id);
    }

    /**
     * Deletes the account; one that a queue still may use (scheduled, running or paused)
     * is a 409.
     */
    @Transactional
    void delete(long owner, long id) {
        get(owner, id);
        if (queues.senderInUse(owner, id)) {
            throw ApiException.conflict("sender-in-use");
        }
        senders.delete(owner, id);
    }

    /**
     * Sets the messaging tier of the sender's business account, which every sender of the
     * owner with that {@code waba_id} shares; a sender without a {@code waba_id} has none
     * (400).
     */
    private void setLimit(long owner, String wabaId, Object wanted) {
        if (wanted == null) {
            return;
        }
        MessagingLimit limit = MessagingLimit.parse(wanted);
        if (wabaId == null) {
            throw ApiException.invalidField("messaging_limit", "sender-has-no-business-account");
        }
        businessAccounts.setLimit(owner, wabaId, limit, clock.instant());
    }

    /**
     * The messaging tier of each sender's business account; senders without a
     * {@code waba_id} are left out.
     */
    @Transactional(readOnly = true)
    java.util.Map<String, MessagingLimit> limits(long owner, java.util.Collection<Sender> of) {
        return businessAccounts.limits(owner,
                of.stream().map(Sender::wabaId).filter(java.util.Objects::nonNull).distinct().toList());
    }

    private void seal(long owner, long id, String accessToken) {
        if (accessToken != null && !accessToken.isBlank()) {
            senders.sealToken(id, sealer.seal(accessToken.strip(), Sender.tokenContext(owner, id)));
        }
    }

    private static Senders.Fields check(Senders.Fields fields, String accessToken, boolean hasToken) {
        if (Sender.WHATSAPP_CLOUD.equals(fields.provider())) {
            if (fields.phoneNumberId() == null) {
                throw ApiException.invalidField("phone_number_id", "required");
            }
            if (!hasToken && (accessToken == null || accessToken.isBlank())) {
                throw ApiException.invalidField("access_token", "required");
            }
        }
        return fields;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Transactional(readOnly = true)
    Page<Sender> list(long owner, String cursor, int limit) {
        return Page.byId(senders.page(owner, Cursors.afterId(cursor), limit), limit, Sender::id);
    }

    /**
     * A WhatsApp number belongs to one sender of one tenant: its inbound messages reach
     * only that owner.
     */
    private static ApiException phoneNumberIdTaken() {
        return new ApiException(org.springframework.http.HttpStatus.CONFLICT, "phone-number-id-taken");
    }

}
