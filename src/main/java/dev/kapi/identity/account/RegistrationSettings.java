package dev.kapi.identity.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether anyone may register an account of their own ({@code POST /auth/register} and
 * the hosted page {@code /login/register}); {@code KAPI_IDENTITY_REGISTRATION_OPEN}, open
 * by default (seed 003). Closed, both answer 403 {@code sign-up-closed}; an admin still
 * creates accounts.
 */
@ConfigurationProperties("kapi.identity.registration")
public record RegistrationSettings(@DefaultValue("true") boolean open) {
}
