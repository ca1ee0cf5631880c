package dev.kapi.shared;

/**
 * A request body went past its cap while it was being read (a body sent without a length,
 * or longer than it said). Answered 413 {@code payload-too-large}, naming the cap.
 */
public final class PayloadTooLarge extends RuntimeException {

    private final long maxBytes;

    public PayloadTooLarge(long maxBytes) {
        super("request body over " + maxBytes + " bytes", null, false, false);
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The cap as a person reads it: {@code 1 MB}, {@code 20 MB}, {@code 512 KB}. */
    public String readableMax() {
        return readable(maxBytes);
    }

    public static String readable(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

}
