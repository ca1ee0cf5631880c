package dev.kapi.messaging.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.springframework.stereotype.Component;

import dev.kapi.messaging.draft.TemplateButton;
import dev.kapi.messaging.draft.TemplateMessage;
import dev.kapi.messaging.draft.Templates;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.messaging.sending.Provider;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.shared.sealing.SecretSealer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Meta's WhatsApp Cloud API: a text message is {@code POST
 * /{version}/{phone-number-id}/messages} with the account's access token, and the answer
 * names the message ({@code wamid...}) or an error whose code says what to do: 130429 and
 * the other throughput codes slow the account down, codes of the recipient fail the
 * message for good, codes of the account (expired token, blocked, restricted) pause it.
 * Kapı's idempotency key travels as {@code biz_opaque_callback_data}, which Meta echoes
 * in status callbacks; Meta keeps no lookup by it, so after a crash a send's outcome is
 * {@link Provider.Unknown}.
 */
@Component
class WhatsAppCloud implements Provider {

    /**
     * Throughput limits: cloud API (130429), spam (131048), pair rate (131056), app and
     * account limits.
     */
    private static final Set<Integer> RATE_LIMITS = Set.of(130429, 131048, 131056, 80007, 4, 17, 613);

    /**
     * The recipient cannot get it: not on WhatsApp, outside the 24-hour window, bad
     * parameters.
     */
    private static final Set<Integer> RECIPIENT = Set.of(131026, 131047, 131051, 131021, 131052, 131053, 100, 131009,
            131008, 132012);

    /**
     * Meta refused the template: paused (132015), disabled (132016), parameters not
     * matching it (132000) or missing in that language (132001). The queue is held or
     * cancelled; no recipient fails.
     */
    private static final Set<Integer> TEMPLATE = Set.of(132015, 132016, 132000, 132001);

    /** Meta's per-user marketing cap: the recipient gets the message later, perhaps. */
    private static final int MARKETING_CAP = 131049;

    /** The account is suspended or restricted by Meta: flagged banned-suspected. */
    private static final Set<Integer> BANNED = Set.of(131031, 368, 130497, 131045);

    /**
     * The account cannot send: token invalid or expired, permissions, number not
     * registered.
     */
    private static final Set<Integer> ACCOUNT = Set.of(0, 3, 10, 190, 200, 131005, 133010, 133005, 133006);

    private static final int MAX_TEMPLATE_PAGES = 100;

    private static final ContentType JSON = ContentType.create("application/json");

    private final MessagingSettings.WhatsApp settings;

    private final SecretSealer sealer;

    private final JsonMapper json;

    private final CloseableHttpClient http;

    /** {@code <base url>/<version>/}, computed once. */
    private final String base;

    /**
     * Access tokens opened, by the sealed value and its context: a campaign sends
     * thousands of messages per account, and opening its token once instead of per call
     * is a few per cent of the sender's CPU. A token changed or resealed is a new key;
     * the map is emptied when it holds more than {@code MAX_OPENED}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> opened = new java.util.concurrent.ConcurrentHashMap<>();

    private static final int MAX_OPENED = 10_000;

    WhatsAppCloud(MessagingSettings settings, SecretSealer sealer, JsonMapper json, OutboundHttp outbound) {
        this.settings = settings.whatsapp();
        this.sealer = sealer;
        this.json = json;
        this.base = this.settings.baseUrl().replaceAll("/+$", "") + "/" + this.settings.apiVersion() + "/";
        // One client for every call, HTTP/1.1 with its connections kept and reused, as
        // many as the sender has
        // calls in flight (a campaign at 1,000 msg/s with 150 ms per call has 150): no
        // call waits for a connection.
        // It connects only to the address its lookup of Meta's host checked
        // (OutboundHttp). Not HTTP/2: one
        // connection's limit of concurrent streams (100 or so) would cap, or with the
        // JDK's client fail
        // (JDK-8225647), the calls beyond it.
        this.http = outbound.serviceClient(this.settings.timeout(), this.settings.timeout(),
                settings.worker().maxInFlight());
    }

    /** An HTTP answer: its status and its body as text. */
    private record Reply(int status, String body) {

