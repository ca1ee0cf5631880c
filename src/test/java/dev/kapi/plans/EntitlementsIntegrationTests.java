package dev.kapi.plans;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kapi.plans.PlanCatalog.NewContent;
import dev.kapi.plans.PlanCatalog.NewPackage;
import dev.kapi.plans.PlanCatalog.PackageView;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.plans.TestData.accountId;
import static dev.kapi.plans.TestData.packageName;
import static org.assertj.core.api.Assertions.assertThat;

class EntitlementsIntegrationTests extends IntegrationTest {

    @Autowired
    PlanCatalog plans;

    @Autowired
    Entitlements entitlements;

    @Test
    void ofThenTheContentValuesOfTheActivePackagesOnly() {
        long account = accountId();
        Instant now = clock.instant();
        plans.assign(account, newPackage(30, "moe_gatherer", "report_export").id(), null);
        plans.assign(account, newPackage(7, "moe_gatherer").id(), now.minus(Duration.ofDays(1)));
        plans.assign(account, newPackage(10, "bulk_sender").id(), now.minus(Duration.ofDays(10)));
        plans.assign(account, newPackage(10, "bulk_sender").id(), now.plus(Duration.ofDays(1)));

        assertThat(entitlements.of(account)).containsExactly("moe_gatherer", "report_export");
        assertThat(entitlements.has(account, "report_export")).isTrue();
        assertThat(entitlements.has(account, "bulk_sender")).isFalse();
        assertThat(entitlements.has(account, null)).isFalse();
    }

    @Test
    void ofWhenTheClockPassesThePackagesEndThenTheEntitlementIsGone() {
        long account = accountId();
        plans.assign(account, newPackage(1, "bulk_sender").id(), null);
        assertThat(entitlements.has(account, "bulk_sender")).isTrue();

        clock.advance(Duration.ofDays(1));

        assertThat(entitlements.has(account, "bulk_sender")).isFalse();
        assertThat(entitlements.of(account)).isEmpty();
    }

    @Test
    void ofWhenAnActivePackagesContentsChangeThenTheEntitlementsFollow() {
        long account = accountId();
        PackageView pkg = newPackage(30, "moe_gatherer");
        plans.assign(account, pkg.id(), null);

        plans.updatePackage(pkg.id(), Map.of("package_contents", List.of(Map.of("content_value", "bulk_sender"))));

        assertThat(entitlements.of(account)).containsExactly("bulk_sender");
    }

    @Test
    void ofWhenTheAccountHasNoPackagesThenNothing() {
        assertThat(entitlements.of(accountId())).isEmpty();
    }

    private PackageView newPackage(int days, String... contentValues) {
        return plans.createPackage(new NewPackage(packageName(), null, days,
                Arrays.stream(contentValues).map(value -> new NewContent(value, value)).toList()));
    }

}
