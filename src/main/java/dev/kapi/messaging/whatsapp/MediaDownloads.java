package dev.kapi.messaging.whatsapp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.kapi.messaging.contact.Customer;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.conversation.InboundMedia;
import dev.kapi.messaging.conversation.InboundMessages;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.shared.ApiException;

/**
 * Fetches the media a customer sent from Meta with the receiving sender's token (Meta's
 * two steps: the media id's URL, then the file), into a temporary file only this process
 * reads: the size bounded by Meta's limit for its type before and while it is read, its
 * SHA-256 checked against Meta's, the URL called only on Meta's hosts (or the configured
 * Graph API's own), at most {@code media-downloads} at a time per instance.
 */
@Service
class MediaDownloads {

    /** How long Meta keeps the media of a received message. */
    static final Duration RETENTION = Duration.ofDays(30);

    /** Where Meta's media URLs point (lookaside.fbsbx.com and its kin). */
    private static final Set<String> META_DOMAINS = Set.of("fbsbx.com", "facebook.com", "whatsapp.net");

    /** Meta's media ids are numbers; nothing else is put in a Graph API path. */
    private static final Pattern MEDIA_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

    private static final long RETRY_AFTER_SECONDS = 5;

    private final Customers customers;

    private final InboundMessages inbound;

    private final Senders senders;

    private final WhatsAppCloud cloud;

    private final Clock clock;

    private final URI graph;

    private final Semaphore permits;

    MediaDownloads(Customers customers, InboundMessages inbound, Senders senders, WhatsAppCloud cloud,
            MessagingSettings settings, Clock clock) {
        this.customers = customers;
        this.inbound = inbound;
        this.senders = senders;
        this.cloud = cloud;
        this.clock = clock;
        this.graph = URI.create(settings.whatsapp().baseUrl());
        this.permits = new Semaphore(settings.whatsapp().mediaDownloads());
    }

    /**
     * A file fetched and checked, on disk until it is closed (which also frees its
     * permit): its served type, size and file name.
     */
    record Download(Path file, long size, String contentType, String filename,
            Semaphore permits) implements AutoCloseable {

        @Override
        public void close() {
            deleteQuietly(file);
            permits.release();
        }

    }

