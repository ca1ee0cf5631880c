package dev.kapi.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;
import dev.kapi.support.TestDns;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Signed webhooks end to end, against a real HTTP receiver (WireMock) on loopback. */
class WebhookIntegrationTests extends IntegrationTest {

    static final WireMockServer RECEIVER = start();

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    private static final tools.jackson.core.type.TypeReference<Map<String, Object>> JSON_OBJECT_TYPE = new tools.jackson.core.type.TypeReference<>() {
    };

    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    private WebhookDelivery delivery;

    @Autowired
    private WebhookHousekeeping housekeeping;

    @Autowired
    private TestDns dns;

    @Test
    void adminsManageWebhooksAndTheSecretIsShownOnce() {
        TestUser admin = newAdmin();
        String url = RECEIVER.baseUrl() + "/hooks/" + UUID.randomUUID();
        Map<String, Object> created = post(admin, "/api/admin/webhooks",
                Map.of("url", url, "events", List.of("account.registered", "session.revoked"), "description", "CRM"),
                201);
        assertThat(created).containsEntry("url", url)
            .containsEntry("description", "CRM")
            .containsEntry("events", List.of("account.registered", "session.revoked"))
            .containsKey("created_at");
        assertThat((String) created.get("secret")).startsWith("whsec_").hasSize(6 + 64);
        String path = "/api/admin/webhooks/" + id(created);

        Map<String, Object> shown = get(admin, path, 200);
        assertThat(shown).doesNotContainKey("secret").containsEntry("url", url);
        assertThat(list(admin, "/api/admin/webhooks?limit=500")).extracting(row -> row.get("id"))
            .contains(created.get("id"));

        Map<String, Object> updated = put(admin, path,
                Map.of("url", url + "/v2", "events", List.of("account.deleted"), "description", "CRM v2"), 200);
        assertThat(updated).containsEntry("url", url + "/v2").containsEntry("events", List.of("account.deleted"));

        as(admin.token()).delete().uri(path).exchange().expectStatus().isNoContent();
        get(admin, path, 404);
        as(admin.token()).delete().uri(path).exchange().expectStatus().isNotFound();
    }

