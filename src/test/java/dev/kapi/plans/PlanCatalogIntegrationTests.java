package dev.kapi.plans;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

import dev.kapi.plans.PlanCatalog.Content;
import dev.kapi.plans.PlanCatalog.NewContent;
import dev.kapi.plans.PlanCatalog.NewPackage;
import dev.kapi.plans.PlanCatalog.PackageView;
import dev.kapi.shared.ApiException;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.plans.TestData.accountId;
import static dev.kapi.plans.TestData.packageName;
import static dev.kapi.plans.TestData.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PlanCatalogIntegrationTests extends IntegrationTest {

    @Autowired
    PlanCatalog plans;

    @Test
    void catalogueThenTheConfiguredContentValuesWithTheDefaultFirst() {
        assertThat(plans.catalogue()).containsExactly("moe_gatherer", "report_export", "bulk_sender");
    }

    @Test
    void createPackageWhenContentValuesAreInTheCatalogueThenStoredWithItsContents() {
        String name = packageName();

        PackageView created = plans.createPackage(new NewPackage(name, " Gatherer for a month ", 30,
                List.of(new NewContent("moe_gatherer", "moe_gatherer"), new NewContent(null, "report_export"))));

        assertThat(created.id()).isPositive();
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.detail()).isEqualTo("Gatherer for a month");
        assertThat(created.days()).isEqualTo(30);
        assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());
        assertThat(created.contents()).extracting(Content::name, Content::contentValue)
            .containsExactly(tuple("moe_gatherer", "moe_gatherer"), tuple("report_export", "report_export"));
        assertThat(created.contents()).allSatisfy(content -> assertThat(content.packageId()).isEqualTo(created.id()));
        assertThat(plans.packageById(created.id())).contains(created);
    }

    @Test
    void createPackageWhenAContentValueIsNotInTheCatalogueThenBadRequestNamingItAndNothingStored() {
        String name = packageName();

        ApiException refused = refusal(() -> plans.createPackage(new NewPackage(name, null, 10,
                List.of(new NewContent("ok", "moe_gatherer"), new NewContent("bad", "time_machine")))));

        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.code()).isEqualTo("content-value-unknown");
        assertThat(refused.field()).isEqualTo("package_contents[1].content_value");
        assertThat(plans.packageByName(name)).isEmpty();
    }

    @Test
    void createPackageWhenNameOrDaysMissingOrDaysOutOfRangeThenBadRequestNamingTheField() {
        assertThat(refusal(() -> plans.createPackage(new NewPackage(" ", null, 10, null))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("name", "required");
        assertThat(refusal(() -> plans.createPackage(new NewPackage(packageName(), null, null, null))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("days", "required");
        assertThat(refusal(() -> plans.createPackage(new NewPackage(packageName(), null, 0, null))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("days", "package-days-invalid");
        assertThat(refusal(() -> plans
            .createPackage(new NewPackage(packageName(), null, 10, List.of(new NewContent("no value", null))))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("package_contents[0].content_value", "required");
    }

    @Test
    void createPackageWhenNameTakenIgnoringCaseThenConflict() {
        String name = packageName();
        plans.createPackage(new NewPackage(name, null, 10, List.of()));

        ApiException refused = refusal(() -> plans.createPackage(new NewPackage(name.toUpperCase(), null, 5, null)));

        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.code()).isEqualTo("package-name-taken");
    }

    @Test
    void packageByNameThenFoundIgnoringCaseAndUnknownIsEmpty() {
        PackageView created = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));

        assertThat(plans.packageByName(created.name().toUpperCase())).map(PackageView::id).contains(created.id());
        assertThat(plans.packageByName("no such package " + UUID.randomUUID())).isEmpty();
        assertThat(plans.packageById(Long.MAX_VALUE)).isEmpty();
        assertThat(plans.packages()).extracting(PackageView::id).contains(created.id());
    }

    @Test
    void updatePackageWithWhitelistedFieldsThenChangedAndContentsReplaced() {
        PackageView created = plans.createPackage(
                new NewPackage(packageName(), "old", 10, List.of(new NewContent("moe_gatherer", "moe_gatherer"))));
        String renamed = packageName();
        clock.advance(Duration.ofMinutes(1));

        // seed 000's example body of PUT /api/v1/admin/update/1/<id>
        PackageView updated = plans.updatePackage(created.id(),
                Map.of("name", renamed, "detail", "1dadad", "days", 20, "package_contents",
                        List.of(Map.of("name", "moe_gatherer", "content_value", "moe_gatherer"),
                                Map.of("name", "Exports", "content_value", "report_export"))));

        assertThat(updated.name()).isEqualTo(renamed);
        assertThat(updated.detail()).isEqualTo("1dadad");
        assertThat(updated.days()).isEqualTo(20);
        assertThat(updated.contents()).extracting(Content::name, Content::contentValue)
            .containsExactly(tuple("moe_gatherer", "moe_gatherer"), tuple("Exports", "report_export"));
        assertThat(updated.updatedAt()).isAfter(created.updatedAt());
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    }

    @Test
    void updatePackageWithOnlySomeFieldsThenTheOthersStay() {
        PackageView created = plans.createPackage(
                new NewPackage(packageName(), "detail", 10, List.of(new NewContent("moe_gatherer", "moe_gatherer"))));

        PackageView updated = plans.updatePackage(created.id(), Map.of("days", 15));

        assertThat(updated.name()).isEqualTo(created.name());
        assertThat(updated.detail()).isEqualTo("detail");
        assertThat(updated.days()).isEqualTo(15);
        assertThat(updated.contents()).isEqualTo(created.contents());
    }

    @Test
    void updatePackageWhenAFieldIsUnknownThenBadRequestNamingItAndNothingChanged() {
        PackageView created = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));

        ApiException refused = refusal(() -> plans.updatePackage(created.id(), Map.of("days", 99, "price", 5)));

        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.code()).isEqualTo("unknown-field");
        assertThat(refused.field()).isEqualTo("price");
        assertThat(plans.packageById(created.id())).map(PackageView::days).contains(10);
    }

    @Test
    void updatePackageWhenAContentIsInvalidThenBadRequestNamingItsPath() {
        PackageView created = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));

        assertThat(refusal(() -> plans.updatePackage(created.id(),
                Map.of("package_contents",
                        List.of(Map.of("content_value", "moe_gatherer"), Map.of("content_value", "nope"))))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("package_contents[1].content_value", "content-value-unknown");
        assertThat(refusal(() -> plans.updatePackage(created.id(),
                Map.of("package_contents", List.of(Map.of("content_value", "moe_gatherer", "colour", "red"))))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("package_contents[0].colour", "unknown-field");
        assertThat(refusal(() -> plans.updatePackage(created.id(), Map.of("days", "many"))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("days", "invalid-value");
    }

    @Test
    void updatePackageWhenNameTakenThenConflictAndWhenMissingThenNotFound() {
        PackageView first = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));
        PackageView second = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));

        assertThat(refusal(() -> plans.updatePackage(second.id(), Map.of("name", first.name()))).code())
            .isEqualTo("package-name-taken");
        ApiException missing = refusal(() -> plans.updatePackage(Long.MAX_VALUE, Map.of("days", 3)));
        assertThat(missing.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(missing.code()).isEqualTo("package-not-found");
    }

    @Test
    void deletePackageWhileGivenToAUserThenConflictAndOnceFreeThenDeletedWithItsContents() {
        PackageView created = plans.createPackage(
                new NewPackage(packageName(), null, 10, List.of(new NewContent("moe_gatherer", "moe_gatherer"))));
        long contentId = created.contents().getFirst().id();
        PlanCatalog.UserPackage given = plans.assign(accountId(), created.id(), null);

        ApiException refused = refusal(() -> plans.deletePackage(created.id()));
        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.code()).isEqualTo("package-in-use");

        plans.deleteUserPackage(given.id());
        plans.deletePackage(created.id());

        assertThat(plans.packageById(created.id())).isEmpty();
        assertThat(plans.contentById(contentId)).isEmpty();
        assertThat(refusal(() -> plans.deletePackage(created.id())).code()).isEqualTo("package-not-found");
    }

    @Test
    void contentsWhenAddedUpdatedAndDeletedThenThePackageFollows() {
        PackageView created = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));
        String label = "Label " + UUID.randomUUID();

        Content added = plans.addContent(created.id(), new NewContent(label, "moe_gatherer"));
        assertThat(plans.contentById(added.id())).contains(added);
        assertThat(plans.contentByName(label.toLowerCase())).contains(added);

        Content updated = plans.updateContent(added.id(), Map.of("content_value", "bulk_sender"));
        assertThat(updated).isEqualTo(new Content(added.id(), created.id(), label, "bulk_sender"));
        assertThat(plans.packageById(created.id()).orElseThrow().contents()).containsExactly(updated);

        plans.deleteContent(added.id());
        assertThat(plans.contentById(added.id())).isEmpty();
        assertThat(plans.packageById(created.id()).orElseThrow().contents()).isEmpty();
    }

    @Test
    void contentsWhenInvalidOrMissingThenRefusedNamingTheProblem() {
        PackageView created = plans.createPackage(new NewPackage(packageName(), null, 10, List.of()));
        Content added = plans.addContent(created.id(), new NewContent(null, "moe_gatherer"));

        assertThat(added.name()).isEqualTo("moe_gatherer");
        assertThat(refusal(() -> plans.addContent(created.id(), new NewContent("x", "unknown_value"))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("content_value", "content-value-unknown");
        assertThat(refusal(() -> plans.addContent(Long.MAX_VALUE, new NewContent("x", "moe_gatherer"))).code())
            .isEqualTo("package-not-found");
        assertThat(refusal(() -> plans.updateContent(added.id(), Map.of("content_value", "unknown_value"))).field())
            .isEqualTo("content_value");
        assertThat(refusal(() -> plans.updateContent(added.id(), Map.of("package_id", 1))))
            .extracting(ApiException::field, ApiException::code)
            .containsExactly("package_id", "unknown-field");
        assertThat(refusal(() -> plans.updateContent(Long.MAX_VALUE, Map.of("name", "x"))).code())
            .isEqualTo("content-not-found");
        assertThat(refusal(() -> plans.deleteContent(Long.MAX_VALUE)).status()).isEqualTo(HttpStatus.NOT_FOUND);
    }

}
