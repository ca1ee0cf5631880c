package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import dev.kapi.messaging.queue.Message;
import dev.kapi.messaging.queue.MessageStatus;
import dev.kapi.messaging.sender.Sender;

/**
 * The local provider, Kapı's default and the one tests use. It remembers every
 * idempotency key it accepted (a second send with the same key is answered with the first
 * id and counted, so tests can prove that nothing was sent twice), answers after the
 * configured latency, fails a configured share of sends temporarily, refuses numbers with
 * the unreachable suffix as not on WhatsApp, and reports deliveries, reads and opt-out
 * replies for configured shares of what it accepted, like the real callbacks would. It
 * bills what it accepts at once (it sends no pricing blocks).
 */
@Component
public class Simulator implements Provider {

    private final MessagingSettings.Simulator settings;

    private final ProviderEvents events;

    private final Clock clock;

    private final Map<String, String> accepted = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();

    private final AtomicLong sequence = new AtomicLong();

    Simulator(MessagingSettings settings, ProviderEvents events, Clock clock) {
        this.settings = settings.simulator();
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String name() {
        return Sender.SIMULATOR;
    }

    @Override
    public Result send(Sender sender, Outgoing message) {
        if (!settings.latency().isZero()) {
            pause(settings.latency());
        }
        if (!settings.unreachableSuffix().isEmpty() && message.to().endsWith(settings.unreachableSuffix())) {
            return Failed.of(Kind.RECIPIENT, "131026", "Message undeliverable: the number is not on WhatsApp");
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (settings.failureRate() > 0 && random.nextDouble() < settings.failureRate()) {
            return Failed.of(Kind.TEMPORARY, "131000", "Something went wrong (simulated)");
        }
        sends.computeIfAbsent(message.idempotencyKey(), key -> new AtomicInteger()).incrementAndGet();
        String id = accepted.computeIfAbsent(message.idempotencyKey(), key -> "sim."
                + Long.toString(sequence.incrementAndGet(), 36) + "." + Long.toHexString(random.nextLong()));
        callbacks(sender, message, id, random);
        return new Accepted(id, true);
    }

    @Override
    public Lookup lookup(Sender sender, String idempotencyKey) {
        String id = accepted.get(idempotencyKey);
        return id == null ? new NotSent() : new WasSent(id, true);
    }

    /**
     * How many times a send with this key reached the simulator: 1 for every message sent
     * exactly once.
     */
    public int timesSent(String idempotencyKey) {
        AtomicInteger count = sends.get(idempotencyKey);
        return count == null ? 0 : count.get();
    }

    long acceptedCount() {
        return accepted.size();
    }

    /** Forgets everything it accepted (the benchmark, between runs). */
    void forget() {
        accepted.clear();
        sends.clear();
    }

    private void callbacks(Sender sender, Outgoing message, String id, ThreadLocalRandom random) {
        boolean delivered = settings.deliveredRate() > 0 && random.nextDouble() < settings.deliveredRate();
        boolean read = delivered && settings.readRate() > 0 && random.nextDouble() < settings.readRate();
        boolean optOut = settings.optOutRate() > 0 && random.nextDouble() < settings.optOutRate();
        if (!delivered && !optOut) {
            return;
        }
        // Like real callbacks, these come later and on their own: after the sender
        // recorded the send.
        Thread.ofVirtual().start(() -> {
            pause(Duration.ofMillis(200));
            if (delivered) {
                events.status(id, Message.idOfKey(message.idempotencyKey()), MessageStatus.DELIVERED, clock.instant(),
                        null, null);
            }
            if (read) {
                events.status(id, Message.idOfKey(message.idempotencyKey()), MessageStatus.READ, clock.instant(), null,
                        null);
            }
            if (optOut) {
                events.inbound(sender, message.to(), "STOP");
            }
        });
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