        static Reply of(ClassicHttpResponse response) throws IOException {
            try {
                return new Reply(response.getCode(), response.getEntity() == null ? ""
                        : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
            }
            catch (org.apache.hc.core5.http.ParseException ex) {
                throw new IOException(ex);
            }
        }
    }

    @Override
    public String name() {
        return Sender.WHATSAPP_CLOUD;
    }

    @Override
    public Result send(Sender sender, Outgoing message) {
        if (sender.sealedAccessToken() == null || sender.phoneNumberId() == null) {
            return new Failed(Kind.ACCOUNT, "not-configured", "The account has no phone-number id or access token",
                    null, false);
        }
        String token;
        try {
            token = token(sender);
        }
        catch (SecretSealer.SealingException ex) {
            return new Failed(Kind.ACCOUNT, "token-unreadable", "The stored access token cannot be opened", null,
                    false);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", message.to().startsWith("+") ? message.to().substring(1) : message.to());
        if (message.template() != null) {
            body.put("type", "template");
            body.put("template", template(message.template()));
        }
        else if (message.rich() != null) {
            body.put("type", message.rich().type());
            body.put(message.rich().type(), message.rich().payload());
        }
        else {
            body.put("type", "text");
            body.put("text", Map.of("preview_url", false, "body", message.text()));
        }
        body.put("biz_opaque_callback_data", message.idempotencyKey());
        ClassicHttpRequest request = ClassicRequestBuilder.post(base + sender.phoneNumberId() + "/messages")
            .setHeader("Authorization", "Bearer " + token)
            .setEntity(new ByteArrayEntity(json.writeValueAsBytes(body), JSON))
            .build();
        Reply response;
        try {
            response = http.execute(request, Reply::of);
        }
        catch (IOException ex) {
            return failed(ex);
        }
        return answer(response.status(), response.body());
    }

    /**
     * A call that got no answer: not sent when it never connected (refused, timed out
     * connecting, or the host did not resolve to an allowed address); perhaps sent when
     * the answer was late or the connection broke.
     */
    private static Failed failed(IOException ex) {
        if (Thread.currentThread().isInterrupted()) {
            return Failed.of(Kind.UNKNOWN, "interrupted", "Sending was interrupted");
        }
        if (ex instanceof ConnectException || ex instanceof ConnectTimeoutException
                || ex instanceof UnknownHostException) {
            return Failed.of(Kind.TEMPORARY, "unreachable", "WhatsApp could not be reached");
        }
        if (ex instanceof SocketTimeoutException) {
            return Failed.of(Kind.UNKNOWN, "timeout",
                    "WhatsApp did not answer in time; the message may have been sent");
        }
        return Failed.of(Kind.UNKNOWN, "connection-lost",
                "The connection to WhatsApp broke; the message may have been sent");
    }

    /** The sender's access token, opened once per sealed value. */
    private String token(Sender sender) {
        String context = Sender.tokenContext(sender.ownerId(), sender.id());
        String key = context + '\u0000' + sender.sealedAccessToken();
        String token = opened.get(key);
        if (token == null) {
            token = sealer.open(sender.sealedAccessToken(), context);
            if (opened.size() >= MAX_OPENED) {
                opened.clear();
            }
            opened.put(key, token);
        }
        return token;
    }

    /**
     * Meta's {@code template} object: name, language code, a header component with the
     * media link when the template has a media header, and a body component with one text
     * parameter per variable.
     */
    static Map<String, Object> template(TemplateMessage template) {
        List<Map<String, Object>> components = new ArrayList<>();
        if (template.headerType() != null) {
            components.add(Map.of("type", "header", "parameters", List.of(Map.of("type", template.headerType(),
                    template.headerType(), Map.of("link", template.headerLink())))));
        }
        if (!template.bodyParameters().isEmpty()) {
            components.add(Map.of("type", "body", "parameters",
                    template.bodyParameters()
                        .stream()
                        .map(text -> Map.<String, Object>of("type", "text", "text", text))
                        .toList()));
        }
        for (TemplateButton button : template.buttons()) {
            components.add(Map.of("type", "button", "sub_type", button.subType(), "index",
                    String.valueOf(button.index()), "parameters",
                    List.of(button.subType().equals("url") ? Map.of("type", "text", "text", button.value())
                            : Map.of("type", "payload", "payload", button.value()))));
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", template.name());
        object.put("language", Map.of("code", template.language()));
        object.put("components", components);
        return object;
    }

    /**
     * Why Meta did not take a media upload (its error message, or the connection's
     * failure).
     */
    static final class UploadFailed extends RuntimeException {

        UploadFailed(String message) {
            super(message);
        }

    }

    /**
     * Uploads a file as media ({@code POST /{version}/{phone-number-id}/media}, multipart
     * {@code messaging_product}, {@code type} and {@code file}), streaming it; returns
     * Meta's media id.
     */
    String upload(Sender sender, java.io.InputStream file, String mimeType, String filename) {
        String token;
        try {
            token = token(sender);
        }
        catch (SecretSealer.SealingException ex) {
            throw new UploadFailed("The stored access token cannot be opened");
        }
        org.apache.hc.core5.http.HttpEntity entity = org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder
            .create()
            .addTextBody("messaging_product", "whatsapp")
            .addTextBody("type", mimeType)
            .addPart("file",
                    new org.apache.hc.client5.http.entity.mime.InputStreamBody(file, ContentType.create(mimeType),
                            filename))
            .build();
        ClassicHttpRequest request = ClassicRequestBuilder.post(base + sender.phoneNumberId() + "/media")
            .setHeader("Authorization", "Bearer " + token)
            .setEntity(entity)
            .build();
        Reply response;
        try {
            response = http.execute(request, Reply::of);
        }
        catch (IOException ex) {
            throw new UploadFailed("WhatsApp could not be reached or the file could not be read");
        }
        JsonNode root;
        try {
            root = json.readTree(response.body() == null || response.body().isBlank() ? "{}" : response.body());
        }
        catch (JacksonException ex) {
            throw new UploadFailed("WhatsApp answered HTTP " + response.status() + " without JSON");
        }
        String id = root.path("id").asString(null);
        if (response.status() / 100 != 2 || id == null) {
            throw new UploadFailed(root.path("error").path("message").asString("HTTP " + response.status()));
        }
        return id;
    }

    /**
     * What Meta answers for a media id ({@code GET /{version}/{media-id}}): the URL to
     * fetch it from (valid a few minutes, and only with the same token), its MIME type,
     * its SHA-256 (hex) and its size in bytes ({@code -1}: not given).
     */
    record MediaInfo(String url, String mimeType, String sha256, long fileSize) {
    }

    /** Why media could not be fetched from Meta. */
    static final class MediaFailed extends RuntimeException {

        enum Reason {

            /** Meta no longer has it (404: deleted, or past its 30 days). */
            GONE,
            /** Meta could not be reached, or answered 5xx. */
            UNREACHABLE,
            /** The file is larger than the most bytes allowed for it. */
            TOO_LARGE,
            /** Any other answer: refused token, unexpected body, a broken transfer. */
            FAILED

        }

        private final Reason reason;

        MediaFailed(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }

    }

    /** The most bytes of Meta's answer about a media id that are read. */
    private static final int MAX_MEDIA_INFO = 64 * 1024;

    /**
     * Meta's description of a media id, asked with the sender's token. A 404, or a 400
     * with Graph's code 100 (no such object), is {@link MediaFailed.Reason#GONE}.
     */
    MediaInfo media(Sender sender, String mediaId) {
        HttpGet request = new HttpGet(base + URLEncoder.encode(mediaId, StandardCharsets.UTF_8));
        request.setHeader("Authorization", "Bearer " + mediaToken(sender));
        Reply response;
        try {
            response = http.execute(request, answer -> {
                byte[] body = new byte[0];
                if (answer.getEntity() != null) {
                    try (InputStream in = answer.getEntity().getContent()) {
                        body = in.readNBytes(MAX_MEDIA_INFO + 1);
                    }
                }
                if (body.length > MAX_MEDIA_INFO) {
                    // Closing the rest would read it to its end: drop the connection.
                    request.cancel();
                    throw new MediaFailed(MediaFailed.Reason.FAILED, "WhatsApp's answer is too long");
                }
                return new Reply(answer.getCode(), new String(body, StandardCharsets.UTF_8));
            });
        }
        catch (IOException ex) {
            throw unreachable(ex);
        }
        JsonNode root;
        try {
            root = json.readTree(response.body().isBlank() ? "{}" : response.body());
        }
        catch (JacksonException ex) {
            root = json.createObjectNode();
        }
        String message = root.path("error").path("message").asString("HTTP " + response.status());
        if (response.status() == 404 || response.status() == 400 && root.path("error").path("code").asInt(-1) == 100) {
            throw new MediaFailed(MediaFailed.Reason.GONE, message);
        }
        if (response.status() >= 500) {
            throw new MediaFailed(MediaFailed.Reason.UNREACHABLE, message);
        }
        String url = root.path("url").asString(null);
        if (response.status() / 100 != 2 || url == null) {
            throw new MediaFailed(MediaFailed.Reason.FAILED, message);
        }
        JsonNode size = root.path("file_size");
        long fileSize = -1;
        if (size.isIntegralNumber()) {
            fileSize = size.asLong(-1);
        }
        else if (size.isString() && size.asString("").matches("[0-9]{1,18}")) {
            fileSize = Long.parseLong(size.asString(""));
        }
        return new MediaInfo(url, root.path("mime_type").asString(null), root.path("sha256").asString(null), fileSize);
    }

    /**
     * Streams the file at {@code url} (the URL of {@link #media}, which the caller
     * checked) into {@code sink} with the sender's token: at most {@code max} bytes, the
     * connection dropped as soon as the answer says or shows it is larger. No redirect is
     * followed. Returns the bytes written.
     */
    long download(Sender sender, URI url, long max, OutputStream sink) {
        HttpGet request = new HttpGet(url);
        request.setHeader("Authorization", "Bearer " + mediaToken(sender));
        try {
            return http.execute(request, answer -> {
                int status = answer.getCode();
                if (status / 100 != 2 || answer.getEntity() == null) {
                    request.cancel();
                    throw new MediaFailed(
                            status == 404 ? MediaFailed.Reason.GONE
                                    : status >= 500 ? MediaFailed.Reason.UNREACHABLE : MediaFailed.Reason.FAILED,
                            "HTTP " + status);
                }
                if (answer.getEntity().getContentLength() > max) {
                    request.cancel();
                    throw new MediaFailed(MediaFailed.Reason.TOO_LARGE, "Larger than " + max + " bytes");
                }
                long written = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = answer.getEntity().getContent()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        written += n;
                        if (written > max) {
                            request.cancel();
                            throw new MediaFailed(MediaFailed.Reason.TOO_LARGE, "Larger than " + max + " bytes");
                        }
                        sink.write(buffer, 0, n);
                    }
                }
                return written;
            });
        }
        catch (IOException ex) {
            throw unreachable(ex);
        }
    }

