package dev.kapi.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import dev.kapi.shared.ApiException;

/**
 * Which URLs a webhook may point at: http or https, at most 2048 characters, and (unless private targets
 * are allowed) a host whose every address is public: no loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16, fe80::/10, cloud metadata), carrier-grade NAT (100.64/10), multicast
 * or unspecified address. Checked when a webhook is saved and again before every delivery, since DNS can change.
 */
final class WebhookTargets {

    static final int MAX_URL = 2048;

    private final boolean allowPrivate;

    WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL parsed, or a 400 naming {@code url}; a private target is {@code webhook-target-private}. */
    URI check(String url) {
        URI uri = parse(url);
        if (!allowPrivate && !isPublic(uri.getHost())) {
            throw ApiException.invalidField("url", "webhook-target-private");
        }
        return uri;
    }

    /** At delivery time: whether the target may still be called. */
    boolean mayCall(URI uri) {
        return allowPrivate || isPublic(uri.getHost());
    }

    static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw ApiException.invalidField("url", "webhook-url-invalid");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()
                    || uri.getRawUserInfo() != null) {
                throw ApiException.invalidField("url", "webhook-url-invalid");
            }
            return uri;
        }
        catch (URISyntaxException ex) {
            throw ApiException.invalidField("url", "webhook-url-invalid");
        }
    }

    /** True when the host resolves and every address it resolves to is public. */
    static boolean isPublic(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(name);
            if (addresses.length == 0) {
                return false;
            }
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    return false;
                }
            }
            return true;
        }
        catch (UnknownHostException | SecurityException ex) {
            return false;
        }
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240;
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return false;
            }
            boolean mappedV4 = true;
            for (int i = 0; i < 10; i++) {
                mappedV4 &= bytes[i] == 0;
            }
            if (mappedV4 && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] }));
                }
                catch (UnknownHostException ex) {
                    return false;
                }
            }
        }
        return true;
    }
}
