package dev.kapi.events;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 33: event settings, public reads, registration with capacity, waiting list and
 * approval, tickets and check-in.
 */
class EventsRegistrationIntegrationTests extends EventsTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void createWhenAttendanceFieldsGivenThenAnsweredWithLocalTimesAndCounts() {
        String editor = editorToken();
        Map<String, Object> fields = eventFields("Saat Dilimli", clock.instant().plus(Duration.ofDays(30)));
        fields.put("start_time", "2030-07-02T16:00:00Z");
        fields.put("end_time", "2030-07-02T18:30:00Z");
        fields.put("timezone", "America/New_York");
        fields.put("capacity", 40);
        fields.put("registration", Map.of("closes_at", "2030-07-01T00:00:00Z", "approval", "manual", "waitlist", true));
        fields.put("visibility", "public");

        Map<String, Object> event = createEvent(editor, fields);

        assertThat(event).containsEntry("timezone", "America/New_York")
            .containsEntry("local_start", "2030-07-02T12:00:00")
            .containsEntry("local_end", "2030-07-02T14:30:00")
            .containsEntry("start_time", "2030-07-02T16:00:00Z")
            .containsEntry("capacity", 40)
            .containsEntry("visibility", "public")
            .containsEntry("confirmed", 0)
            .containsEntry("waitlisted", 0)
            .containsEntry("seats_left", 40)
            .containsEntry("checked_in", 0);
        assertThat((Map<String, Object>) event.get("registration")).containsEntry("opens_at", null)
            .containsEntry("closes_at", "2030-07-01T00:00:00Z")
            .containsEntry("approval", "manual")
            .containsEntry("waitlist", true);
    }

    @Test
    void createWhenOnlyCapacityGivenThenIstanbulTimeAndSignedInVisibility() {
        Map<String, Object> fields = eventFields("Varsayılanlar", clock.instant());
        fields.put("start_time", "2030-01-10T16:00:00Z");
        fields.put("end_time", "2030-01-10T17:00:00Z");
        fields.put("capacity", 5);

        Map<String, Object> event = createEvent(editorToken(), fields);

        assertThat(event).containsEntry("timezone", "Europe/Istanbul")
            .containsEntry("local_start", "2030-01-10T19:00:00")
            .containsEntry("visibility", "signed_in")
            .containsEntry("seats_left", 5);
    }

    @Test
    void createWhenAttendanceFieldsInvalidThenBadRequestNamingEachField() {
        String editor = editorToken();

        assertThat(invalid(editor, "timezone", "Mars/Olympus_Mons")).containsExactly("timezone");
        assertThat(invalid(editor, "capacity", -1)).containsExactly("capacity");
        assertThat(invalid(editor, "capacity", 1_000_001)).containsExactly("capacity");
        assertThat(invalid(editor, "visibility", "secret")).containsExactly("visibility");
        assertThat(invalid(editor, "registration", Map.of("approval", "maybe")))
            .containsExactly("registration.approval");
        assertThat(invalid(editor, "registration",
                Map.of("opens_at", "2030-01-02T00:00:00Z", "closes_at", "2030-01-01T00:00:00Z")))
            .containsExactly("registration.closes_at");
    }

    @Test
    void readWhenPublicThenWithoutTokenAndWithoutAuthorElseNotFound() {
        String editor = editorToken();
        int category = freshCategory(editor);
        Map<String, Object> open = eventFields("Herkese Açık Buluşma", clock.instant().plus(Duration.ofDays(2)));
        open.put("category_id", category);
        open.put("visibility", "public");
        Map<String, Object> publicEvent = createEvent(editor, open);
        Map<String, Object> closed = eventFields("Üyelere Özel", clock.instant().plus(Duration.ofDays(3)));
        closed.put("category_id", category);
        Map<String, Object> privateEvent = createEvent(editor, closed);

        Map<String, Object> read = client().get()
            .uri("/events/public/{slug}", publicEvent.get("slug"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        List<Map<String, Object>> listed = client().get()
            .uri("/events/public?category_id=" + category)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody();

        assertThat(read).containsEntry("title", "Herkese Açık Buluşma")
            .containsEntry("visibility", "public")
            .doesNotContainKey("created_by");
        assertThat(titles(listed)).containsExactly("Herkese Açık Buluşma");
        assertThat(listed.getFirst()).doesNotContainKey("created_by");
        client().get()
            .uri("/events/public/{slug}", privateEvent.get("slug"))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:event-not-found");
        client().get().uri("/events/{id}", id(privateEvent)).exchange().expectStatus().isUnauthorized();
        client().get().uri("/events/{id}", id(publicEvent)).exchange().expectStatus().isUnauthorized();
    }

    @Test
    @SuppressWarnings("unchecked")
    void registerWhenFullThenWaitlistedAndCancellationPromotesTheFirst() {
        String editor = editorToken();
        long event = id(createEvent(editor, withSettings("Tek Koltuk", 1, Map.of("waitlist", true))));
        TestUser first = newUser();
        TestUser second = newUser();
        TestUser third = newUser();

        Map<String, Object> confirmed = post(first, "/events/" + event + "/registrations", Map.of("note", "Vejetaryen"),
                201);
        Map<String, Object> again = post(first, "/events/" + event + "/registrations", Map.of(), 200);
        Map<String, Object> waiting = post(second, "/events/" + event + "/registrations", Map.of(), 201);
        post(third, "/events/" + event + "/registrations", Map.of(), 201);

        assertThat(confirmed).containsEntry("status", "confirmed").containsEntry("note", "Vejetaryen");
        assertThat((String) confirmed.get("ticket_code")).matches("[A-Za-z0-9_-]{22}");
        assertThat(again).containsEntry("id", confirmed.get("id")).containsEntry("status", "confirmed");
        assertThat(waiting).containsEntry("status", "waitlisted").doesNotContainKey("ticket_code");
        assertThat(get(first, "/events/" + event, 200)).containsEntry("confirmed", 1)
            .containsEntry("waitlisted", 2)
            .containsEntry("seats_left", 0);

        as(first.token()).delete().uri("/events/{id}/registrations/me", event).exchange().expectStatus().isNoContent();

        Map<String, Object> promoted = list(second, "/users/me/registrations").getFirst();
        assertThat(promoted).containsEntry("status", "confirmed").containsKey("ticket_code");
        assertThat(((Number) ((Map<String, Object>) promoted.get("event")).get("id")).longValue()).isEqualTo(event);
        assertThat(list(third, "/users/me/registrations").getFirst()).containsEntry("status", "waitlisted");
        assertThat(get(first, "/events/" + event, 200)).containsEntry("confirmed", 1).containsEntry("waitlisted", 1);
        assertThat(list(first, "/users/me/registrations").getFirst()).containsEntry("status", "cancelled")
            .doesNotContainKey("ticket_code");
        as(first.token()).delete()
            .uri("/events/{id}/registrations/me", event)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:registration-not-found");
    }

    @Test
    void registerWhenFullWithoutWaitlistThenConflict() {
        long event = id(createEvent(editorToken(), withSettings("Küçük Salon", 1, Map.of())));
        post(newUser(), "/events/" + event + "/registrations", Map.of(), 201);

        Map<String, Object> problem = post(newUser(), "/events/" + event + "/registrations", Map.of(), 409);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:event-full");
    }

    @Test
    void registerWhenNotOpenYetThenConflictUntilItOpens() {
        Instant opens = clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        long event = id(
                createEvent(editorToken(), withSettings("Sonra Açılır", null, Map.of("opens_at", opens.toString()))));
        TestUser user = newUser();

        assertThat(post(user, "/events/" + event + "/registrations", Map.of(), 409)).containsEntry("type",
                "urn:kapi:problem:registration-not-open");
        clock.advance(Duration.ofHours(3));
        user = again(user);

        assertThat(post(user, "/events/" + event + "/registrations", Map.of(), 201)).containsEntry("status",
                "confirmed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void approveWhenManualThenEditorsDecideAndOthersCannotSee() {
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Onaylı", 10, Map.of("approval", "manual"))));
        TestUser accepted = newUser();
        TestUser refused = newUser();
        post(accepted, "/events/" + event + "/registrations", Map.of(), 201);
        assertThat(post(refused, "/events/" + event + "/registrations", Map.of(), 201)).containsEntry("status",
                "pending_approval");

        List<Map<String, Object>> pending = list(editor, "/events/" + event + "/registrations?status=pending_approval");
        long acceptedId = pending.stream()
            .filter(row -> ((Number) ((Map<String, Object>) row.get("user")).get("id")).longValue() == accepted.id())
            .map(IntegrationTest::id)
            .findFirst()
            .orElseThrow();
        long refusedId = pending.stream()
            .filter(row -> ((Number) ((Map<String, Object>) row.get("user")).get("id")).longValue() == refused.id())
            .map(IntegrationTest::id)
            .findFirst()
            .orElseThrow();
        Map<String, Object> approved = post(editor, "/events/" + event + "/registrations/" + acceptedId + "/approve",
                200);
        Map<String, Object> declined = post(editor, "/events/" + event + "/registrations/" + refusedId + "/decline",
                200);

        assertThat(pending).hasSize(2);
        assertThat(approved).containsEntry("status", "confirmed").doesNotContainKey("ticket_code");
        assertThat(declined).containsEntry("status", "declined");
        assertThat(post(editor, "/events/" + event + "/registrations/" + refusedId + "/approve", 409))
            .containsEntry("type", "urn:kapi:problem:registration-not-pending");
        assertThat(post(refused, "/events/" + event + "/registrations", Map.of(), 409)).containsEntry("type",
                "urn:kapi:problem:registration-declined");
        assertThat(list(accepted, "/users/me/registrations").getFirst()).containsEntry("status", "confirmed")
            .containsKey("ticket_code");
        as(accepted.token()).get().uri("/events/{id}/registrations", event).exchange().expectStatus().isForbidden();
        as(accepted.token()).post()
            .uri("/events/{id}/registrations/{rid}/approve", event, refusedId)
            .exchange()
            .expectStatus()
            .isForbidden();
        assertThat(list(refused, "/users/me/registrations")).hasSize(1)
            .allSatisfy(row -> assertThat(row).containsEntry("status", "declined"));
    }

    @Test
    void checkInWhenScannedTwiceThenConflictWithFirstTimeAndForeignTicketsNotFound() {
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Kapıda", 10, Map.of())));
        long other = id(createEvent(editor.token(), withSettings("Başka", 10, Map.of())));
        TestUser guest = newUser();
        TestUser stranger = newUser();
        Map<String, Object> registration = post(guest, "/events/" + event + "/registrations", Map.of(), 201);
        String ticket = (String) registration.get("ticket_code");
        TestUser leaver = newUser();
        String cancelledTicket = (String) post(leaver, "/events/" + other + "/registrations", Map.of(), 201)
            .get("ticket_code");
        as(leaver.token()).delete().uri("/events/{id}/registrations/me", other).exchange().expectStatus().isNoContent();

        Map<String, Object> first = post(editor, "/events/" + event + "/check-ins", Map.of("ticket_code", ticket), 200);
        clock.advance(Duration.ofMinutes(5));
        Map<String, Object> second = post(editor, "/events/" + event + "/check-ins", Map.of("ticket_code", ticket),
                409);

        assertThat(first.get("checked_in_at")).isNotNull();
        assertThat(second).containsEntry("type", "urn:kapi:problem:already-checked-in")
            .containsEntry("checked_in_at", first.get("checked_in_at"));
        assertThat(post(editor, "/events/" + other + "/check-ins", Map.of("ticket_code", ticket), 404))
            .containsEntry("type", "urn:kapi:problem:ticket-not-found");
        assertThat(post(editor, "/events/" + other + "/check-ins", Map.of("ticket_code", cancelledTicket), 404))
            .containsEntry("type", "urn:kapi:problem:ticket-not-found");
        assertThat(post(editor, "/events/" + event + "/check-ins", Map.of("ticket_code", "guessed-ticket-code"), 404))
            .containsEntry("type", "urn:kapi:problem:ticket-not-found");
        assertThat(get(editor, "/events/" + event, 200)).containsEntry("checked_in", 1);
        as(guest.token()).post()
            .uri("/events/{id}/check-ins", event)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("ticket_code", ticket))
            .exchange()
            .expectStatus()
            .isForbidden();

        String svg = as(guest.token()).get()
            .uri("/users/me/registrations/{id}/ticket.svg", id(registration))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("image/svg+xml")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(svg).startsWith("<svg").contains("<path d=\"M");
        as(stranger.token()).get()
            .uri("/users/me/registrations/{id}/ticket.svg", id(registration))
            .exchange()
            .expectStatus()
            .isNotFound();
    }

    @Test
    void exportWhenNoteLooksLikeFormulaThenCsvQuotesAndDefusesIt() {
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Tablolu", 10, Map.of())));
        TestUser guest = newUser();
        long registration = id(
                post(guest, "/events/" + event + "/registrations", Map.of("note", "=HYPERLINK(\"http://evil\")"), 201));

        String csv = as(editor.token()).get()
            .uri("/events/{id}/registrations.csv", event)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/csv")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

        assertThat(csv.split("\r\n")).containsExactly("id,user_id,full_name,status,note,created_at,checked_in_at",
                registration + "," + guest.id() + ",\"Test User\",confirmed,\"'=HYPERLINK(\"\"http://evil\"\")\","
                        + csv.split("\r\n")[1].split(",")[5] + ",");
        as(guest.token()).get().uri("/events/{id}/registrations.csv", event).exchange().expectStatus().isForbidden();
    }

    @Test
    void updateWhenCapacityRaisedThenWaitingListMovesUpAndBelowConfirmedRefused() {
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Büyüyen", 1, Map.of("waitlist", true))));
        post(newUser(), "/events/" + event + "/registrations", Map.of(), 201);
        TestUser waiting = newUser();
        post(waiting, "/events/" + event + "/registrations", Map.of(), 201);

        Map<String, Object> raised = put(editor, "/events/" + event, Map.of("capacity", 2), 200);

        assertThat(raised).containsEntry("confirmed", 2).containsEntry("waitlisted", 0).containsEntry("seats_left", 0);
        assertThat(list(waiting, "/users/me/registrations").getFirst()).containsEntry("status", "confirmed");
        assertThat(put(editor, "/events/" + event, Map.of("capacity", 1), 409)).containsEntry("type",
                "urn:kapi:problem:capacity-below-confirmed");
    }

    @Test
    void updateWhenCapacityNullThenUnlimitedAndWaitingListConfirmedButAbsentLeavesIt() {
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Sınırsız", 1, Map.of("waitlist", true))));
        post(newUser(), "/events/" + event + "/registrations", Map.of(), 201);
        TestUser waiting = newUser();
        post(waiting, "/events/" + event + "/registrations", Map.of(), 201);

        Map<String, Object> untouched = put(editor, "/events/" + event, Map.of("title", "Hâlâ Sınırlı"), 200);
        Map<String, Object> unlimited = new HashMap<>();
        unlimited.put("capacity", null);
        Map<String, Object> opened = put(editor, "/events/" + event, unlimited, 200);

        assertThat(untouched).containsEntry("capacity", 1).containsEntry("waitlisted", 1);
        assertThat(opened).containsEntry("capacity", null)
            .containsEntry("seats_left", null)
            .containsEntry("confirmed", 2)
            .containsEntry("waitlisted", 0);
        assertThat(list(waiting, "/users/me/registrations").getFirst()).containsEntry("status", "confirmed");
        assertThat(post(newUser(), "/events/" + event + "/registrations", Map.of(), 201)).containsEntry("status",
                "confirmed");
        assertThat(invalidFields(put(editor, "/events/" + event, Map.of("capacity", -1), 400)))
            .containsExactly("capacity");
    }

    @Test
    @SuppressWarnings("unchecked")
    void registerCancelAndCheckInWhenWebhookSubscribedThenOutboxAndMailsTellEach() throws Exception {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/hooks/" + java.util.UUID.randomUUID(), "events",
                        List.of("event.registration.created", "event.registration.cancelled", "event.checked_in")),
                201);
        TestUser editor = newUserOfType("editor");
        long event = id(createEvent(editor.token(), withSettings("Bildirimli", 1, Map.of("waitlist", true))));
        TestUser first = newUser();
        TestUser second = newUser();
        long firstId = id(post(first, "/events/" + event + "/registrations", Map.of(), 201));
        long secondId = id(post(second, "/events/" + event + "/registrations", Map.of(), 201));
        as(first.token()).delete().uri("/events/{id}/registrations/me", event).exchange().expectStatus().isNoContent();
        String ticket = (String) list(second, "/users/me/registrations").getFirst().get("ticket_code");
        post(editor, "/events/" + event + "/check-ins", Map.of("ticket_code", ticket), 200);

        List<Map<String, Object>> sent = jdbc
            .sql("SELECT type, body FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id")
            .param("id", id(webhook))
            .query((rs, row) -> Map.<String, Object>of("type", rs.getString("type"), "body", rs.getString("body")))
            .list();
        as(admin.token()).delete().uri("/api/admin/webhooks/{id}", id(webhook)).exchange();

        assertThat(sent).extracting(row -> row.get("type"))
            .containsExactly("event.registration.created", "event.registration.created", "event.registration.cancelled",
                    "event.checked_in");
        assertThat((String) sent.get(2).get("body")).contains("\"registration_id\":" + firstId)
            .contains("\"promoted_registration_id\":" + secondId);
        assertThat((String) sent.get(3).get("body")).contains("\"registration_id\":" + secondId)
            .contains("\"event_id\":" + event);
        assertThat(mailWithSubject(first.email(), "Kaydınız onaylandı: Bildirimli")).isNotNull();
        assertThat(mailWithSubject(second.email(), "Bekleme listesindesiniz: Bildirimli")).isNotNull();
        assertThat(bodyOf(mailWithSubject(second.email(), "Yer açıldı, kaydınız onaylandı: Bildirimli")))
            .contains("/users/me/registrations/" + secondId + "/ticket.svg");
    }

    @Test
    void registerWhenConfirmedThenMailCarriesTheEventsIcsAndWaitlistedOneNone() throws Exception {
        Instant start = clock.instant().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Takvime Eklenen");
        fields.put("location", "Kadıköy");
        fields.put("start_time", start.toString());
        fields.put("end_time", start.plus(Duration.ofHours(2)).toString());
        fields.put("timezone", "Europe/Istanbul");
        fields.put("capacity", 1);
        fields.put("registration", Map.of("waitlist", true));
        Map<String, Object> created = createEvent(editorToken(), fields);
        long event = id(created);
        TestUser seated = newUser();
        TestUser waiting = newUser();
        post(seated, "/events/" + event + "/registrations", Map.of(), 201);
        post(waiting, "/events/" + event + "/registrations", Map.of(), 201);

        jakarta.mail.internet.MimeMessage confirmed = mailWithSubject(seated.email(),
                "Kaydınız onaylandı: Takvime Eklenen");
        jakarta.mail.Part ics = attachmentOf(confirmed);

        assertThat(bodyOf(confirmed)).contains("Takvime Eklenen");
        assertThat(ics).isNotNull();
        assertThat(ics.getFileName()).isEqualTo(created.get("slug") + ".ics");
        assertThat(ics.getContentType()).startsWith("text/calendar");
        net.fortuna.ical4j.model.Calendar calendar;
        try (java.io.InputStream in = ics.getInputStream()) {
            calendar = new net.fortuna.ical4j.data.CalendarBuilder().build(in);
        }
        List<net.fortuna.ical4j.model.component.VEvent> vevents = calendar
            .getComponents(net.fortuna.ical4j.model.Component.VEVENT);
        assertThat(vevents).hasSize(1);
        net.fortuna.ical4j.model.component.VEvent vevent = vevents.getFirst();
        assertThat(icsValue(vevent, "UID")).isEqualTo("event-" + event + "@localhost");
        assertThat(icsValue(vevent, "SUMMARY")).isEqualTo("Takvime Eklenen");
        assertThat(icsValue(vevent, "LOCATION")).isEqualTo("Kadıköy");
        // the wall-clock time and zone as written (iCal4j's own zone rules put some dates
        // an hour off)
        assertThat(java.time.LocalDateTime.from(vevent.getStartDate().orElseThrow().getDate()))
            .isEqualTo(java.time.LocalDateTime.ofInstant(start, java.time.ZoneId.of("Europe/Istanbul")));
        assertThat(vevent.getProperty("DTSTART").orElseThrow().getParameter("TZID").orElseThrow().getValue())
            .isEqualTo("Europe/Istanbul");
        assertThat(attachmentOf(mailWithSubject(waiting.email(), "Bekleme listesindesiniz: Takvime Eklenen"))).isNull();
    }

    private static String icsValue(net.fortuna.ical4j.model.component.VEvent vevent, String name) {
        return vevent.getProperty(name).orElseThrow().getValue();
    }

    /**
     * The mail to the address with this subject, waited for (without sleeping) up to ten
     * seconds.
     */
    private static jakarta.mail.internet.MimeMessage mailWithSubject(String address, String subject) {
        return org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> mailsTo(address).stream().filter(mail -> {
                try {
                    return subject.equals(mail.getSubject());
                }
                catch (jakarta.mail.MessagingException ex) {
                    throw new IllegalStateException(ex);
                }
            }).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    @Autowired
    private Reminders reminders;

    @Test
    void remindWhenEventStartsWithinADayThenMailedOnceByTheClock() {
        Instant start = clock.instant().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Hatırlatmalı");
        fields.put("start_time", start.toString());
        fields.put("end_time", start.plus(Duration.ofHours(1)).toString());
        fields.put("capacity", 5);
        long event = id(createEvent(editorToken(), fields));
        TestUser guest = newUser();
        long registration = id(post(guest, "/events/" + event + "/registrations", Map.of(), 201));

        reminders.remindDue();
        assertThat(remindedAt(registration)).isNull();
        clock.advance(Duration.ofDays(2).plusHours(1));
        reminders.remindDue();
        reminders.remindDue();

        assertThat(remindedAt(registration)).isNotNull();
        assertThat(textOf(mailWithSubject(guest.email(), "Yarın: Hatırlatmalı"))).contains("Hatırlatmalı");
        assertThat(mailsTo(guest.email()).stream().filter(mail -> {
            try {
                return "Yarın: Hatırlatmalı".equals(mail.getSubject());
            }
            catch (jakarta.mail.MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        })).hasSize(1);
    }

    @Test
    void deleteWhenEventHasAttendeesThenEachIsMailedItsCancellation() {
        String editor = editorToken();
        long event = id(createEvent(editor, withSettings("İptal Edilecek", 1, Map.of("waitlist", true))));
        TestUser seated = newUser();
        TestUser waiting = newUser();
        post(seated, "/events/" + event + "/registrations", Map.of(), 201);
        post(waiting, "/events/" + event + "/registrations", Map.of(), 201);

        as(editor).delete().uri("/events/{id}", event).exchange().expectStatus().isNoContent();

        assertThat(textOf(mailWithSubject(seated.email(), "Etkinlik iptal edildi: İptal Edilecek")))
            .contains("İptal Edilecek");
        assertThat(mailWithSubject(waiting.email(), "Etkinlik iptal edildi: İptal Edilecek")).isNotNull();
    }

    private Instant remindedAt(long registration) {
        return jdbc.sql("SELECT reminded_at FROM event_registrations WHERE id = :id")
            .param("id", registration)
            .query((rs, row) -> dev.kapi.shared.SqlTime.instant(rs, "reminded_at"))
            .list()
            .getFirst();
    }

    private Map<String, Object> withSettings(String title, Integer capacity, Map<String, Object> registration) {
        Map<String, Object> fields = eventFields(title, clock.instant().plus(Duration.ofDays(7)));
        if (capacity != null) {
            fields.put("capacity", capacity);
        }
        fields.put("registration", registration);
        return fields;
    }

    private static Map<String, Object> eventFields(String title, Instant start) {
        Instant at = start.truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", title);
        fields.put("start_time", at.toString());
        fields.put("end_time", at.plus(Duration.ofHours(2)).toString());
        return fields;
    }

    private List<String> invalid(String token, String field, Object value) {
        Map<String, Object> fields = eventFields("Geçersiz", clock.instant().plus(Duration.ofDays(1)));
        fields.put(field, value);
        return invalidFields(as(token).post().uri("/events").contentType(MediaType.APPLICATION_JSON).body(fields));
    }

}