    private String mediaToken(Sender sender) {
        try {
            return token(sender);
        }
        catch (SecretSealer.SealingException ex) {
            throw new MediaFailed(MediaFailed.Reason.FAILED, "The stored access token cannot be opened");
        }
    }

    /**
     * A call without a whole answer: unreachable when it never connected (refused, timed
     * out, or the host resolved to a refused address), failed when the transfer broke.
     */
    private static MediaFailed unreachable(IOException ex) {
        if (ex instanceof ConnectException || ex instanceof ConnectTimeoutException
                || ex instanceof UnknownHostException || ex instanceof SocketTimeoutException) {
            return new MediaFailed(MediaFailed.Reason.UNREACHABLE, "WhatsApp could not be reached");
        }
        return new MediaFailed(MediaFailed.Reason.FAILED, "The transfer from WhatsApp broke");
    }

    /**
     * Why templates could not be read from Meta (its error message, or the connection's
     * failure).
     */
    static final class SyncFailed extends RuntimeException {

        SyncFailed(String message) {
            super(message);
        }

    }

    /**
     * Every template of the sender's WhatsApp Business Account: {@code GET
     * /{version}/{waba-id}/message_templates}, page after page (Meta's
     * {@code paging.cursors.after} while a {@code paging.next} is given), at most
     * {@code MAX_TEMPLATE_PAGES} pages.
     */
    List<MessageTemplates.Synced> templates(Sender sender) {
        String token;
        try {
            token = token(sender);
        }
        catch (SecretSealer.SealingException ex) {
            throw new SyncFailed("The stored access token cannot be opened");
        }
        List<MessageTemplates.Synced> templates = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MAX_TEMPLATE_PAGES; page++) {
            String uri = base + sender.wabaId()
                    + "/message_templates?fields=id,name,language,status,category,components&limit=100"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            Reply response;
            try {
                response = http.execute(
                        ClassicRequestBuilder.get(uri).setHeader("Authorization", "Bearer " + token).build(),
                        Reply::of);
            }
            catch (IOException ex) {
                throw new SyncFailed(
                        Thread.currentThread().isInterrupted() ? "Interrupted" : "WhatsApp could not be reached");
            }
            JsonNode root;
            try {
                root = json.readTree(response.body() == null || response.body().isBlank() ? "{}" : response.body());
            }
            catch (JacksonException ex) {
                throw new SyncFailed("WhatsApp answered HTTP " + response.status() + " without JSON");
            }
            if (response.status() / 100 != 2) {
                throw new SyncFailed(root.path("error").path("message").asString("HTTP " + response.status()));
            }
            for (JsonNode template : root.path("data")) {
                MessageTemplates.Synced synced = synced(template);
                if (synced != null) {
                    templates.add(synced);
                }
            }
            after = root.path("paging").path("cursors").path("after").asString(null);
            if (root.path("paging").path("next").isMissingNode() || after == null) {
                return templates;
            }
        }
        return templates;
    }

