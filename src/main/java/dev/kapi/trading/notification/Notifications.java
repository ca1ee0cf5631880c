package dev.kapi.trading.notification;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.sealing.SecretSealer;
import dev.kapi.trading.TradeExecuted;
import dev.kapi.trading.exchange.ApiKeyManagement;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * A user's Telegram notifications: the bot token sealed (bound to the owner), the chat
 * and the events wanted — {@code trade} (every bot trade), {@code stop} (a stop-loss or
 * trailing-stop sell), {@code error} (a bot went to error), {@code paused} (a bot paused
 * itself). Sent after the commit of what they tell, on another thread, in the owner's
 * language (their account's: Turkish or English); a failure is logged and never reaches a
 * tick. {@link #resealAll} moves the tokens to the current master key after a rotation.
 */
@Service
public class Notifications {

    static final List<String> EVENTS = List.of("trade", "stop", "error", "paused");

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private static final int RESEAL_PAGE = 200;

    private final JdbcClient jdbc;

    private final SecretSealer sealer;

    private final TelegramClient telegram;

    private final MessageSource messages;

    private final AccountDirectory accounts;

    private final Clock clock;

    Notifications(JdbcClient jdbc, SecretSealer sealer, TelegramClient telegram, MessageSource messages,
            AccountDirectory accounts, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.telegram = telegram;
        this.messages = messages;
        this.accounts = accounts;
        this.clock = clock;
    }

    record Settings(String tokenLast4, String chatId, List<String> events, java.time.Instant updatedAt) {
    }

    private record Stored(String sealedToken, String chatId, List<String> events) {
    }

    @Transactional
    Settings put(long ownerId, String token, String chatId, List<String> events) {
        for (String event : events) {
            if (!EVENTS.contains(event)) {
                throw ApiException.invalidField("events", "notification-event-unknown", String.join(", ", EVENTS));
            }
        }
        List<String> distinct = events.stream().distinct().toList();
        jdbc.sql("""
                INSERT INTO trading_notifications (owner_id, sealed_token, token_last4, chat_id, events, updated_at)
                VALUES (:owner, :sealed, :last4, :chat, :events, :now)
                ON CONFLICT (owner_id) DO UPDATE SET sealed_token = EXCLUDED.sealed_token,
                    token_last4 = EXCLUDED.token_last4, chat_id = EXCLUDED.chat_id, events = EXCLUDED.events,
                    updated_at = EXCLUDED.updated_at, poll_owner = NULL, poll_until = NULL, update_offset = 0
                """)
            .param("owner", ownerId)
            .param("sealed", sealer.seal(token, context(ownerId)))
            .param("last4", token.substring(token.length() - 4))
            .param("chat", chatId)
            .param("events", distinct.toArray(String[]::new))
            .param("now", utc(clock.instant()))
            .update();
        return get(ownerId);
    }

    @Transactional(readOnly = true)
    Settings get(long ownerId) {
        return jdbc
            .sql("SELECT token_last4, chat_id, events, updated_at FROM trading_notifications WHERE owner_id = :owner")
            .param("owner", ownerId)
            .query((rs, row) -> new Settings(rs.getString("token_last4"), rs.getString("chat_id"),
                    Arrays.asList((String[]) rs.getArray("events").getArray()), instant(rs, "updated_at")))
            .optional()
            .orElseThrow(() -> ApiException.notFound("notifications-not-set"));
    }

    @Transactional
    void delete(long ownerId) {
        jdbc.sql("DELETE FROM trading_notifications WHERE owner_id = :owner").param("owner", ownerId).update();
    }

    @ApplicationModuleListener
    void on(TradeExecuted trade) {
        if (trade.botId() == null) {
            return;
        }
        boolean stop = "stop_loss".equals(trade.exitReason()) || "trailing_stop".equals(trade.exitReason());
        notify(trade.accountId(), stop ? List.of("trade", "stop") : List.of("trade"),
                locale -> text(locale, "notify.trade", String.valueOf(trade.botId()), trade.side(),
                        trade.quantity().toPlainString(), trade.symbol(), trade.price().toPlainString(),
                        trade.exitReason() == null ? "-" : trade.exitReason(), trade.realizedPnl().toPlainString()));
    }

    @ApplicationModuleListener
    void on(BotAlert alert) {
        notify(alert.ownerId(), List.of(alert.event()),
                locale -> text(locale, "notify." + alert.kind(), String.valueOf(alert.botId()), alert.detail()));
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        delete(deleted.accountId());
        jdbc.sql("DELETE FROM trading_telegram_updates WHERE owner_id = :owner")
            .param("owner", deleted.accountId())
            .update();
    }

    /**
     * Seals again, under the current master key, every token sealed under an older one.
     * Answers how many.
     */
    @Transactional
    public ApiKeyManagement.Resealed resealAll() {
        int total = 0;
        int resealed = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<Map.Entry<Long, String>> page = jdbc.sql("""
                    SELECT owner_id, sealed_token FROM trading_notifications WHERE owner_id > :after
                    ORDER BY owner_id LIMIT :size FOR UPDATE
                    """)
                .param("after", after)
                .param("size", RESEAL_PAGE)
                .query((rs, row) -> Map.entry(rs.getLong("owner_id"), rs.getString("sealed_token")))
                .list();
            if (page.isEmpty()) {
                return new ApiKeyManagement.Resealed(total, resealed);
            }
            for (Map.Entry<Long, String> row : page) {
                total++;
                if (sealer.needsResealing(row.getValue())) {
                    String context = context(row.getKey());
                    jdbc.sql("UPDATE trading_notifications SET sealed_token = :sealed WHERE owner_id = :owner")
                        .param("sealed", sealer.seal(sealer.open(row.getValue(), context), context))
                        .param("owner", row.getKey())
                        .update();
                    resealed++;
                }
                after = row.getKey();
            }
        }
    }

    /** Sends once if the user wants any of the kinds, in their language; never throws. */
    private void notify(long ownerId, List<String> kinds, Function<Locale, String> text) {
        try {
            Optional<Stored> stored = jdbc.sql("""
                    SELECT sealed_token, chat_id, events FROM trading_notifications WHERE owner_id = :owner
                    """)
                .param("owner", ownerId)
                .query((rs, row) -> new Stored(rs.getString("sealed_token"), rs.getString("chat_id"),
                        Arrays.asList((String[]) rs.getArray("events").getArray())))
                .optional();
            if (stored.isEmpty() || kinds.stream().noneMatch(stored.get().events()::contains)) {
                return;
            }
            Locale locale = Locale.forLanguageTag(accounts.languages(List.of(ownerId)).getOrDefault(ownerId, "tr"));
            telegram.send(sealer.open(stored.get().sealedToken(), context(ownerId)), stored.get().chatId(),
                    text.apply(locale));
        }
        catch (RuntimeException ex) {
            log.warn("Telegram notification for account {} not sent: {}", ownerId, ex.getMessage());
        }
    }

    private String text(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    public static String context(long ownerId) {
        return "trading-telegram:" + ownerId;
    }

}
