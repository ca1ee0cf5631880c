package dev.kapi.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The admin {@link FirstAdmin} creates at start when the database has none
 * ({@code KAPI_BOOTSTRAP_ADMIN_EMAIL}, {@code KAPI_BOOTSTRAP_ADMIN_PASSWORD}); unset,
 * none.
 */
@ConfigurationProperties("kapi.identity.bootstrap-admin")
record FirstAdminSettings(String email, String password) {
}
