package dev.kapi.identity.federation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.util.UriComponentsBuilder;

import dev.kapi.identity.AccountLinked;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.signin.Amr;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.PublicUrl;

/**
 * Signing in (or up, or linking) through an external provider. {@link #start} keeps the
 * state, nonce and PKCE verifier in a row bound to the browser's cookie and answers the
 * provider's address; {@link #callback} takes that row once, exchanges the provider's
 * code, decides (sign-up, sign-in, link, or the refused silent merge) and answers where
 * to send the browser: {@code return_to} with a one-time code (60 s, single use) or an
 * {@code error}; {@link #exchange} turns the code into the login answer, a second factor
 * still asked of an account that has one. An address is joined to an existing account
 * only when the provider verified it, the provider is trusted to link by it, and the
 * account's own address is verified: anything less is how pre-account-takeover works.
 */
@Service
class ExternalSignIn {

    /** Where the browser goes once the provider is done. */
    record Redirect(String location) {
    }

    /** Where the hosted sign-in page's flows come back to. */
    private static final String HOSTED_RETURN = "/login/external";

    private final IdentityProviders providers;

    private final IdentityProviderManagement management;

    private final ExternalSignIns signIns;

    private final ExternalIdentities identities;

    private final UpstreamCalls calls;

    private final ReturnTargets returnTargets;

    private final Accounts accounts;

    private final AccountManagement accountManagement;

    private final SecondFactors factors;

    private final PasswordLogin login;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final TransactionOperations transactions;

    private final FederationSettings settings;

    private final ExternalSignInSettings appSettings;

    private final PublicUrl publicUrl;

    private final Clock clock;

    ExternalSignIn(IdentityProviders providers, IdentityProviderManagement management, ExternalSignIns signIns,
            ExternalIdentities identities, UpstreamCalls calls, ReturnTargets returnTargets, Accounts accounts,
            AccountManagement accountManagement, SecondFactors factors, PasswordLogin login, AuditLog audit,
            ApplicationEventPublisher events, TransactionOperations transactions, FederationSettings settings,
            ExternalSignInSettings appSettings, PublicUrl publicUrl, Clock clock) {
        this.providers = providers;
        this.management = management;
        this.signIns = signIns;
        this.identities = identities;
        this.calls = calls;
        this.returnTargets = returnTargets;
        this.accounts = accounts;
        this.accountManagement = accountManagement;
        this.factors = factors;
        this.login = login;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.settings = settings;
        this.appSettings = appSettings;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /**
     * Starts a sign-in in the browser holding {@code browserSecret}; answers the
     * provider's authorization address. The app's {@code codeChallenge} (S256), when it
     * sends one, goes with the flow to its one-time code, whose exchange then needs the
     * verifier; with {@code require-pkce} on, only the hosted page may start without one.
     */
    String start(String alias, String returnTo, String codeChallenge, String challengeMethod, String browserSecret) {
        String challenge = ExchangeProof.challenge(codeChallenge, challengeMethod);
        IdentityProvider provider = enabled(alias);
        String target = returnTargets.check(returnTo);
        if (challenge == null && appSettings.requirePkce() && !hostedPage(target)) {
            throw ApiException.invalidField("code_challenge", "external-code-challenge-required");
        }
        return begin(provider, target, SecretTokens.hash(browserSecret), null, challenge).authorizationUrl();
    }

    /**
     * The hosted sign-in page's return: its code is exchanged only in the browser that
     * started the flow (the cookie stands for the verifier there).
     */
    private boolean hostedPage(String target) {
        String path = target.startsWith(publicUrl.base() + "/") ? target.substring(publicUrl.base().length()) : target;
        return path.equals(HOSTED_RETURN) || path.startsWith(HOSTED_RETURN + "?");
    }

    /**
     * Starts linking the provider to a signed-in account: the answer is Kapı's own
     * address that, opened once in the owner's browser, binds the flow to that browser
     * and goes on to the provider.
     */
    String startLink(long accountId, String alias, String returnTo) {
        IdentityProvider provider = enabled(alias);
        String target = returnTargets.check(returnTo);
        if (identities.accountHasProvider(accountId, provider.id())) {
            throw ApiException.conflict("identity-provider-already-linked");
        }
        String ticket = SecretTokens.generate();
        begin(provider, target, ExternalSignIns.ticketHash(ticket), accountId, null);
        return UriComponentsBuilder.fromUriString(publicUrl.base() + "/auth/external/" + alias)
            .queryParam("link_ticket", ticket)
            .build()
            .toUriString();
    }

    /** The provider's address of a link waiting for the browser that opens it. */
    String continueLink(String alias, String ticket, String browserSecret) {
        return signIns.claimTicket(ticket, SecretTokens.hash(browserSecret), clock.instant())
            .orElseThrow(() -> ApiException.badRequest("external-state-invalid"));
    }

    private record Begun(String authorizationUrl) {
    }

    private Begun begin(IdentityProvider provider, String returnTo, String browserHash, Long linkAccountId,
            String codeChallenge) {
        String state = SecretTokens.generate();
        String nonce = SecretTokens.generate();
        String verifier = SecretTokens.generate();
        String redirectUri = publicUrl.base() + "/auth/external/" + provider.alias() + "/callback";
        ClientRegistration registration = calls.registration(provider, null, redirectUri);
        OAuth2AuthorizationRequest request = request(provider, registration, state, nonce, verifier);
        String url = request.getAuthorizationRequestUri();
        signIns.start(state,
                new ExternalSignIns.State(provider.id(), browserHash, nonce, verifier, redirectUri, returnTo,
                        linkAccountId, codeChallenge),
                linkAccountId == null ? null : url, clock.instant().plus(settings.stateTtl()));
        return new Begun(url);
    }

    private static OAuth2AuthorizationRequest request(IdentityProvider provider, ClientRegistration registration,
            String state, String nonce, String verifier) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(PkceParameterNames.CODE_CHALLENGE, challenge(verifier));
        parameters.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256");
        if (provider.type() == ProviderType.OIDC) {
            parameters.put(OidcParameterNames.NONCE, nonce);
        }
        return OAuth2AuthorizationRequest.authorizationCode()
            .authorizationUri(registration.getProviderDetails().getAuthorizationUri())
            .clientId(registration.getClientId())
            .redirectUri(registration.getRedirectUri())
            .scopes(new LinkedHashSet<>(registration.getScopes()))
            .state(state)
            .additionalParameters(parameters)
            .attributes(attributes -> attributes.put(PkceParameterNames.CODE_VERIFIER, verifier))
            .build();
    }