    private MessageTemplates.Synced synced(JsonNode template) {
        String name = template.path("name").asString(null);
        String language = template.path("language").asString(null);
        if (name == null || language == null || name.length() > 512 || language.length() > 20) {
            return null;
        }
        int parameters = 0;
        String header = null;
        for (JsonNode component : template.path("components")) {
            String type = component.path("type").asString("").toUpperCase(Locale.ROOT);
            if (type.equals("BODY")) {
                parameters = Templates.variables(component.path("text").asString("")).size();
            }
            else if (type.equals("HEADER")) {
                header = component.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
            }
        }
        return new MessageTemplates.Synced(template.path("id").asString(null), name, language,
                template.path("category").asString("").toLowerCase(Locale.ROOT),
                template.path("status").asString("").toUpperCase(Locale.ROOT),
                template.path("components").isArray() ? json.writeValueAsString(template.path("components")) : "[]",
                parameters, header);
    }

    @Override
    public Lookup lookup(Sender sender, String idempotencyKey) {
        return new Unknown();
    }

    /** Reads Meta's answer: a message id, or an error classified by its code. */
    Result answer(int status, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null || body.isBlank() ? "{}" : body);
        }
        catch (JacksonException ex) {
            root = json.createObjectNode();
        }
        if (status / 100 == 2) {
            String id = root.path("messages").path(0).path("id").asString(null);
            return id != null ? new Accepted(id) : Failed.of(Kind.UNKNOWN, "unexpected-answer",
                    "WhatsApp accepted the request without a message id");
        }
        JsonNode error = root.path("error");
        int code = error.path("code").asInt(-1);
        String details = error.path("error_data").path("details").asString(null);
        String reason = details != null ? details : error.path("message").asString("HTTP " + status);
        String codeText = code >= 0 ? Integer.toString(code) : "http-" + status;
        if (RATE_LIMITS.contains(code) || status == 429) {
            return new Failed(Kind.RATE_LIMITED, codeText, reason, null, false);
        }
        if (BANNED.contains(code)) {
            return new Failed(Kind.ACCOUNT, codeText, reason, null, true);
        }
        if (ACCOUNT.contains(code) || status == 401 || status == 403) {
            return new Failed(Kind.ACCOUNT, codeText, reason, null, false);
        }
        if (code == MARKETING_CAP) {
            return Failed.of(Kind.MARKETING_CAP, codeText, reason);
        }
        if (TEMPLATE.contains(code)) {
            return Failed.of(Kind.TEMPLATE, codeText, reason);
        }
        if (RECIPIENT.contains(code)) {
            return Failed.of(Kind.RECIPIENT, codeText, reason);
        }
        if (status >= 500 || code == 1 || code == 2 || code == 131000 || code == 131016 || code == 133004) {
            return Failed.of(Kind.TEMPORARY, codeText, reason);
        }
        return Failed.of(Kind.RECIPIENT, codeText, reason);
    }

}
