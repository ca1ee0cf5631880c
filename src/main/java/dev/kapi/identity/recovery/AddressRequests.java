package dev.kapi.identity.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.magiclink.MagicLinks;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Requests that name an email address and must not tell whether it has an account (issue
 * 27): a password reset mail, a sign-in link, the verification mail again. The request
 * only adds a row to {@code address_requests} — the same statement for any address — and
 * is answered. A moment after its commit a worker of this instance, on a virtual thread,
 * takes the rows one at a time ({@code FOR UPDATE SKIP LOCKED}), looks the address up
 * and, for an account the request applies to, writes the audit entry and publishes the
 * mail event in the transaction that deletes the row; the mail goes out after that commit
 * from the event publication registry, as every account mail does. A row for an unknown
 * address is deleted, nothing more.
 * <p>
 * Nothing is lost on a crash: a row an instance did not get to (killed between the answer
 * and the worker) is taken by the next poll of any instance, every
 * {@code kapi.identity.address-requests.poll} (10 s). The once-a-minute rule per account
 * and the audit entry use the time the request was made, not the time it was handled.
 */
@Component
public class AddressRequests implements SchedulingConfigurer, DisposableBean {

    static final String PASSWORD_RESET = "password-reset";

    public static final String MAGIC_LINK = "magic-link";
    static final String VERIFICATION = "verification";

    private static final Logger log = LoggerFactory.getLogger(AddressRequests.class);

    /**
     * An account gets at most one mail of each kind a minute, so these routes cannot
     * flood a mailbox.
     */
    private static final Duration ONE_MAIL_PER = Duration.ofMinutes(1);

    /**
     * How long after a wake the worker's round starts: a request's answer takes well
     * under this to leave.
     */
    private static final Duration ROUND_DELAY = Duration.ofMillis(20);

    private record Request(long id, String kind, String email, String ip, Instant requestedAt) {
    }

    private final JdbcClient jdbc;

    private final Accounts accounts;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final Duration pollInterval;

    private final ScheduledExecutorService worker = Executors
        .newSingleThreadScheduledExecutor(Thread.ofVirtual().name("address-requests").factory());

    private final AtomicBoolean woken = new AtomicBoolean();

    AddressRequests(JdbcClient jdbc, Accounts accounts, AuditLog audit, ApplicationEventPublisher events,
            TransactionOperations transactions, Clock clock, AddressRequestSettings settings) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.pollInterval = settings.poll();
    }

    /**
     * Queues a request of the kind for the address; the worker handles it once this
     * commits.
     */
    public void add(String kind, String email) {
        jdbc.sql("INSERT INTO address_requests (kind, email, ip, requested_at) VALUES (:kind, :email, :ip, :now)")
            .param("kind", kind)
            .param("email", AccountManagement.normalizeEmail(email))
            .param("ip", AuditLog.clientIp())
            .param("now", utc(clock.instant()))
            .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        }
        else {
            wake();
        }
    }

    /**
     * Takes over the rows another instance left behind, and any this one missed (ten
     * seconds after start).
     */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::poll, pollInterval, Duration.ofSeconds(10)));
    }

    void poll() {
        wake();
    }

    /**
     * Starts a round of the worker a moment later ({@link #ROUND_DELAY}) unless one is
     * about to start: the answer of the request that woke it is sent first, so that the
     * work for a known address does not share the CPU with that answer.
     */
    void wake() {
        if (woken.compareAndSet(false, true)) {
            try {
                worker.schedule(this::drain, ROUND_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException ex) {
                // Shutting down: the rows stay for the next start or another instance.
                woken.set(false);
            }
        }
    }

    private void drain() {
        woken.set(false);
        try {
            while (handleNext()) {
                // one request per transaction, until none is left
            }
        }
        catch (RuntimeException ex) {
            log.error("Handling address requests failed; the next poll retries", ex);
        }
    }

    /**
     * Takes and handles the oldest request no other instance holds; false when there is
     * none. A request whose handling fails is dropped with an error logged (its owner may
     * ask again), so that one cannot hold up the rest; when the database itself fails,
     * the drop fails too and the request waits for the next poll.
     */
    boolean handleNext() {
        AtomicLong claimed = new AtomicLong();
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                Optional<Request> request = jdbc.sql("""
                        DELETE FROM address_requests WHERE id = (SELECT id FROM address_requests
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id, kind, email, ip, requested_at
                        """)
                    .query((rs, row) -> new Request(rs.getLong("id"), rs.getString("kind"), rs.getString("email"),
                            rs.getString("ip"), instant(rs, "requested_at")))
                    .optional();
                request.ifPresent(taken -> {
                    claimed.set(taken.id());
                    handle(taken);
                });
                return request.isPresent();
            }));
        }
        catch (RuntimeException ex) {
            if (claimed.get() == 0) {
                throw ex;
            }
            log.error("Address request {} could not be handled and is dropped", claimed.get(), ex);
            jdbc.sql("DELETE FROM address_requests WHERE id = :id").param("id", claimed.get()).update();
            return true;
        }
    }

    private void handle(Request request) {
        Optional<Account> account = accounts.byLogin(request.email())
            .filter(found -> found.email().equals(request.email()))
            .filter(Account::active);
        switch (request.kind()) {
            case PASSWORD_RESET ->
                account.filter(found -> firstThisMinute(AuditType.PASSWORD_RESET_REQUESTED, found, request))
                    .ifPresent(found -> events.publishEvent(new AccountMails.PasswordResetRequested(found.id())));
            case MAGIC_LINK -> account.filter(found -> firstThisMinute(AuditType.MAGIC_LINK_REQUESTED, found, request))
                .ifPresent(found -> events.publishEvent(new MagicLinks.Requested(found.id())));
            case VERIFICATION -> account.filter(found -> !found.emailVerified())
                .filter(found -> firstThisMinute(AuditType.VERIFICATION_REQUESTED, found, request))
                .ifPresent(found -> events.publishEvent(new AccountMails.VerificationRequested(found.id())));
            default -> log.error("Address request {} has an unknown kind {}; dropped", request.id(), request.kind());
        }
    }

    /**
     * Records the request in the audit unless the account had one of the type in the
     * minute before it.
     */
    private boolean firstThisMinute(AuditType type, Account account, Request request) {
        if (audit.recorded(type, account.id(), request.requestedAt().minus(ONE_MAIL_PER))) {
            return false;
        }
        audit.record(type, null, account.id(), request.ip(), request.requestedAt(), null);
        return true;
    }

    @Override
    public void destroy() throws InterruptedException {
        worker.shutdown();
        if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
            worker.shutdownNow();
        }
    }

}