    /**
     * Ends the provider's part: where the browser goes next. A callback this browser did
     * not start, or one already used, is a 400 {@code external-state-invalid} (no address
     * to send it to is trusted then).
     */
    Redirect callback(String alias, String code, String state, String error, String browserSecret) {
        if (state == null || state.length() > 200) {
            throw ApiException.badRequest("external-state-invalid");
        }
        ExternalSignIns.State started = signIns.take(state, clock.instant())
            .orElseThrow(() -> ApiException.badRequest("external-state-invalid"));
        IdentityProvider provider = providers.byId(started.providerId())
            .filter(found -> found.alias().equals(alias))
            .orElseThrow(() -> ApiException.badRequest("external-state-invalid"));
        if (browserSecret == null || !SecretTokens.hash(browserSecret).equals(started.browserHash())) {
            throw ApiException.badRequest("external-state-invalid");
        }
        if (error != null || code == null || code.isEmpty() || code.length() > 2048) {
            return refused(started, provider, null,
                    error != null ? "external-sign-in-cancelled" : "external-provider-failed");
        }
        ExternalUser user;
        try {
            ClientRegistration registration = calls.registration(provider, management.secretOf(provider),
                    started.redirectUri());
            user = calls.exchange(provider, registration,
                    request(provider, registration, state, started.nonce(), started.codeVerifier()), code,
                    started.nonce());
        }
        catch (ApiException ex) {
            return refused(started, provider, null, ex.code());
        }
        if (user.subject() == null || user.subject().isEmpty() || user.subject().length() > 255) {
            return refused(started, provider, null, "external-provider-failed");
        }
        try {
            return transactions.execute(status -> started.linkAccountId() != null
                    ? link(started, provider, user, browserSecret) : signIn(started, provider, user, browserSecret));
        }
        catch (ApiException ex) {
            return refused(started, provider, started.linkAccountId(), ex.code());
        }
        catch (DuplicateKeyException ex) {
            // Another callback linked or created the same identity or address meanwhile.
            return refused(started, provider, started.linkAccountId(), "identity-linked-elsewhere");
        }
    }

    private Redirect link(ExternalSignIns.State started, IdentityProvider provider, ExternalUser user,
            String browserSecret) {
        long accountId = started.linkAccountId();
        Optional<ExternalIdentities.Identity> existing = identities.byProviderAndSubject(provider.id(), user.subject());
        if (existing.isPresent()) {
            if (existing.get().accountId() != accountId) {
                throw ApiException.conflict("identity-linked-elsewhere");
            }
            return new Redirect(withParameter(started.returnTo(), "linked", provider.alias()));
        }
        if (identities.accountHasProvider(accountId, provider.id())) {
            throw ApiException.conflict("identity-provider-already-linked");
        }
        Account account = accounts.byId(accountId).orElseThrow(() -> ApiException.badRequest("external-state-invalid"));
        linkIdentity(account, provider, user, "signed-in");
        return new Redirect(withParameter(started.returnTo(), "linked", provider.alias()));
    }

