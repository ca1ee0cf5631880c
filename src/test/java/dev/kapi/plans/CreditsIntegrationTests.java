package dev.kapi.plans;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.plans.Credits.Balance;
import dev.kapi.plans.Credits.Entry;
import dev.kapi.plans.Credits.Reservation;
import dev.kapi.shared.ApiException;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.plans.TestData.accountId;
import static dev.kapi.plans.TestData.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CreditsIntegrationTests extends IntegrationTest {

    @Autowired
    Credits credits;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void loadThenTheCreditIsTheSumOfTheEntries() {
        long account = accountId();
        long admin = accountId();

        Entry first = credits.load(account, 100, "first load", admin);
        credits.load(account, 50, null, null);

        assertThat(first)
            .extracting(Entry::accountId, Entry::kind, Entry::amount, Entry::reason, Entry::note, Entry::actorId)
            .containsExactly(account, "credit", 100L, "load", "first load", admin);
        assertThat(first.createdAt()).isNotNull();
        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(150, 0));
        assertSumsEqualBalance(account);
    }

    @Test
    void loadWhenTheAmountIsNotPositiveThenBadRequestNamingAmountAndNothingWritten() {
        long account = accountId();

        for (long amount : new long[] { 0, -5 }) {
            ApiException refused = refusal(() -> credits.load(account, amount, null, null));
            assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(refused.field()).isEqualTo("amount");
            assertThat(refused.code()).isEqualTo("credit-amount-invalid");
        }
        assertThat(credits.entriesOf(account)).isEmpty();
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
    }

    @Test
    void setTotalsThenAdjustingEntriesMakeTheSumsEqualTheGivenTotals() {
        long account = accountId();
        long admin = accountId();

        // seed 004: POST /api/admin/users with "credit": 100, "debit": 50, then PUT with
        // "credit": 200, "debit": 75
        assertThat(credits.setTotals(account, 100L, 50L, admin, "created")).isEqualTo(new Balance(100, 50));
        credits.load(account, 30, null, admin);
        assertThat(credits.setTotals(account, 200L, 75L, admin, "updated")).isEqualTo(new Balance(200, 75));

        assertThat(credits.entriesOf(account))
            .extracting(Entry::kind, Entry::amount, Entry::reason, Entry::note, Entry::actorId)
            .containsExactly(tuple("debit", 25L, "adjustment", "updated", admin),
                    tuple("credit", 70L, "adjustment", "updated", admin), tuple("credit", 30L, "load", null, admin),
                    tuple("debit", 50L, "adjustment", "created", admin),
                    tuple("credit", 100L, "adjustment", "created", admin));
        assertSumsEqualBalance(account);
    }

    @Test
    void setTotalsWhenATotalIsNullOrUnchangedThenNoEntryForIt() {
        long account = accountId();
        credits.setTotals(account, 40L, 10L, null, null);

        assertThat(credits.setTotals(account, 40L, null, null, null)).isEqualTo(new Balance(40, 10));
        assertThat(credits.setTotals(account, 5L, null, null, null)).isEqualTo(new Balance(5, 10));

        assertThat(credits.entriesOf(account)).extracting(Entry::kind, Entry::amount)
            .containsExactly(tuple("credit", -35L), tuple("debit", 10L), tuple("credit", 40L));
        assertSumsEqualBalance(account);
    }

    @Test
    void setTotalsWhenATotalIsNegativeThenBadRequestNamingIt() {
        long account = accountId();

        assertThat(refusal(() -> credits.setTotals(account, -1L, null, null, null)))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("credit", "credit-total-invalid");
        assertThat(refusal(() -> credits.setTotals(account, 10L, -1L, null, null)))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("debit", "credit-total-invalid");
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
    }

    @Test
    void balancesOfThenEveryAskedAccountInOneAnswer() {
        long rich = accountId();
        long indebted = accountId();
        long nobody = accountId();
        credits.load(rich, 500, null, null);
        credits.setTotals(indebted, null, 20L, null, null);

        Map<Long, Balance> balances = credits.balancesOf(List.of(rich, indebted, nobody));

        assertThat(balances).containsExactly(Map.entry(rich, new Balance(500, 0)),
                Map.entry(indebted, new Balance(0, 20)), Map.entry(nobody, Balance.ZERO));
        assertThat(credits.balancesOf(List.of())).isEmpty();
    }

    @Test
    void entriesOfThenNewestFirstAndPagedByTheLastId() {
        long account = accountId();
        for (int amount = 1; amount <= 5; amount++) {
            credits.load(account, amount, null, null);
        }

        List<Entry> all = credits.entriesOf(account);
        List<Entry> firstPage = credits.entriesOf(account, 2, null);
        List<Entry> secondPage = credits.entriesOf(account, 2, firstPage.getLast().id());

        assertThat(all).extracting(Entry::amount).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(firstPage).isEqualTo(all.subList(0, 2));
        assertThat(secondPage).isEqualTo(all.subList(2, 4));
    }

    @Test
    void ledgerEntriesWhenChangedOrDeletedInTheDatabaseThenRefused() {
        long account = accountId();
        long id = credits.load(account, 10, null, null).id();

        assertThatThrownBy(
                () -> jdbc.sql("UPDATE credit_entries SET amount = 1000 WHERE id = :id").param("id", id).update())
            .isInstanceOf(DataAccessException.class)
            .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM credit_entries WHERE id = :id").param("id", id).update())
            .isInstanceOf(DataAccessException.class)
            .hasMessageContaining("append-only");
        assertThat(credits.entriesOf(account)).extracting(Entry::amount).containsExactly(10L);
    }

    @Test
    void reserveThenTheCreditsLeaveTheBalanceAtOnce() {
        long account = accountId();
        credits.load(account, 10, null, null);

        Reservation reservation = credits.reserve(account, 3, "queue 7");

        assertThat(reservation.accountId()).isEqualTo(account);
        assertThat(reservation.amount()).isEqualTo(3);
        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(7, 0));
        assertThat(credits.entriesOf(account).getFirst())
            .extracting(Entry::kind, Entry::amount, Entry::reason, Entry::note)
            .containsExactly("credit", -3L, "reservation", "queue 7");
        assertSumsEqualBalance(account);
    }

    @Test
    void reserveWhenTheCreditIsShortThenConflictAndNothingWritten() {
        long account = accountId();
        credits.load(account, 2, null, null);

        ApiException refused = refusal(() -> credits.reserve(account, 3, "queue 8"));

        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.code()).isEqualTo("insufficient-credits");
        assertThat(refused.args()).containsExactly(2L, 3L);
        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(2, 0));
        assertThat(credits.entriesOf(account)).hasSize(1);
        assertThat(refusal(() -> credits.reserve(accountId(), 1, null)).code()).isEqualTo("insufficient-credits");
        assertThat(refusal(() -> credits.reserve(account, 0, null)).field()).isEqualTo("amount");
    }

    @Test
    void reserveWhenTwentySpendsOfOneRaceForTenCreditsThenExactlyTenSucceedAndTheCreditNeverGoesNegative()
            throws Exception {
        long account = accountId();
        credits.load(account, 10, null, null);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> spends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spends.add(() -> {
                start.await();
                try {
                    credits.reserve(account, 1, "race");
                    return true;
                }
                catch (ApiException ex) {
                    assertThat(ex.code()).isEqualTo("insufficient-credits");
                    return false;
                }
            });
        }

        List<Future<Boolean>> outcomes;
        try (ExecutorService pool = Executors.newFixedThreadPool(spends.size())) {
            outcomes = spends.stream().map(pool::submit).toList();
            start.countDown();
        }

        long succeeded = 0;
        for (Future<Boolean> outcome : outcomes) {
            succeeded += outcome.get() ? 1 : 0;
        }
        assertThat(succeeded).isEqualTo(10);
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
        assertThat(credits.entriesOf(account)).filteredOn(entry -> entry.reason().equals("reservation")).hasSize(10);
        assertSumsEqualBalance(account);
    }

    @Test
    void reserveUpToWhenTheCreditIsShortThenItTakesWhatThereIsAndNothingWhenThereIsNone() {
        long account = accountId();
        credits.load(account, 10, null, null);

        Reservation all = credits.reserveUpTo(account, 4, "queue 12").orElseThrow();
        Reservation rest = credits.reserveUpTo(account, 9, "queue 13").orElseThrow();

        assertThat(all.amount()).isEqualTo(4);
        assertThat(rest.amount()).isEqualTo(6);
        assertThat(credits.reserveUpTo(account, 1, "queue 14")).isEmpty();
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
        assertThat(credits.entriesOf(account)).extracting(Entry::amount, Entry::reason, Entry::note)
            .containsExactly(tuple(-6L, "reservation", "queue 13"), tuple(-4L, "reservation", "queue 12"),
                    tuple(10L, "load", null));
        assertThat(refusal(() -> credits.reserveUpTo(account, 0, null)).field()).isEqualTo("amount");
        credits.settle(rest.id(), 5);
        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(1, 0));
        assertSumsEqualBalance(account);
    }

    @Test
    void reserveUpToWhenTwentySpendsRaceForTenCreditsThenTheyTakeExactlyTheTenAndTheCreditNeverGoesNegative()
            throws Exception {
        long account = accountId();
        credits.load(account, 10, null, null);
        CyclicBarrier together = new CyclicBarrier(20);
        List<Future<Long>> outcomes = new ArrayList<>();

        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                outcomes.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return credits.reserveUpTo(account, 3, "race").map(Reservation::amount).orElse(0L);
                }));
            }
        }

        List<Long> covered = new ArrayList<>();
        for (Future<Long> outcome : outcomes) {
            covered.add(outcome.get());
        }
        assertThat(covered).filteredOn(amount -> amount > 0).containsExactlyInAnyOrder(3L, 3L, 3L, 1L);
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
        assertThat(credits.entriesOf(account)).filteredOn(entry -> entry.reason().equals("reservation"))
            .extracting(Entry::amount)
            .containsExactlyInAnyOrder(-3L, -3L, -3L, -1L);
        assertSumsEqualBalance(account);
    }

    /**
     * The race a read-then-reserve loses: a spend holds the account while another reads
     * the balance; reserving up to an amount waits for it and covers only what it left.
     */
    @Test
    void reserveUpToWhenAnotherSpendHoldsTheAccountThenItWaitsAndCoversOnlyWhatThatSpendLeft() throws Exception {
        long account = accountId();
        credits.load(account, 10, null, null);
        CyclicBarrier spent = new CyclicBarrier(2);
        CyclicBarrier commit = new CyclicBarrier(2);

        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> other = pool.submit(() -> transactions.executeWithoutResult(status -> {
                credits.reserve(account, 6, "other spend");
                await(spent);
                await(commit);
            }));
            await(spent);
            Future<Optional<Reservation>> upTo = pool.submit(() -> credits.reserveUpTo(account, 8, "queue 15"));
            org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%credit_balances%'")
                    .query(Long.class)
                    .single() == 1);
            await(commit);
            other.get(10, TimeUnit.SECONDS);

            assertThat(upTo.get(10, TimeUnit.SECONDS)).get().extracting(Reservation::amount).isEqualTo(4L);
        }
        assertThat(credits.balanceOf(account)).isEqualTo(Balance.ZERO);
        assertSumsEqualBalance(account);
    }

    @Test
    void commitTwiceThenTheSpendIsFinalOnceAndNothingMoves() {
        long account = accountId();
        credits.load(account, 10, null, null);
        Reservation reservation = credits.reserve(account, 4, "queue 9");

        credits.commit(reservation.id());
        credits.commit(reservation.id());

        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(6, 0));
        assertThat(credits.entriesOf(account)).extracting(Entry::reason).containsExactly("reservation", "load");
        ApiException refused = refusal(() -> credits.refund(reservation.id()));
        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.code()).isEqualTo("reservation-committed");
    }

    @Test
    void refundTwiceThenTheCreditsComeBackOnceWithACompensatingEntry() {
        long account = accountId();
        credits.load(account, 10, null, null);
        Reservation reservation = credits.reserve(account, 4, "queue 10");

        credits.refund(reservation.id());
        credits.refund(reservation.id());

        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(10, 0));
        assertThat(credits.entriesOf(account)).extracting(Entry::kind, Entry::amount, Entry::reason, Entry::note)
            .containsExactly(tuple("credit", 4L, "refund", "queue 10"), tuple("credit", -4L, "reservation", "queue 10"),
                    tuple("credit", 10L, "load", null));
        ApiException refused = refusal(() -> credits.commit(reservation.id()));
        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.code()).isEqualTo("reservation-refunded");
        assertSumsEqualBalance(account);
    }

    @Test
    void refundWhenManyCallersRaceThenTheCreditsComeBackOnce() throws Exception {
        long account = accountId();
        credits.load(account, 10, null, null);
        Reservation reservation = credits.reserve(account, 10, "queue 11");
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                pool.submit(() -> {
                    start.await();
                    credits.refund(reservation.id());
                    return null;
                });
            }
            start.countDown();
        }

        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(10, 0));
        assertThat(credits.entriesOf(account)).filteredOn(entry -> entry.reason().equals("refund")).hasSize(1);
    }

    @Test
    void commitOrRefundWhenTheReservationIsUnknownThenNotFound() {
        UUID unknown = UUID.randomUUID();

        for (ApiException refused : List.of(refusal(() -> credits.commit(unknown)),
                refusal(() -> credits.refund(unknown)))) {
            assertThat(refused.status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(refused.code()).isEqualTo("reservation-not-found");
        }
    }

    /**
     * The ledger's promise: an account's totals are exactly the sums of its entries of
     * each kind.
     */
    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertSumsEqualBalance(long account) {
        List<Entry> entries = credits.entriesOf(account);
        long credit = entries.stream().filter(entry -> entry.kind().equals("credit")).mapToLong(Entry::amount).sum();
        long debit = entries.stream().filter(entry -> entry.kind().equals("debit")).mapToLong(Entry::amount).sum();
        assertThat(credits.balanceOf(account)).isEqualTo(new Balance(credit, debit));
    }

}