    @Test
    void badWebhooksAreRefusedNamingTheField() {
        TestUser admin = newAdmin();
        String url = RECEIVER.baseUrl() + "/hooks/bad";
        assertThat(invalidFields(
                post(admin, "/api/admin/webhooks", Map.of("url", url, "events", List.of("account.exploded")), 400)))
            .containsExactly("events");
        assertThat(invalidFields(post(admin, "/api/admin/webhooks", Map.of("url", url, "events", List.of()), 400)))
            .containsExactly("events");
        assertThat(invalidFields(post(admin, "/api/admin/webhooks",
                Map.of("url", "ftp://example.com/", "events", List.of("account.deleted")), 400)))
            .containsExactly("url");
        assertThat(invalidFields(post(admin, "/api/admin/webhooks",
                Map.of("url", "https://example.com/" + "a".repeat(2048), "events", List.of("account.deleted")), 400)))
            .containsExactly("url");
        as(newUserToken()).post()
            .uri("/api/admin/webhooks")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("url", url, "events", List.of("account.deleted")))
            .exchange()
            .expectStatus()
            .isForbidden();
    }

    @Test
    void aTargetThatHidesAPrivateIpv4InANat64SixToFourOrTeredoAddressIsRefusedEvenWherePrivateTargetsAreAllowed() {
        TestUser admin = newAdmin();
        // 169.254.169.254 (cloud metadata) through NAT64's well-known prefix; 192.168.1.1
        // through 6to4; a Teredo
        // address whose server is 10.0.0.1.
        for (String url : List.of("http://[64:ff9b::a9fe:a9fe]/", "http://[2002:c0a8:101::1]/latest/meta-data",
                "https://[2001:0:a00:1::1]/")) {
            Map<String, Object> problem = post(admin, "/api/admin/webhooks",
                    Map.of("url", url, "events", List.of("account.registered")), 400);
            assertThat(problem).as(url).containsEntry("type", "urn:kapi:problem:webhook-target-private");
            assertThat(invalidFields(problem)).as(url).containsExactly("url");
        }
    }

    @Test
    void aDeliveryConnectsToTheAddressItsLookupCheckedNotToALaterAnswerOfTheName() {
        // The attacker's name answers the receiver's address once, then an internal
        // service's (same port, another
        // loopback address): a client that checked one answer and looked the name up
        // again to connect would post
        // the signed event to the internal service.
        WireMockServer receiver = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        WireMockServer internal = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.2").port(receiver.port()));
        internal.start();
        try {
            receiver.stubFor(WireMock.post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
            internal.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(aResponse().withStatus(204)));
            String host = "rebind-" + UUID.randomUUID() + ".test";
            dns.answer(host, "127.0.0.1", "127.0.0.2");
            TestUser admin = newAdmin();
            Map<String, Object> webhook = post(admin, "/api/admin/webhooks", Map.of("url",
                    "http://" + host + ":" + receiver.port() + "/hook", "events", List.of("account.registered")), 201);

            registerUser();
            delivery.deliverDue();

            assertThat(receiver.findAll(postRequestedFor(urlPathEqualTo("/hook")))).hasSize(1);
            assertThat(internal.getAllServeEvents()).isEmpty();
            assertThat(dns.lookups(host)).isEqualTo(1);
            assertThat(list(admin, "/api/admin/webhooks/" + id(webhook) + "/deliveries")).singleElement()
                .satisfies(
                        row -> assertThat(row).containsEntry("status", "delivered").containsEntry("last_status", 204));
            as(admin.token()).delete()
                .uri("/api/admin/webhooks/" + id(webhook))
                .exchange()
                .expectStatus()
                .isNoContent();
        }
        finally {
            receiver.stop();
            internal.stop();
        }
    }

    @Test
    void aRegistrationIsDeliveredSignedWithTheSecret() throws Exception {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(204)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("account.registered")), 201);
        String secret = (String) webhook.get("secret");

        String email = registerUser();
        delivery.deliverDue();

        List<LoggedRequest> received = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(1);
        LoggedRequest request = received.getFirst();
        String body = request.getBodyAsString();
        Map<String, Object> event = json.readValue(body, JSON_OBJECT_TYPE);
        assertThat(event.keySet()).containsExactly("id", "type", "created_at", "data");
        assertThat(event.get("type")).isEqualTo("account.registered");
        assertThat(data(event)).containsEntry("email", email).containsEntry("role", "user");
        assertThat(request.getHeader("Kapi-Event-Id")).isEqualTo(event.get("id"));
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");

        String signature = request.getHeader("Kapi-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        String timestamp = signature.substring(2, signature.indexOf(','));
        assertThat(Long.parseLong(timestamp)).isEqualTo(clock.instant().getEpochSecond());
        assertThat(signature.substring(signature.indexOf("v1=") + 3)).isEqualTo(hmac(secret, timestamp + "." + body));

        List<Map<String, Object>> deliveries = list(admin, "/api/admin/webhooks/" + id(webhook) + "/deliveries");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.getFirst()).containsEntry("event_id", event.get("id"))
            .containsEntry("type", "account.registered")
            .containsEntry("status", "delivered")
            .containsEntry("attempts", 1)
            .containsEntry("last_status", 204);
        assertThat(deliveries.getFirst().get("delivered_at")).isNotNull();
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void aFailedDeliveryIsRetriedAfterTheBackOffWithTheSameEventAndCanBeSentAgain() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path))
            .inScenario(path)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500).withBody("<html>stack trace</html>"))
            .willSetStateTo("up"));
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path))
            .inScenario(path)
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("session.revoked")), 201);
        String deliveries = "/api/admin/webhooks/" + id(webhook) + "/deliveries";

        TestUser user = newUser();
        as(user.token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();
        delivery.deliverDue();

        Map<String, Object> failed = list(admin, deliveries).getFirst();
        assertThat(failed).containsEntry("status", "pending")
            .containsEntry("attempts", 1)
            .containsEntry("last_status", 500)
            .containsEntry("last_error", "HTTP 500");
        Instant retryAt = Instant.parse((String) failed.get("next_attempt_at"));
        assertThat(Duration.between(clock.instant(), retryAt)).isEqualTo(Duration.ofSeconds(30));

        delivery.deliverDue();
        assertThat(RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1);

        clock.advance(Duration.ofSeconds(31));
        delivery.deliverDue();
        List<LoggedRequest> received = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getHeader("Kapi-Event-Id")).isEqualTo(received.get(0).getHeader("Kapi-Event-Id"))
            .isEqualTo(failed.get("event_id"));
        assertThat(received.get(1).getBodyAsString()).isEqualTo(received.get(0).getBodyAsString());
        Map<String, Object> event = json.readValue(received.get(1).getBodyAsString(), JSON_OBJECT_TYPE);
        assertThat(event.get("type")).isEqualTo("session.revoked");
        assertThat(((Number) data(event).get("account_id")).longValue()).isEqualTo(user.id());

        Map<String, Object> delivered = list(admin, deliveries).getFirst();
        assertThat(delivered).containsEntry("status", "delivered")
            .containsEntry("attempts", 2)
            .containsEntry("last_status", 200)
            .containsEntry("last_error", null);

        Map<String, Object> again = post(admin, deliveries + "/" + id(delivered) + "/redeliver", 202);
        assertThat(again).containsEntry("status", "pending").containsEntry("event_id", failed.get("event_id"));
        delivery.deliverDue();
        received = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(3);
        assertThat(received.get(2).getHeader("Kapi-Event-Id")).isEqualTo(failed.get("event_id"));
        assertThat(received.get(2).getBodyAsString()).isEqualTo(received.get(0).getBodyAsString());
        assertThat(list(admin, deliveries).getFirst()).containsEntry("status", "delivered");

        post(admin, deliveries + "/999999999/redeliver", 404);
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void profileChangesFreezingAndThawingAreDelivered() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks", Map.of("url", RECEIVER.baseUrl() + path,
                "events", List.of("account.updated", "account.frozen", "account.unfrozen")), 201);
        TestUser user = newUser();

        put(user, "/users/me", Map.of("full_name", "New Name"), 200);
        post(user, "/users/me/freeze", 200);
        post(user, "/users/me/unfreeze", 200);
        delivery.deliverDue();

        List<Map<String, Object>> events = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))
            .stream()
            .map(request -> json.readValue(request.getBodyAsString(), JSON_OBJECT_TYPE))
            .toList();
        assertThat(events).extracting(event -> event.get("type"))
            .containsExactlyInAnyOrder("account.updated", "account.frozen", "account.unfrozen");
        assertThat(events)
            .allSatisfy(event -> assertThat(((Number) data(event).get("account_id")).longValue()).isEqualTo(user.id()));
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void addressWhenTheOldOneTakesItBackThroughTheNotMeLinkThenReceiversHearOfItAsOfTheChange() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("account.updated")), 201);
        TestUser user = newUser();
        put(user, "/users/me", Map.of("email", uniqueEmail()), 200);
        String token = tokenIn(notMeMailTo(user.email()));

        // (the mail may arrive a moment before its listener commits the link's token)
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> client().post()
                .uri("/auth/not-me")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("token", token))
                .exchange()
                .returnResult()
                .getStatus()
                .value() == 200);
        delivery.deliverDue();

        List<Map<String, Object>> events = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))
            .stream()
            .map(request -> json.readValue(request.getBodyAsString(), JSON_OBJECT_TYPE))
            .toList();
        assertThat(events).hasSize(2)
            .allSatisfy(event -> assertThat(data(event)).containsEntry("email_changed", true)
                .satisfies(data -> assertThat(((Number) data.get("account_id")).longValue()).isEqualTo(user.id())));
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    /**
     * The "this was not me" mail to the address (its verification mail may come before or
     * after it).
     */
    private static jakarta.mail.internet.MimeMessage notMeMailTo(String address) {
        for (int mails = 1;; mails++) {
            awaitMailTo(address, mails);
            List<jakarta.mail.internet.MimeMessage> found = mailsTo(address).stream()
                .filter(mail -> textOf(mail).contains("/not-me?token="))
                .toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAccountMadeByAnAdminAndItsCreditsAreDelivered() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("account.registered", "credits.changed")),
                201);
        String email = uniqueEmail();
        Map<String, Object> created = post(admin, "/api/admin/users",
                Map.of("username", email.substring(0, email.indexOf('@')), "password", PASSWORD, "name", "Web",
                        "surname", "Hook", "email", email, "userTypeName", "user"),
                201);
        String publicId = (String) ((Map<String, Object>) created.get("data")).get("userId");
        post(admin, "/api/admin/users/" + publicId + "/credits", Map.of("amount", 250, "note", "kampanya"), 201);
        delivery.deliverDue();

        List<Map<String, Object>> events = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))
            .stream()
            .map(request -> json.readValue(request.getBodyAsString(), JSON_OBJECT_TYPE))
            .toList();
        assertThat(events).extracting(event -> event.get("type"))
            .containsExactlyInAnyOrder("account.registered", "credits.changed");
        Map<String, Object> registered = events.stream()
            .filter(event -> event.get("type").equals("account.registered"))
            .findFirst()
            .orElseThrow();
        assertThat(data(registered)).containsEntry("public_id", publicId)
            .containsEntry("email", email)
            .containsEntry("role", "user");
        Map<String, Object> credits = events.stream()
            .filter(event -> event.get("type").equals("credits.changed"))
            .findFirst()
            .orElseThrow();
        assertThat(data(credits)).containsEntry("kind", "credit")
            .containsEntry("amount", 250)
            .containsEntry("account_id", data(registered).get("account_id"));
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPackageGivenThroughEitherAdminApiIsDeliveredAsPackageAssigned() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("package.assigned")), 201);
        String name = "gold-" + UUID.randomUUID();
        Map<String, Object> pkg = post(
                admin, "/api/v1/admin/register/1", Map.of("name", name, "detail", "ayrıntı", "days", 10,
                        "package_contents", List.of(Map.of("name", "moe_gatherer", "content_value", "moe_gatherer"))),
                201);
        long packageId = ((Number) ((Map<String, Object>) pkg.get("package")).get("id")).longValue();
        TestUser user = newUser();
        String publicId = publicIdOf(admin, user);

        Map<String, Object> console = (Map<String, Object>) post(admin, "/api/admin/users/" + publicId + "/packages",
                Map.of("packageId", packageId), 201)
            .get("data");
        Map<String, Object> seed000 = (Map<String, Object>) post(admin, "/api/v1/admin/register/3",
                Map.of("user_id", user.id(), "package_id", packageId), 201)
            .get("u_package");
        delivery.deliverDue();

        List<Map<String, Object>> events = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))
            .stream()
            .map(request -> json.readValue(request.getBodyAsString(), JSON_OBJECT_TYPE))
            .toList();
        assertThat(events).hasSize(2).allSatisfy(event -> {
            assertThat(event.get("type")).isEqualTo("package.assigned");
            assertThat(((Number) data(event).get("account_id")).longValue()).isEqualTo(user.id());
            assertThat(((Number) data(event).get("package_id")).longValue()).isEqualTo(packageId);
            assertThat(data(event)).containsEntry("package_name", name);
            assertThat(Instant.parse((String) data(event).get("starts_at")).plus(Duration.ofDays(10)))
                .isEqualTo(Instant.parse((String) data(event).get("ends_at")));
        });
        assertThat(events).extracting(event -> ((Number) data(event).get("user_package_id")).longValue())
            .containsExactlyInAnyOrder(((Number) console.get("id")).longValue(),
                    ((Number) seed000.get("id")).longValue());
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void anAdminsDeactivationAndReactivationAreDeliveredAsFrozenAndUnfrozenByEveryRoute() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("account.frozen", "account.unfrozen")), 201);
        TestUser user = newUser();
        String publicId = publicIdOf(admin, user);

        put(admin, "/api/admin/users/" + publicId, Map.of("isActive", false), 200);
        put(admin, "/api/v1/admin/update/0/" + user.id(), Map.of("new_model", Map.of("is_active", true)), 200);
        put(admin, "/api/admin/users/" + publicId, Map.of("name", "Unchanged State"), 200);
        as(admin.token()).delete().uri("/api/admin/users/" + publicId).exchange().expectStatus().isOk();
        delivery.deliverDue();

        List<Map<String, Object>> events = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))
            .stream()
            .map(request -> json.readValue(request.getBodyAsString(), JSON_OBJECT_TYPE))
            .sorted(java.util.Comparator.comparing(event -> (String) event.get("created_at")))
            .toList();
        assertThat(events).extracting(
                event -> event.get("type") + " " + data(event).get("reason") + " active=" + data(event).get("active"))
            .containsExactlyInAnyOrder("account.frozen admin-deactivated active=false",
                    "account.unfrozen admin-reactivated active=true", "account.frozen admin-deactivated active=false");
        assertThat(events).allSatisfy(
                event -> assertThat(data(event)).containsEntry("public_id", publicId).containsEntry("frozen", false));
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void aDeliveryLeftMidCallByAStoppedInstanceIsDeliveredByAnotherOnceItsLeaseIsOver() {
        TestUser admin = newAdmin();
        String path = "/hooks/" + UUID.randomUUID();
        // The first call hangs (the stopping instance never sees its answer); the next is
        // answered at once.
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path))
            .inScenario(path)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(200).withFixedDelay(8_000))
            .willSetStateTo("up"));
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(path))
            .inScenario(path)
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(204)));
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + path, "events", List.of("account.registered")), 201);
        String deliveries = "/api/admin/webhooks/" + id(webhook) + "/deliveries";
        registerUser();

        // An instance of its own: stopping it is the test.
        SecondInstance other = anotherInstance().start();
        try {
            CompletableFuture<Integer> round = CompletableFuture
                .supplyAsync(other.getBean(WebhookDelivery.class)::deliverDue);
            await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1));
        }
        finally {
            other.close();
        }
        Map<String, Object> leased = list(admin, deliveries).getFirst();
        assertThat(leased).containsEntry("status", "pending").containsEntry("attempts", 0);
        assertThat(Instant.parse((String) leased.get("next_attempt_at")))
            .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

        // Within the lease this instance leaves it alone; after it, the delivery is sent
        // again, the same event.
        delivery.deliverDue();
        assertThat(RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
        delivery.deliverDue();

        List<LoggedRequest> received = RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getHeader("Kapi-Event-Id")).isEqualTo(received.get(0).getHeader("Kapi-Event-Id"))
            .isEqualTo(leased.get("event_id"));
        assertThat(received.get(1).getBodyAsString()).isEqualTo(received.get(0).getBodyAsString());
        assertThat(list(admin, deliveries).getFirst()).containsEntry("status", "delivered")
            .containsEntry("attempts", 1)
            .containsEntry("last_status", 204);
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void housekeepingRemovesEndedDeliveriesAfterTheRetentionAndKeepsPendingOnes() {
        TestUser admin = newAdmin();
        String up = "/hooks/" + UUID.randomUUID();
        String down = "/hooks/" + UUID.randomUUID();
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(up)).willReturn(aResponse().withStatus(200)));
        RECEIVER.stubFor(WireMock.post(urlPathEqualTo(down)).willReturn(aResponse().withStatus(503)));
        Map<String, Object> delivered = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + up, "events", List.of("account.registered")), 201);
        Map<String, Object> failing = post(admin, "/api/admin/webhooks",
                Map.of("url", RECEIVER.baseUrl() + down, "events", List.of("account.registered")), 201);
        registerUser();
        delivery.deliverDue();
        String deliveredList = "/api/admin/webhooks/" + id(delivered) + "/deliveries";
        String failingList = "/api/admin/webhooks/" + id(failing) + "/deliveries";
        assertThat(list(admin, deliveredList)).singleElement()
            .extracting(row -> row.get("status"))
            .isEqualTo("delivered");
        assertThat(list(admin, failingList)).singleElement().extracting(row -> row.get("status")).isEqualTo("pending");

        clock.advance(Duration.ofDays(29));
        housekeeping.prune();
        TestUser later = again(admin);
        assertThat(list(later, deliveredList)).hasSize(1);

        clock.advance(Duration.ofDays(1));
        assertThat(housekeeping.prune()).isPositive();
        later = again(admin);
        assertThat(list(later, deliveredList)).isEmpty();
        assertThat(list(later, failingList)).singleElement().extracting(row -> row.get("status")).isEqualTo("pending");
        admin = later;
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(delivered)).exchange().expectStatus().isNoContent();
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(failing)).exchange().expectStatus().isNoContent();
    }

    @SuppressWarnings("unchecked")
    private String publicIdOf(TestUser admin, TestUser user) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) get(admin,
                "/api/admin/users?search=" + user.email(), 200)
            .get("data");
        return (String) found.getFirst().get("userId");
    }

    @Test
    void theBackOffDoublesUpToADay() {
        assertThat(delivery.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(delivery.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(delivery.backoff(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(delivery.backoff(14)).isEqualTo(Duration.ofHours(24));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

}
