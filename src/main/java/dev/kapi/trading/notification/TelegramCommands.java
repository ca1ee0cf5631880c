package dev.kapi.trading.notification;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotManagement;
import dev.kapi.trading.exchange.Exchanges;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.runner.ForcedExits;
import dev.kapi.trading.runner.KillSwitch;

/**
 * What the connected chat may ask: {@code /status}, {@code /profit}, {@code /balance},
 * {@code /stop <bot>}, {@code /start <bot>}, {@code /forceexit <bot>} and
 * {@code /killswitch} ({@code <bot>}: its id or its name). Only the chat the user
 * connected is obeyed; any other chat gets no answer at all (nothing tells it the bot is
 * Kapı's). The answers are in the user's language; the same rules as the API apply (a
 * kill switch refuses {@code /start}). {@code /killswitch} only engages: re-arming needs
 * the console or the API with a recent sign-in.
 */
@Component
class TelegramCommands {

    private static final Logger log = LoggerFactory.getLogger(TelegramCommands.class);

    private final BotManagement bots;

    private final ForcedExits exits;

    private final KillSwitch killSwitch;

    private final TelegramClient telegram;

    private final Exchanges exchanges;

    private final MessageSource messages;

    private final AccountDirectory accounts;

    TelegramCommands(BotManagement bots, ForcedExits exits, KillSwitch killSwitch, TelegramClient telegram,
            Exchanges exchanges, MessageSource messages, AccountDirectory accounts) {
        this.exchanges = exchanges;
        this.bots = bots;
        this.exits = exits;
        this.killSwitch = killSwitch;
        this.telegram = telegram;
        this.messages = messages;
        this.accounts = accounts;
    }

    /** What a command came to, for the audit: {@code outcome} and a detail. */
    record Outcome(String outcome, String detail) {
    }

    Outcome handle(TelegramPolling.Lease lease, TelegramClient.Update update) {
        if (!lease.chatId().equals(update.chatId())) {
            return new Outcome("ignored-chat", null);
        }
        long owner = lease.ownerId();
        Locale locale = Locale.forLanguageTag(accounts.languages(List.of(owner)).getOrDefault(owner, "tr"));
        String text = update.text().strip();
        int space = text.indexOf(' ');
        String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        int at = command.indexOf('@');
        if (at > 0) {
            command = command.substring(0, at);
        }
        String argument = space < 0 ? "" : text.substring(space + 1).strip();
        Outcome outcome;
        String reply;
        try {
            reply = switch (command) {
                case "/status" -> status(owner, locale);
                case "/profit" -> profit(owner, locale);
                case "/balance" -> balance(owner, locale);
                case "/stop" -> {
                    Bot bot = bots.stop(owner, bot(owner, argument).id());
                    yield text(locale, "telegram.stopped", String.valueOf(bot.id()), bot.name());
                }
                case "/start" -> {
                    Bot bot = bots.start(owner, bot(owner, argument).id());
                    yield text(locale, "telegram.started", String.valueOf(bot.id()), bot.name());
                }
                case "/forceexit" -> forceExit(owner, bot(owner, argument), locale);
                case "/killswitch" -> {
                    KillSwitch.Report report = killSwitch.engage(owner, owner);
                    yield text(locale, "telegram.killswitch", String.valueOf(report.botsStopped()),
                            String.valueOf(report.positionsClosed()), String.valueOf(report.positionsPending()));
                }
                default -> null;
            };
            outcome = reply == null ? new Outcome("unknown-command", null) : new Outcome("ok", null);
            if (reply == null) {
                reply = text(locale, "telegram.help");
            }
        }
        catch (ApiException ex) {
            outcome = new Outcome("failed", ex.code());
            reply = messages.getMessage("error." + ex.code(), ex.args(), ex.code(), locale);
        }
        try {
            telegram.send(lease.token(), lease.chatId(), reply);
        }
        catch (RuntimeException ex) {
            log.warn("Telegram answer for account {} not sent: {}", owner, ex.getMessage());
        }
        return outcome;
    }

    private String status(long owner, Locale locale) {
        List<Bot> all = bots.list(owner);
        if (all.isEmpty()) {
            return text(locale, "telegram.no-bots");
        }
        return all.stream()
            .map(bot -> text(locale, "telegram.status.line", String.valueOf(bot.id()), bot.name(), bot.symbol(),
                    bot.status().wire(), text(locale, bot.active() ? "telegram.active" : "telegram.stopped-state"),
                    Money.plain(bot.positionQuantity()).toPlainString()))
            .collect(Collectors.joining("\n"));
    }

    private String profit(long owner, Locale locale) {
        List<Bot> all = bots.list(owner);
        BigDecimal realized = all.stream().map(Bot::realizedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal unrealized = all.stream().map(Bot::unrealizedPnl).reduce(BigDecimal.ZERO, BigDecimal::add);
        return text(locale, "telegram.profit", plain(realized), plain(unrealized), plain(realized.add(unrealized)));
    }

    private String balance(long owner, Locale locale) {
        List<Bot> all = bots.list(owner);
        if (all.isEmpty()) {
            return text(locale, "telegram.no-bots");
        }
        return all.stream()
            .map(bot -> text(locale, "telegram.balance.line", String.valueOf(bot.id()), bot.name(),
                    plain(bot.available().add(bot.positionCost()).add(bot.unrealizedPnl())), plain(bot.available())))
            .collect(Collectors.joining("\n"));
    }

    private String forceExit(long owner, Bot bot, Locale locale) {
        ForcedExits.Outcome outcome = exits.forceExit(owner, bot.id());
        if (outcome.result() == ForcedExits.Result.SOLD) {
            return text(locale, "telegram.sold", String.valueOf(bot.id()), bot.name(),
                    plain(outcome.trade().quantity()), plain(outcome.trade().price()),
                    plain(outcome.trade().realizedPnl()));
        }
        return text(locale, "telegram.exit-pending", String.valueOf(bot.id()), bot.name());
    }

    /**
     * The user's bot by id or by name; 404 {@code bot-not-found} for none, or several.
     */
    private Bot bot(long owner, String argument) {
        if (argument.isEmpty()) {
            throw ApiException.badRequest("telegram-bot-missing");
        }
        List<Bot> all = bots.list(owner);
        List<Bot> named = all.stream()
            .filter(bot -> String.valueOf(bot.id()).equals(argument) || bot.name().equalsIgnoreCase(argument))
            .toList();
        if (named.size() > 1) {
            throw ApiException.conflict("telegram-bot-ambiguous",
                    named.stream().map(bot -> String.valueOf(bot.id())).collect(Collectors.joining(", ")));
        }
        if (named.isEmpty()) {
            throw BotManagement.notFound();
        }
        return named.getFirst();
    }

    private String text(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    private static String plain(BigDecimal value) {
        return Money.plain(Money.round(value)).toPlainString();
    }

}
