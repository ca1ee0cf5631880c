package dev.kapi.identity;

/**
 * Published in the transaction that stops ({@code frozen} true) or lets again an account
 * act: the user's own freeze or thaw ({@code reason} {@code user}), or an admin's
 * deactivation or reactivation ({@code admin-deactivated}, {@code admin-reactivated}).
 * {@code active} and {@code accountFrozen} are the account's state after the change.
 */
public record AccountFrozen(long accountId, String publicId, boolean frozen, String reason, boolean active,
        boolean accountFrozen) {
}
