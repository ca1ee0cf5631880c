package dev.kapi.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.messaging.MessagingStatistics;
import dev.kapi.plans.Credits;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.TradingStatistics;

/**
 * Seed 001's admin dashboard: who is active, sign-ups and logins per day, this instance's
 * traffic, usage per user and the state of queues, bots and the request inbox. Every
 * figure comes from its module's public API; nothing here reads another module's tables.
 */
@Service
class DashboardReport {

    static final Duration ACTIVE_WINDOW = Duration.ofMinutes(15);
    static final int MAX_DAYS = 366;

    private final AccountDirectory accounts;

    private final Credits credits;

    private final MessagingStatistics messaging;

    private final TradingStatistics trading;

    private final SupportRequests support;

    private final Traffic traffic;

    private final Clock clock;

    DashboardReport(AccountDirectory accounts, Credits credits, MessagingStatistics messaging,
            TradingStatistics trading, SupportRequests support, Traffic traffic, Clock clock) {
        this.accounts = accounts;
        this.credits = credits;
        this.messaging = messaging;
        this.trading = trading;
        this.support = support;
        this.traffic = traffic;
        this.clock = clock;
    }

    record Day(LocalDate date, long signUps, long logins) {
    }

    record Users(long activeNow, long activeWindowMinutes, List<Day> days) {
    }

    record Rates(long requests, long clientErrors, long serverErrors, double clientErrorRate, double errorRate) {

        static Rates of(Traffic.Counts counts) {
            return new Rates(counts.requests(), counts.clientErrors(), counts.serverErrors(),
                    rate(counts.clientErrors(), counts.requests()), rate(counts.serverErrors(), counts.requests()));
        }

        private static double rate(long part, long whole) {
            return whole == 0 ? 0 : (double) part / whole;
        }
    }

    record MinuteView(Instant minute, long requests, long clientErrors, long serverErrors, double errorRate) {

        static MinuteView from(Traffic.Minute minute) {
            Rates rates = Rates.of(minute.counts());
            return new MinuteView(minute.minute(), rates.requests(), rates.clientErrors(), rates.serverErrors(),
                    rates.errorRate());
        }
    }

    record EndpointView(String method, String uri, long requests, long clientErrors, long serverErrors,
            double clientErrorRate, double errorRate, double meanMillis) {

        static EndpointView from(Traffic.Endpoint endpoint) {
            Rates rates = Rates.of(endpoint.counts());
            return new EndpointView(endpoint.method(), endpoint.uri(), rates.requests(), rates.clientErrors(),
                    rates.serverErrors(), rates.clientErrorRate(), rates.errorRate(), endpoint.meanMillis());
        }
    }

    record TrafficView(String scope, List<MinuteView> perMinute, List<EndpointView> endpoints) {
    }

    record UserUsage(long accountId, String userId, String name, long creditsSpent, long messagesSent,
            long activeBots) {
    }

    record Counts(Map<String, Long> queues, Map<String, Long> bots, Map<String, Long> requests) {
    }

    record Dashboard(LocalDate from, LocalDate to, Instant generatedAt, Users users, TrafficView traffic,
            List<UserUsage> usage, Counts counts) {
    }

    /**
     * The dashboard of the days from {@code from} to {@code to} (the last seven by
     * default), with the {@code top} users.
     */
    @Transactional(readOnly = true)
    Dashboard of(LocalDate from, LocalDate to, int top) {
        Instant now = clock.instant();
        LocalDate last = to != null ? to : LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = from != null ? from : last.minusDays(6);
        if (first.isAfter(last)) {
            throw ApiException.invalidField("from", "dashboard-range-invalid", MAX_DAYS);
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw ApiException.invalidField("to", "dashboard-range-invalid", MAX_DAYS);
        }
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        Map<LocalDate, Long> signUps = accounts.signUpsPerDay(start, end);
        Map<LocalDate, Long> logins = accounts.loginsPerDay(start, end);
        List<Day> days = first.datesUntil(last.plusDays(1))
            .map(day -> new Day(day, signUps.getOrDefault(day, 0L), logins.getOrDefault(day, 0L)))
            .toList();
        Users users = new Users(accounts.activeSince(now.minus(ACTIVE_WINDOW), now), ACTIVE_WINDOW.toMinutes(), days);

        TrafficView trafficView = new TrafficView("instance",
                traffic.perMinute().stream().map(MinuteView::from).toList(),
                traffic.endpoints().stream().map(EndpointView::from).toList());

        return new Dashboard(first, last, now, users, trafficView, usage(start, end, top),
                new Counts(messaging.queuesByStatus(), trading.botsByStatus(), support.countByStatus()));
    }

    /** The {@code top} users by credits spent, then messages sent, then active bots. */
    private List<UserUsage> usage(Instant start, Instant end, int top) {
        Map<Long, Long> spent = credits.spentPerAccount(start, end);
        Map<Long, Long> sent = messaging.sentPerAccount(start, end);
        Map<Long, Long> bots = trading.activeBotsPerAccount();
        Set<Long> ids = new HashSet<>(spent.keySet());
        ids.addAll(sent.keySet());
        ids.addAll(bots.keySet());
        List<Long> chosen = ids.stream()
            .sorted(Comparator.comparingLong((Long id) -> spent.getOrDefault(id, 0L))
                .thenComparingLong(id -> sent.getOrDefault(id, 0L))
                .thenComparingLong(id -> bots.getOrDefault(id, 0L))
                .reversed()
                .thenComparingLong(id -> id))
            .limit(top)
            .toList();
        Map<Long, String> publicIds = accounts.publicIds(chosen);
        Map<Long, String> names = accounts.fullNames(chosen);
        return chosen.stream()
            .map(id -> new UserUsage(id, publicIds.get(id), names.get(id), spent.getOrDefault(id, 0L),
                    sent.getOrDefault(id, 0L), bots.getOrDefault(id, 0L)))
            .toList();
    }

}