    private Redirect signIn(ExternalSignIns.State started, IdentityProvider provider, ExternalUser user,
            String browserSecret) {
        Optional<ExternalIdentities.Identity> existing = identities.byProviderAndSubject(provider.id(), user.subject());
        Account account;
        if (existing.isPresent()) {
            account = accounts.byId(existing.get().accountId()).orElseThrow();
        }
        else {
            if (user.email() == null || !user.emailVerified()) {
                throw ApiException.badRequest("external-email-unverified");
            }
            if (!provider.allowsEmail(user.email())) {
                throw ApiException.badRequest("external-email-domain-not-allowed");
            }
            String address = AccountManagement.normalizeEmail(user.email());
            Optional<Account> holder = accounts.byLogin(address).filter(found -> found.email().equals(address));
            if (holder.isPresent()) {
                if (!provider.linkByVerifiedEmail() || !holder.get().emailVerified()) {
                    throw ApiException.conflict("account-exists-sign-in-to-link");
                }
                account = holder.get();
                linkIdentity(account, provider, user, "verified-email");
            }
            else {
                account = accountManagement.registerVerified(address, user.name(), Locale.ENGLISH);
                linkIdentity(account, provider, user, "sign-up");
            }
        }
        List<String> amr = new ArrayList<>(List.of(Amr.FEDERATED));
        if (provider.trustProviderMfa() && user.mfa()) {
            amr.add(Amr.PROVIDER_MFA);
        }
        String code = SecretTokens.generate();
        signIns.issue(code,
                new ExternalSignIns.Code(account.id(), provider.alias(), SecretTokens.hash(browserSecret), amr,
                        started.codeChallenge(), hostedPage(started.returnTo())),
                clock.instant().plus(settings.codeTtl()));
        return new Redirect(withParameter(started.returnTo(), "code", code));
    }

    private void linkIdentity(Account account, IdentityProvider provider, ExternalUser user, String how) {
        identities.link(account.id(), provider.id(), user.subject(), user.email(), clock.instant());
        audit.record(AuditType.ACCOUNT_LINKED, account.id(), account.id(),
                "alias=" + provider.alias() + ";subject=" + user.subject() + ";by=" + how);
        events.publishEvent(new AccountLinked(account.id(), account.publicId(), provider.alias(), user.subject()));
    }

    private Redirect refused(ExternalSignIns.State started, IdentityProvider provider, Long accountId, String code) {
        audit.record(AuditType.EXTERNAL_SIGN_IN_REFUSED, accountId, accountId,
                "alias=" + provider.alias() + ";reason=" + code);
        return new Redirect(withParameter(started.returnTo(), "error", code));
    }

    /**
     * Turns a one-time code into the sign-in's answer, ending as {@code finish} says;
     * {@code browserSecret}, when given, must be that of the browser that started it (the
     * hosted page's exchange), and is the only way to exchange a code the hosted page's
     * flow came back with. {@code codeVerifier} must answer the challenge the flow
     * started with, and is refused when it started without one; the code is used up
     * either way. With {@code require-pkce} on, the API exchanges no code issued without
     * a challenge.
     */
    PasswordLogin.Outcome exchange(String code, String codeVerifier, Optional<String> browserSecret,
            PasswordLogin.Finish finish) {
        if (code == null || code.isEmpty() || code.length() > 200) {
            throw ApiException.invalidField("code", "external-code-invalid");
        }
        ExternalSignIns.Code redeemed = signIns.redeem(code, clock.instant())
            .filter(found -> browserSecret.isEmpty() ? !found.browserBound()
                    : SecretTokens.hash(browserSecret.get()).equals(found.browserHash()))
            .orElseThrow(() -> ApiException.invalidField("code", "external-code-invalid"));
        if (!ExchangeProof.answers(redeemed.codeChallenge(), codeVerifier)) {
            audit.record(AuditType.EXTERNAL_SIGN_IN_REFUSED, redeemed.accountId(), redeemed.accountId(),
                    "alias=" + redeemed.alias() + ";reason=code-verifier-mismatch");
            throw ApiException.invalidField("code_verifier", "external-code-invalid");
        }
        if (redeemed.codeChallenge() == null && browserSecret.isEmpty() && appSettings.requirePkce()) {
            throw ApiException.invalidField("code_verifier", "external-code-invalid");
        }
        Account account = accounts.byId(redeemed.accountId())
            .orElseThrow(() -> ApiException.invalidField("code", "external-code-invalid"));
        if (!account.active()) {
            throw ApiException.unauthorized("account-inactive");
        }
        String method = "external:" + redeemed.alias();
        List<String> methods = factors.methodsOf(account.id());
        if (!methods.isEmpty() && !redeemed.amr().contains(Amr.PROVIDER_MFA)) {
            return transactions.execute(status -> {
                audit.record(AuditType.LOGIN_SECOND_FACTOR_REQUIRED, account.id(), account.id(), "method=" + method);
                return new PasswordLogin.SecondFactorRequired(factors.challenge(account.id(), Amr.FEDERATED), methods);
            });
        }
        return login.finish(account, method, redeemed.amr(), finish, () -> {
        });
    }

    private IdentityProvider enabled(String alias) {
        if (alias == null || !ProviderDefinition.ALIAS.matcher(alias).matches()) {
            throw ApiException.notFound("identity-provider-not-found");
        }
        IdentityProvider provider = providers.byAlias(alias)
            .orElseThrow(() -> ApiException.notFound("identity-provider-not-found"));
        if (!provider.enabled()) {
            throw ApiException.notFound("identity-provider-disabled");
        }
        return provider;
    }

    private String withParameter(String target, String name, String value) {
        return UriComponentsBuilder.fromUriString(target).queryParam(name, value).build().toUriString();
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
