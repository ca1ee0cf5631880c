package dev.kapi.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * This instance's HTTP traffic, from its own {@code http.server.requests} timers: totals
 * per endpoint since the instance started, and requests per minute for the last hour from
 * counts sampled once a minute into a ring buffer. Both are per instance and kept in
 * memory only: behind a load balancer each instance shows its share, and a restart starts
 * afresh.
 */
@Component
class Traffic {

    static final int MINUTES_KEPT = 60;

    private static final String METRIC = "http.server.requests";

    /** Requests, 4xx and 5xx answers of one endpoint or one minute. */
    record Counts(long requests, long clientErrors, long serverErrors) {

        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(requests + other.requests, clientErrors + other.clientErrors,
                    serverErrors + other.serverErrors);
        }

        Counts minus(Counts other) {
            return new Counts(requests - other.requests, clientErrors - other.clientErrors,
                    serverErrors - other.serverErrors);
        }
    }

    record Minute(Instant minute, Counts counts) {
    }

    record Endpoint(String method, String uri, Counts counts, double meanMillis) {
    }

    private final MeterRegistry registry;

    private final Clock clock;

    private final Deque<Minute> minutes = new ArrayDeque<>();

    private Counts sampled;

    Traffic(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Adds the requests since the last sample to the current minute's bucket. The first
     * sample only sets the baseline; two samples in one minute add up; the oldest bucket
     * goes when an hour is full.
     */
    @Scheduled(fixedRate = 1, timeUnit = TimeUnit.MINUTES)
    synchronized void sample() {
        Counts total = endpoints().stream().map(Endpoint::counts).reduce(Counts.NONE, Counts::plus);
        Counts since = sampled == null ? Counts.NONE : total.minus(sampled);
        sampled = total;
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Minute last = minutes.peekLast();
        if (last != null && last.minute().equals(minute)) {
            minutes.pollLast();
            minutes.addLast(new Minute(minute, last.counts().plus(since)));
            return;
        }
        minutes.addLast(new Minute(minute, since));
        while (minutes.size() > MINUTES_KEPT) {
            minutes.pollFirst();
        }
    }

    /** The sampled minutes, oldest first. */
    synchronized List<Minute> perMinute() {
        return new ArrayList<>(minutes);
    }

    /** Every endpoint this instance answered since it started, busiest first. */
    List<Endpoint> endpoints() {
        Map<String, List<Timer>> byEndpoint = new LinkedHashMap<>();
        for (Timer timer : registry.find(METRIC).timers()) {
            String key = timer.getId().getTag("method") + " " + timer.getId().getTag("uri");
            byEndpoint.computeIfAbsent(key, k -> new ArrayList<>()).add(timer);
        }
        List<Endpoint> endpoints = new ArrayList<>();
        byEndpoint.forEach((key, timers) -> {
            long requests = 0;
            long clientErrors = 0;
            long serverErrors = 0;
            double totalMillis = 0;
            for (Timer timer : timers) {
                long count = timer.count();
                String status = timer.getId().getTag("status");
                requests += count;
                if (status != null && status.startsWith("4")) {
                    clientErrors += count;
                }
                if (status != null && status.startsWith("5")) {
                    serverErrors += count;
                }
                totalMillis += timer.totalTime(TimeUnit.MILLISECONDS);
            }
            Timer first = timers.getFirst();
            endpoints.add(new Endpoint(first.getId().getTag("method"), first.getId().getTag("uri"),
                    new Counts(requests, clientErrors, serverErrors), requests == 0 ? 0 : totalMillis / requests));
        });
        endpoints.sort(Comparator.comparingLong((Endpoint endpoint) -> endpoint.counts().requests()).reversed());
        return endpoints;
    }

}
