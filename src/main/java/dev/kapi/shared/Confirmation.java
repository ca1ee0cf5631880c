package dev.kapi.shared;

/**
 * The answer to an action that has nothing else to return: {@code {"success": true,
 * "message": ...}}.
 */
public record Confirmation(boolean success, String message) {

    public static Confirmation of(String message) {
        return new Confirmation(true, message);
    }
}