    /**
     * The media of message {@code messageId} in the owner's conversation with customer
     * {@code customerId}. Another owner's customer or message, or one without media, is
     * 404; media past Meta's 30 days or gone from Meta 410 {@code media-expired}.
     */
    Download fetch(long owner, long customerId, long messageId) {
        Customer customer = customers.byId(owner, customerId)
            .orElseThrow(() -> ApiException.notFound("customer-not-found"));
        InboundMedia media = inbound.media(owner, customer.phone(), messageId)
            .filter(found -> MEDIA_ID.matcher(found.mediaId()).matches())
            .orElseThrow(() -> ApiException.notFound("media-not-found"));
        if (!media.receivedAt().plus(RETENTION).isAfter(clock.instant())) {
            throw new ApiException(HttpStatus.GONE, "media-expired");
        }
        Sender sender = senders.byId(owner, media.senderId())
            .filter(found -> Sender.WHATSAPP_CLOUD.equals(found.provider()) && found.sealedAccessToken() != null)
            .orElseThrow(() -> ApiException.conflict("sender-not-whatsapp-cloud"));
        if (!permits.tryAcquire()) {
            throw ApiException.busy("media-busy", RETRY_AFTER_SECONDS);
        }
        Path file = null;
        Download download = null;
        try {
            WhatsAppCloud.MediaInfo info = cloud.media(sender, media.mediaId());
            String mimeType = info.mimeType() != null ? info.mimeType() : media.mimeType();
            long max = MediaTypes.of(mimeType)
                .map(MediaTypes.Kind::maxBytes)
                .orElse(MediaTypes.maxBytesOf(media.type()));
            if (info.fileSize() > max) {
                throw tooLarge(max);
            }
            URI url = fetchable(info.url(), graph);
            byte[] expected = sha256(info.sha256());
            file = Files.createTempFile("kapi-media-", ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                size = cloud.download(sender, url, info.fileSize() >= 0 ? info.fileSize() : max, out);
            }
            catch (WhatsAppCloud.MediaFailed ex) {
                if (ex.reason() == WhatsAppCloud.MediaFailed.Reason.TOO_LARGE) {
                    // More bytes than Meta said is a file that is not the one described.
                    throw info.fileSize() >= 0 ? corrupt() : tooLarge(max);
                }
                throw ex;
            }
            if (!MessageDigest.isEqual(expected, digest.digest()) || info.fileSize() >= 0 && size != info.fileSize()) {
                throw corrupt();
            }
            download = new Download(file, size, servedType(mimeType), filename(media), permits);
            return download;
        }
        catch (WhatsAppCloud.MediaFailed ex) {
            throw switch (ex.reason()) {
                case GONE -> new ApiException(HttpStatus.GONE, "media-expired");
                case UNREACHABLE -> ApiException.busy("media-unreachable", RETRY_AFTER_SECONDS);
                case TOO_LARGE, FAILED -> new ApiException(HttpStatus.BAD_GATEWAY, "media-download-failed");
            };
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        finally {
            if (download == null) {
                if (file != null) {
                    deleteQuietly(file);
                }
                permits.release();
            }
        }
    }

    /**
     * The URL Meta answered, when the sender's token may go to it: https on one of Meta's
     * domains (no user part, the default port), or the configured Graph API's own scheme,
     * host and port (a test's stub, a proxy the operator chose); otherwise 502
     * {@code media-url-refused}.
     */
    static URI fetchable(String url, URI graph) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        }
        catch (URISyntaxException ex) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.isAbsolute()) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "media-url-refused");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean meta = "https".equalsIgnoreCase(uri.getScheme()) && (uri.getPort() == -1 || uri.getPort() == 443)
                && META_DOMAINS.stream().anyMatch(domain -> host.endsWith("." + domain));
        boolean configured = uri.getScheme().equalsIgnoreCase(graph.getScheme())
                && host.equals(graph.getHost().toLowerCase(Locale.ROOT)) && port(uri) == port(graph);
        if (!meta && !configured) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "media-url-refused");
        }
        return uri;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Meta's SHA-256, hex (the media API) or base64 (as callbacks write it). */
    private static byte[] sha256(String given) {
        if (given != null && given.matches("[0-9a-fA-F]{64}")) {
            return HexFormat.of().parseHex(given);
        }
        if (given != null && given.matches("[A-Za-z0-9+/]{43}=")) {
            return java.util.Base64.getDecoder().decode(given);
        }
        throw corrupt();
    }

    /**
     * The type the file is served as: a type WhatsApp takes as media, or else
     * {@code application/octet-stream} (never an SVG or HTML a browser would run).
     */
    static String servedType(String mimeType) {
        return MediaTypes.of(mimeType).isPresent() ? MediaTypes.plain(mimeType) : "application/octet-stream";
    }

    /** The name the customer gave the file, or one made of the message's id. */
    static String filename(InboundMedia media) {
        if (media.filename() != null) {
            return MediaUploads.filename(media.filename());
        }
        String extension = switch (MediaTypes.of(media.mimeType()).isPresent() ? MediaTypes.plain(media.mimeType())
                : "") {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "video/mp4" -> ".mp4";
            case "video/3gpp" -> ".3gp";
            case "audio/ogg" -> ".ogg";
            case "audio/mpeg" -> ".mp3";
            case "audio/mp4", "audio/aac" -> ".m4a";
            case "audio/amr" -> ".amr";
            case "application/pdf" -> ".pdf";
            case "text/plain" -> ".txt";
            default -> "";
        };
        return media.type() + "-" + media.messageId() + extension;
    }

    /** 502 {@code media-too-large} naming the bound in MB (a sticker's 0.49). */
    private static ApiException tooLarge(long max) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "media-too-large",
                java.math.BigDecimal.valueOf(max)
                    .divide(java.math.BigDecimal.valueOf(MediaTypes.MB), 2, java.math.RoundingMode.DOWN)
                    .stripTrailingZeros()
                    .toPlainString());
    }

    private static ApiException corrupt() {
        return new ApiException(HttpStatus.BAD_GATEWAY, "media-corrupt");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ex) {
            // A temporary file the operating system's cleaner removes in the end.
        }
    }

}
