package dev.kapi.trading.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.shared.sealing.SecretSealer;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Telegram commands by long polling {@code getUpdates}: no public URL needed. Each user's
 * bot token is polled by one instance at a time, the one holding its lease in
 * {@code trading_notifications} (taken when free or expired, {@code FOR UPDATE SKIP
 * LOCKED}, renewed on every poll). Each update is handled once across instances: one
 * transaction moves the stored offset past it (only for the lease holder, only forward)
 * and inserts its audit row (unique per owner and update), and only a fresh row runs the
 * command ({@link TelegramCommands}). Off with
 * {@code KAPI_TRADING_TELEGRAM_POLL_ENABLED=false}; tests call {@link #pollOnce}.
 */
@Component
public class TelegramPolling implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelegramPolling.class);

    /** How long the loop rests when no token is to be polled, or a round failed. */
    private static final Duration IDLE = Duration.ofSeconds(5);

    private static final int MAX_COMMAND = 32;

    private static final int MAX_ARGUMENTS = 200;

    private final String instance = UUID.randomUUID().toString();

    private final JdbcClient jdbc;

    private final SecretSealer sealer;

    private final TelegramClient telegram;

    private final TelegramCommands commands;

    private final TelegramSettings.Poll settings;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private volatile boolean running;

    private Thread loop;

    TelegramPolling(JdbcClient jdbc, SecretSealer sealer, TelegramClient telegram, TelegramCommands commands,
            TelegramSettings settings, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.telegram = telegram;
        this.commands = commands;
        this.settings = settings.poll();
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A token this instance holds the lease of, and where its updates resume. */
    record Lease(long ownerId, String token, String chatId, long offset) {
    }

    /**
     * One round: takes the free or expired leases (up to {@code max-per-instance}) and
     * renews its own, polls each token once on its own virtual thread, and handles what
     * came. Answers how many updates it handled.
     */
    public int pollOnce() {
        return poll(claim());
    }

    private int poll(List<Lease> leases) {
        int handled = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> polls = new ArrayList<>();
            for (Lease lease : leases) {
                polls.add(pool.submit(() -> poll(lease)));
            }
            for (Future<Integer> poll : polls) {
                try {
                    handled += poll.get();
                }
                catch (ExecutionException ex) {
                    log.warn("Telegram poll failed: {}", ex.getCause().getMessage());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return handled;
                }
            }
        }
        return handled;
    }

    private List<Lease> claim() {
        Instant now = clock.instant();
        return transactions.execute(status -> jdbc.sql("""
                UPDATE trading_notifications SET poll_owner = :me, poll_until = :until
                WHERE owner_id IN (SELECT owner_id FROM trading_notifications
                                   WHERE poll_owner = :me OR poll_until IS NULL OR poll_until < :now
                                   ORDER BY owner_id LIMIT :max FOR UPDATE SKIP LOCKED)
                RETURNING owner_id, sealed_token, chat_id, update_offset
                """)
            .param("me", instance)
            .param("until", utc(now.plus(settings.lease())))
            .param("now", utc(now))
            .param("max", settings.maxPerInstance())
            .query((rs, row) -> new Lease(rs.getLong("owner_id"),
                    sealer.open(rs.getString("sealed_token"), Notifications.context(rs.getLong("owner_id"))),
                    rs.getString("chat_id"), rs.getLong("update_offset")))
            .list());
    }

    private int poll(Lease lease) {
        int handled = 0;
        for (TelegramClient.Update update : telegram.updates(lease.token(), lease.offset(), settings.timeout())) {
            if (update.updateId() < lease.offset()) {
                continue;
            }
            Boolean fresh = transactions.execute(status -> receive(lease, update));
            if (fresh == null) {
                // The lease went to another instance (or the token changed): stop here.
                break;
            }
            if (fresh) {
                TelegramCommands.Outcome outcome = commands.handle(lease, update);
                jdbc.sql("""
                        UPDATE trading_telegram_updates SET outcome = :outcome, detail = :detail
                        WHERE owner_id = :owner AND update_id = :update
                        """)
                    .param("outcome", outcome.outcome())
                    .param("detail", outcome.detail())
                    .param("owner", lease.ownerId())
                    .param("update", update.updateId())
                    .update();
                handled++;
            }
        }
        return handled;
    }

    /**
     * Moves the offset past the update and writes its audit row: true when the row is new
     * (run the command), false when it was handled before, null when the lease is lost.
     */
    private Boolean receive(Lease lease, TelegramClient.Update update) {
        int moved = jdbc.sql("""
                UPDATE trading_notifications SET update_offset = :next
                WHERE owner_id = :owner AND poll_owner = :me AND update_offset <= :update
                """)
            .param("next", update.updateId() + 1)
            .param("owner", lease.ownerId())
            .param("me", instance)
            .param("update", update.updateId())
            .update();
        if (moved == 0) {
            return null;
        }
        String text = update.text().strip();
        int space = text.indexOf(' ');
        String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        String arguments = space < 0 ? null : text.substring(space + 1).strip();
        return jdbc.sql("""
                INSERT INTO trading_telegram_updates (owner_id, update_id, chat_id, command, arguments, outcome,
                                                      instance, received_at)
                VALUES (:owner, :update, :chat, :command, :arguments, 'received', :me, :now)
                ON CONFLICT (owner_id, update_id) DO NOTHING
                """)
            .param("owner", lease.ownerId())
            .param("update", update.updateId())
            .param("chat", bounded(update.chatId(), 32))
            .param("command", bounded(command, MAX_COMMAND))
            .param("arguments", bounded(arguments, MAX_ARGUMENTS))
            .param("me", instance)
            .param("now", utc(clock.instant()))
            .update() == 1;
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name("telegram-polling").start(() -> {
            while (running) {
                try {
                    List<Lease> leases = claim();
                    if (leases.isEmpty()) {
                        Thread.sleep(IDLE);
                    }
                    else {
                        poll(leases);
                    }
                }
                catch (InterruptedException ex) {
                    return;
                }
                catch (RuntimeException ex) {
                    log.warn("Telegram polling round failed: {}", ex.getMessage());
                    try {
                        Thread.sleep(IDLE);
                    }
                    catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        // Let another instance take the tokens at once.
        jdbc.sql("UPDATE trading_notifications SET poll_owner = NULL, poll_until = NULL WHERE poll_owner = :me")
            .param("me", instance)
            .update();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

}
