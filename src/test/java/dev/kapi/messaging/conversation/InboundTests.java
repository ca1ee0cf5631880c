package dev.kapi.messaging.conversation;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class InboundTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void ofWhenMetaSendsEachKindThenWhatKapiKeepsOfIt() {
        Inbound text = parse("""
                {"from":"905551234567","id":"wamid.1","timestamp":"1800000000","type":"text","text":{"body":"Merhaba"},
                 "context":{"from":"905320000001","id":"wamid.campaign"}}""");
        assertThat(text.text()).isEqualTo("Merhaba");
        assertThat(text.contextWamid()).isEqualTo("wamid.campaign");
        assertThat(text.at()).isEqualTo(Instant.ofEpochSecond(1_800_000_000));

        Inbound list = parse(
                """
                        {"from":"905551234567","id":"wamid.2","type":"interactive",
                         "interactive":{"type":"list_reply","list_reply":{"id":"row-1","title":"Kırmızı","description":"x"}}}""");
        assertThat(list.replyId()).isEqualTo("row-1");
        assertThat(list.replyTitle()).isEqualTo("Kırmızı");
        assertThat(list.at()).as("no timestamp: when it came").isEqualTo(NOW);

        Inbound document = parse("""
                {"from":"905551234567","id":"wamid.3","type":"document",
                 "document":{"id":"777","mime_type":"application/pdf","filename":"fatura.pdf","caption":"Fatura"}}""");
        assertThat(document.mediaId()).isEqualTo("777");
        assertThat(document.filename()).isEqualTo("fatura.pdf");
        assertThat(document.caption()).isEqualTo("Fatura");

        Inbound reaction = parse("""
                {"from":"905551234567","id":"wamid.4","type":"reaction","reaction":{"message_id":"wamid.campaign"}}""");
        assertThat(reaction.reactedTo()).isEqualTo("wamid.campaign");
        assertThat(reaction.emoji()).as("taken back").isNull();

        Inbound location = parse("""
                {"from":"905551234567","id":"wamid.5","type":"location","location":{"latitude":41.0}}""");
        assertThat(location.type()).isEqualTo("location");
        assertThat(location.text()).isNull();
    }

    @Test
    void ofWhenTextsAreLongThenCappedAndWithoutAnIdOrSenderNothing() {
        Inbound text = parse("""
                {"from":"905551234567","id":"wamid.6","type":"text","text":{"body":"%s"}}"""
            .formatted("a".repeat(5000)));
        Inbound image = parse("""
                {"from":"905551234567","id":"wamid.7","type":"image","image":{"id":"1","caption":"%s"}}"""
            .formatted("b".repeat(2000)));

        assertThat(text.text()).hasSize(Inbound.MAX_TEXT);
        assertThat(image.caption()).hasSize(Inbound.MAX_CAPTION);
        assertThat(Inbound.of(JSON.readTree("{\"id\":\"wamid.8\",\"type\":\"text\"}"), NOW)).isEmpty();
        assertThat(Inbound.of(JSON.readTree("{\"from\":\"905551234567\",\"type\":\"text\"}"), NOW)).isEmpty();
        Inbound hidden = parse("""
                {"from_user_id":"US.13491208655302741918","id":"wamid.9","type":"text","text":{"body":"Selam"}}""");
        assertThat(hidden.from()).isNull();
        assertThat(hidden.userId()).isEqualTo("US.13491208655302741918");
    }

    private static Inbound parse(String json) {
        return Inbound.of(JSON.readTree(json), NOW).orElseThrow();
    }

}
