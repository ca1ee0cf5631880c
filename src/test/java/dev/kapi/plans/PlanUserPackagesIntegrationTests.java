package dev.kapi.plans;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

import dev.kapi.plans.PlanCatalog.NewContent;
import dev.kapi.plans.PlanCatalog.NewPackage;
import dev.kapi.plans.PlanCatalog.PackageView;
import dev.kapi.plans.PlanCatalog.UserPackage;
import dev.kapi.shared.ApiException;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.plans.TestData.accountId;
import static dev.kapi.plans.TestData.packageName;
import static dev.kapi.plans.TestData.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PlanUserPackagesIntegrationTests extends IntegrationTest {

    @Autowired
    PlanCatalog plans;

    @Autowired
    Credits credits;

    @Test
    void assignWithoutStartThenItStartsNowAndEndsAfterThePackagesDays() {
        PackageView pkg = newPackage(30, "moe_gatherer");
        long account = accountId();
        Instant now = clock.instant();

        UserPackage given = plans.assign(account, pkg.id(), null);

        assertThat(given.accountId()).isEqualTo(account);
        assertThat(given.packageId()).isEqualTo(pkg.id());
        assertThat(given.packageName()).isEqualTo(pkg.name());
        assertThat(given.startsAt()).isBetween(now.minusMillis(1), now);
        assertThat(given.endsAt()).isEqualTo(given.startsAt().plus(Duration.ofDays(30)));
        assertThat(given.active()).isTrue();
        assertThat(given.contents()).isEqualTo(pkg.contents());
        assertThat(plans.userPackageById(given.id())).contains(given);
    }

    @Test
    void userPackageWhenTheClockMovesThenActiveExactlyFromItsStartUntilItsEnd() {
        PackageView pkg = newPackage(2, "moe_gatherer");
        long account = accountId();
        UserPackage given = plans.assign(account, pkg.id(), clock.instant().plus(Duration.ofDays(1)));

        assertThat(plans.userPackageById(given.id()).orElseThrow().active()).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(plans.userPackageById(given.id()).orElseThrow().active()).isTrue();
        clock.advance(Duration.ofDays(2));
        assertThat(plans.userPackageById(given.id()).orElseThrow().active()).isFalse();
        assertThat(plans.packagesOf(account)).singleElement().satisfies(found -> assertThat(found.active()).isFalse());
    }

    @Test
    void assignWhenThePackageDoesNotExistThenNotFound() {
        ApiException refused = refusal(() -> plans.assign(accountId(), Long.MAX_VALUE, null));

        assertThat(refused.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(refused.code()).isEqualTo("package-not-found");
    }

    @Test
    void packagesOfThenLatestStartFirstWithTheirContentsAndOneQueryServesManyAccounts() {
        long account = accountId();
        long other = accountId();
        PackageView monthly = newPackage(30, "moe_gatherer");
        PackageView weekly = newPackage(7, "report_export");
        Instant now = clock.instant();
        UserPackage older = plans.assign(account, monthly.id(), now.minus(Duration.ofDays(40)));
        UserPackage newer = plans.assign(account, weekly.id(), now.minus(Duration.ofDays(1)));
        UserPackage others = plans.assign(other, monthly.id(), null);

        List<UserPackage> packages = plans.packagesOf(account);

        assertThat(packages).extracting(UserPackage::id).containsExactly(newer.id(), older.id());
        assertThat(packages).extracting(UserPackage::active).containsExactly(true, false);
        assertThat(packages.getFirst().contents()).extracting(PlanCatalog.Content::contentValue)
            .containsExactly("report_export");
        long nobody = accountId();
        Map<Long, List<UserPackage>> byAccount = plans.packagesOf(List.of(account, other, nobody));
        assertThat(byAccount.get(account)).isEqualTo(packages);
        assertThat(byAccount.get(other)).containsExactly(others);
        assertThat(byAccount.get(nobody)).isEmpty();
    }

    @Test
    void updateUserPackageWhenTheStartMovesThenTheWindowMovesWithItAndAnotherPackageSetsTheLength() {
        PackageView tenDays = newPackage(10, "moe_gatherer");
        PackageView threeDays = newPackage(3, "bulk_sender");
        UserPackage given = plans.assign(accountId(), tenDays.id(), null);
        Instant later = Instant.parse("2030-03-15T14:30:00Z");

        UserPackage moved = plans.updateUserPackage(given.id(), Map.of("starts_at", "2030-03-15T17:30:00+03:00"));

        assertThat(moved.startsAt()).isEqualTo(later);
        assertThat(moved.endsAt()).isEqualTo(later.plus(Duration.ofDays(10)));
        assertThat(moved.active()).isFalse();

        UserPackage switched = plans.updateUserPackage(given.id(), Map.of("package_id", threeDays.id()));

        assertThat(switched.packageId()).isEqualTo(threeDays.id());
        assertThat(switched.packageName()).isEqualTo(threeDays.name());
        assertThat(switched.startsAt()).isEqualTo(later);
        assertThat(switched.endsAt()).isEqualTo(later.plus(Duration.ofDays(3)));
        assertThat(switched.contents()).isEqualTo(threeDays.contents());
    }

    @Test
    void updateUserPackageWhenAFieldIsUnknownOrInvalidThenBadRequestNamingIt() {
        UserPackage given = plans.assign(accountId(), newPackage(10, "moe_gatherer").id(), null);

        assertThat(refusal(() -> plans.updateUserPackage(given.id(), Map.of("ends_at", "2030-01-01T00:00:00Z"))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("ends_at", "unknown-field");
        assertThat(refusal(() -> plans.updateUserPackage(given.id(), Map.of("starts_at", "next tuesday"))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("starts_at", "invalid-value");
        assertThat(refusal(() -> plans.updateUserPackage(given.id(), Map.of("package_id", Long.MAX_VALUE))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("package_id", "package-not-found");
        assertThat(plans.userPackageById(given.id())).contains(given);
        ApiException missing = refusal(() -> plans.updateUserPackage(Long.MAX_VALUE, Map.of()));
        assertThat(missing.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(missing.code()).isEqualTo("user-package-not-found");
    }

    @Test
    void deleteUserPackageThenGoneAndASecondDeleteIsNotFound() {
        UserPackage given = plans.assign(accountId(), newPackage(10, "moe_gatherer").id(), null);

        plans.deleteUserPackage(given.id());

        assertThat(plans.userPackageById(given.id())).isEmpty();
        assertThat(refusal(() -> plans.deleteUserPackage(given.id())).code()).isEqualTo("user-package-not-found");
    }

    @Test
    void accountDeletedThenItsPackagesAreRemovedButItsLedgerIsKept() {
        String token = newUserToken();
        long account = accountIdOf(token);
        plans.assign(account, newPackage(10, "moe_gatherer").id(), null);
        credits.load(account, 25, "welcome", null);

        as(token).delete().uri("/users/me").exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(plans.packagesOf(account)).isEmpty());
        assertThat(credits.balanceOf(account)).isEqualTo(new Credits.Balance(25, 0));
        assertThat(credits.entriesOf(account)).extracting(Credits.Entry::reason).containsExactly("load");
    }

    private PackageView newPackage(int days, String contentValue) {
        return plans.createPackage(
                new NewPackage(packageName(), null, days, List.of(new NewContent(contentValue, contentValue))));
    }

}
