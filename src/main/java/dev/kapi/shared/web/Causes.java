package dev.kapi.shared.web;

/**
 * Finding what a failure is underneath: readers and converters wrap what a stream or a
 * parser threw.
 */
final class Causes {

    private Causes() {
    }

    /**
     * The first throwable of {@code type} among {@code failure} and its causes, or null.
     */
    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

}
