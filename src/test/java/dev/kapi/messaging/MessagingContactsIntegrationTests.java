package dev.kapi.messaging;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingContactsIntegrationTests extends MessagingTestSupport {

    @Test
    void createCustomerWhenTurkishNumberThenStoredInE164AndReadBack() {
        TestUser user = newUser();

        Map<String, Object> created = post(user, "/api/messaging/customers",
                Map.of("phone", "0555 123 45 67", "name", "Ayşe Yılmaz", "fields", Map.of("city", "İzmir")), 201);

        assertThat(created).containsEntry("phone", "+905551234567")
            .containsEntry("name", "Ayşe Yılmaz")
            .containsEntry("fields", Map.of("city", "İzmir"))
            .containsKeys("id", "created_at", "updated_at");
        assertThat(get(user, "/api/messaging/customers/" + id(created), 200)).isEqualTo(created);
        for (String same : List.of("+90 555 123 45 67", "5551234567", "905551234567", "(0555) 123-45-67")) {
            assertThat(post(user, "/api/messaging/customers", Map.of("phone", same), 409)).containsEntry("type",
                    "urn:kapi:problem:customer-phone-taken");
        }
    }

    @Test
    void createCustomerWhenNumberOrFieldsInvalidThenBadRequestNamingTheField() {
        TestUser user = newUser();

        for (String bad : List.of("12345", "0555 123 45", "abc", "+90 155 123 45 67", "05551234567890")) {
            assertThat(invalidFields(post(user, "/api/messaging/customers", Map.of("phone", bad), 400))).as(bad)
                .containsExactly("phone");
        }
        assertThat(invalidFields(post(user, "/api/messaging/customers",
                Map.of("phone", "05551112233", "fields", Map.of("Bad Key", "x")), 400)))
            .containsExactly("fields.Bad Key");
        assertThat(invalidFields(post(user, "/api/messaging/customers", Map.of("name", "no phone"), 400)))
            .containsExactly("phone");
        assertThat(
                invalidFields(post(user, "/api/messaging/customers", Map.of("phone", "05551112233", "extra", 1), 400)))
            .containsExactly("extra");
    }

    @Test
    void updateAndDeleteCustomerThenChangedAndGone() {
        TestUser user = newUser();
        long customer = customer(user, "05551112233", "Ali");

        Map<String, Object> updated = put(user, "/api/messaging/customers/" + customer,
                Map.of("name", "Ali Veli", "fields", Map.of("city", "Ankara")), 200);
        assertThat(updated).containsEntry("name", "Ali Veli")
            .containsEntry("phone", "+905551112233")
            .containsEntry("fields", Map.of("city", "Ankara"));

        as(user.token()).delete().uri("/api/messaging/customers/" + customer).exchange().expectStatus().isNoContent();
        get(user, "/api/messaging/customers/" + customer, 404);
    }

    @Test
    void listCustomersWhenSearchGroupAndCursorThenPagesInIdOrder() {
        TestUser user = newUser();
        long a = customer(user, "05551000001", "Zeynep Kaya");
        long b = customer(user, "05551000002", "Mehmet Öz");
        long c = customer(user, "05551000003", "Zeynep Ak");
        long group = group(user, "VIP", List.of(a, b));

        EntityExchangeResult<List<Map<String, Object>>> first = as(user.token()).get()
            .uri("/api/messaging/customers?limit=2")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult();
        String next = first.getResponseHeaders().getFirst("X-Next-Cursor");
        assertThat(first.getResponseBody()).extracting(IntegrationTest::id).containsExactly(a, b);
        assertThat(next).isNotBlank();
        assertThat(list(user, "/api/messaging/customers?limit=2&cursor=" + next)).extracting(IntegrationTest::id)
            .containsExactly(c);
        assertThat(list(user, "/api/messaging/customers?search=zeynep")).extracting(IntegrationTest::id)
            .containsExactly(a, c);
        assertThat(list(user, "/api/messaging/customers?search=1000002")).extracting(IntegrationTest::id)
            .containsExactly(b);
        assertThat(list(user, "/api/messaging/customers?group_id=" + group)).extracting(IntegrationTest::id)
            .containsExactly(a, b);
        assertThat(invalidFields(get(user, "/api/messaging/customers?limit=501", 400))).containsExactly("limit");
        assertThat(invalidFields(get(user, "/api/messaging/customers?cursor=nonsense", 400))).containsExactly("cursor");
    }

    @Test
    void importCsvThenCountsCreatedUpdatedAndRejectedWithReasons() {
        TestUser user = newUser();
        customer(user, "05552000001", "Eski Ad");
        String csv = """
                phone,name,city
                0555 200 00 01,Yeni Ad,İzmir
                05552000002,"Kaya, Deniz",Ankara
                not-a-number,Hatalı,
                05552000002,Tekrar,
                +905552000003,,Bursa
                """;

        Map<String, Object> result = as(user.token()).post()
            .uri("/api/messaging/customers/import")
            .contentType(MediaType.valueOf("text/csv"))
            .body(csv)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(result).containsEntry("created", 2).containsEntry("updated", 1).containsEntry("rejected", 2);
        assertThat(result.get("errors"))
            .isEqualTo(List.of(Map.of("line", 4, "phone", "not-a-number", "reason", "phone-invalid"),
                    Map.of("line", 5, "phone", "05552000002", "reason", "duplicate-in-file")));
        assertThat(list(user, "/api/messaging/customers?search=5552000002").getFirst())
            .containsEntry("name", "Kaya, Deniz")
            .containsEntry("fields", Map.of("city", "Ankara"));
        assertThat(list(user, "/api/messaging/customers?search=5552000001").getFirst()).containsEntry("name",
                "Yeni Ad");
        assertThat(as(user.token()).post()
            .uri("/api/messaging/customers/import")
            .contentType(MediaType.valueOf("text/csv"))
            .body("name\nx\n")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:import-no-phone-column");
    }

    @Test
    void importIntoAGroupThenEveryCreatedOrUpdatedCustomerIsAMemberAndAnotherUsersGroupIsNotFound() {
        TestUser user = newUser();
        long known = customer(user, "05552100001", "Eski");
        long other = customer(user, "05552100009", "Dışarıda");
        long group = group(user, "İthal " + System.nanoTime(), List.of());
        String csv = "phone,name\n05552100001,Yeni\n05552100002,Ayşe\nbozuk,X\n";

        Map<String, Object> result = as(user.token()).post()
            .uri("/api/messaging/customers/import?group_id=" + group)
            .contentType(MediaType.valueOf("text/csv"))
            .body(csv)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(result).containsEntry("created", 1).containsEntry("updated", 1).containsEntry("rejected", 1);
        List<Map<String, Object>> members = list(user, "/api/messaging/customers?group_id=" + group);
        assertThat(members).extracting(member -> member.get("phone")).containsExactly("+905552100001", "+905552100002");
        assertThat(members).extracting(member -> ((Number) member.get("id")).longValue())
            .contains(known)
            .doesNotContain(other);
        assertThat(get(user, "/api/messaging/groups/" + group, 200)).containsEntry("customer_count", 2);

        TestUser stranger = newUser();
        assertThat(as(stranger.token()).post()
            .uri("/api/messaging/customers/import?group_id=" + group)
            .contentType(MediaType.valueOf("text/csv"))
            .body("phone\n05552100003\n")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:group-not-found");
        assertThat(list(stranger, "/api/messaging/customers")).isEmpty();
    }

    @Test
    void groupsWhenCreatedFilledEmptiedAndDeletedThenCustomersStay() {
        TestUser user = newUser();
        long a = customer(user, "05553000001", "A");
        long b = customer(user, "05553000002", "B");

        Map<String, Object> group = post(user, "/api/messaging/groups",
                Map.of("name", "Müşteriler", "description", "Hepsi"), 201);
        long id = id(group);
        assertThat(group).containsEntry("name", "Müşteriler").containsEntry("customer_count", 0);
        assertThat(post(user, "/api/messaging/groups",
                Map.of("name", "MÜŞTERİLER".toLowerCase(java.util.Locale.forLanguageTag("tr"))), 409))
            .containsEntry("type", "urn:kapi:problem:group-name-taken");
        assertThat(
                post(user, "/api/messaging/groups/" + id + "/customers", Map.of("customer_ids", List.of(a, b, a)), 200))
            .containsEntry("customer_count", 2);
        assertThat(list(user, "/api/messaging/groups/" + id + "/customers")).extracting(IntegrationTest::id)
            .containsExactly(a, b);
        assertThat(as(user.token()).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/api/messaging/groups/" + id + "/customers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("customer_ids", List.of(a)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("customer_count", 1);
        assertThat(put(user, "/api/messaging/groups/" + id, Map.of("name", "Seçkin"), 200))
            .containsEntry("name", "Seçkin")
            .containsEntry("description", "Hepsi");
        assertThat(list(user, "/api/messaging/groups")).extracting(IntegrationTest::id).containsExactly(id);
        assertThat(invalidFields(post(user, "/api/messaging/groups/" + id + "/customers",
                Map.of("customer_ids", List.of(987654321L)), 400)))
            .containsExactly("customer_ids");

        as(user.token()).delete().uri("/api/messaging/groups/" + id).exchange().expectStatus().isNoContent();
        get(user, "/api/messaging/groups/" + id, 404);
        get(user, "/api/messaging/customers/" + a, 200);
    }

    @Test
    void blacklistAndGraylistWhenPhoneOrCustomerThenListedOnceAndRemovable() {
        TestUser user = newUser();
        long customer = customer(user, "05554000001", "Liste");

        Map<String, Object> black = post(user, "/api/messaging/blacklist",
                Map.of("phone", "0555 400 00 01", "reason", "şikayet"), 201);
        assertThat(black).containsEntry("phone", "+905554000001")
            .containsEntry("customer_id", (int) customer)
            .containsEntry("reason", "şikayet")
            .containsEntry("source", "user");
        assertThat(post(user, "/api/messaging/blacklist", Map.of("customer_id", customer), 409)).containsEntry("type",
                "urn:kapi:problem:already-listed");
        Map<String, Object> gray = post(user, "/api/messaging/graylist", Map.of("customer_id", customer), 201);
        assertThat(gray).containsEntry("phone", "+905554000001");
        assertThat(invalidFields(
                post(user, "/api/messaging/graylist", Map.of("phone", "05554000002", "customer_id", customer), 400)))
            .hasSize(1);
        assertThat(list(user, "/api/messaging/blacklist")).extracting(IntegrationTest::id).containsExactly(id(black));
        assertThat(list(user, "/api/messaging/graylist")).extracting(IntegrationTest::id).containsExactly(id(gray));

        as(user.token()).delete().uri("/api/messaging/blacklist/" + id(black)).exchange().expectStatus().isNoContent();
        as(user.token()).delete().uri("/api/messaging/graylist/" + id(black)).exchange().expectStatus().isNotFound();
        assertThat(list(user, "/api/messaging/blacklist")).isEmpty();
    }

    @Test
    void draftsWhenVariablesKnownThenSavedAndUnknownVariablesRefused() {
        TestUser user = newUser();
        post(user, "/api/messaging/customers", Map.of("phone", "05555000001", "fields", Map.of("city", "Van")), 201);

        Map<String, Object> draft = post(user, "/api/messaging/drafts",
                Map.of("name", "Hoş geldin", "body", "Merhaba {{name}}, {{ city }} şubemize bekleriz! {{phone}}"), 201);
        assertThat(draft).containsEntry("variables", List.of("name", "city", "phone"));
        assertThat(post(user, "/api/messaging/drafts", Map.of("name", "Kötü", "body", "Merhaba {{unvan}}"), 400))
            .containsEntry("type", "urn:kapi:problem:unknown-variable");
        assertThat(put(user, "/api/messaging/drafts/" + id(draft), Map.of("body", "Selam {{name}}"), 200))
            .containsEntry("body", "Selam {{name}}")
            .containsEntry("name", "Hoş geldin");
        put(user, "/api/messaging/drafts/" + id(draft), Map.of("body", "{{yok}}"), 400);
        assertThat(list(user, "/api/messaging/drafts")).extracting(IntegrationTest::id).containsExactly(id(draft));
        as(user.token()).delete().uri("/api/messaging/drafts/" + id(draft)).exchange().expectStatus().isNoContent();
        get(user, "/api/messaging/drafts/" + id(draft), 404);
    }

    @Test
    void everyObjectWhenAnotherUsersIdThenNotFound() {
        TestUser owner = newUser();
        TestUser other = newUser();
        long customer = customer(owner, "05556000001", "Sahip");
        long group = group(owner, "Benim", List.of(customer));
        long draft = draft(owner, "Merhaba");
        long sender = sender(owner);
        long black = id(post(owner, "/api/messaging/blacklist", Map.of("phone", "05556000009"), 201));
        long queue = queue(owner, draft, List.of(sender), List.of(group), List.of());

        for (String path : List.of("/api/messaging/customers/" + customer, "/api/messaging/groups/" + group,
                "/api/messaging/groups/" + group + "/customers", "/api/messaging/drafts/" + draft,
                "/api/messaging/senders/" + sender, "/api/messaging/queues/" + queue,
                "/api/messaging/queues/" + queue + "/preflight", "/api/messaging/queues/" + queue + "/messages")) {
            get(other, path, 404);
        }
        put(other, "/api/messaging/customers/" + customer, Map.of("name", "x"), 404);
        put(other, "/api/messaging/drafts/" + draft, Map.of("name", "x"), 404);
        put(other, "/api/messaging/senders/" + sender, Map.of("name", "x"), 404);
        post(other, "/api/messaging/groups/" + group + "/customers", Map.of("customer_ids", List.of(customer)), 404);
        for (String action : List.of("start", "pause", "resume", "cancel", "retry-failed")) {
            post(other, "/api/messaging/queues/" + queue + "/" + action, 404);
        }
        for (String path : List.of("/api/messaging/customers/" + customer, "/api/messaging/groups/" + group,
                "/api/messaging/drafts/" + draft, "/api/messaging/senders/" + sender,
                "/api/messaging/blacklist/" + black)) {
            as(other.token()).delete().uri(path).exchange().expectStatus().isNotFound();
        }
        assertThat(list(other, "/api/messaging/customers")).isEmpty();
        assertThat(list(other, "/api/messaging/queues")).isEmpty();
        assertThat(invalidFields(post(other, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(sender), "group_ids", List.of(group)), 400)))
            .containsExactly("draft_id");
        get(owner, "/api/messaging/customers/" + customer, 200);
    }

}
