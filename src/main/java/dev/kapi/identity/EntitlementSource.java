package dev.kapi.identity;

import java.util.Set;

/**
 * What an account may use, as another module knows it (the plans module: the contents of
 * the account's active packages). Identity shows it on {@code GET /users/me} without
 * depending on that module.
 */
public interface EntitlementSource {

    Set<String> entitlementsOf(long accountId);

}
