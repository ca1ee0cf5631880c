package dev.kapi.identity;

import java.util.UUID;

/**
 * The signed-in account behind a request, as resolved from its access token and live
 * session. Use it as {@code @AuthenticationPrincipal CurrentAccount me} in a controller.
 */
public record CurrentAccount(long id, String publicId, UUID sessionId, String role, boolean frozen) {

    public static final String ADMIN = "admin";

    public static final String EDITOR = "editor";

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }
}
