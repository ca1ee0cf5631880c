package dev.kapi.identity.hosted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.kapi.identity.CurrentAccount;

/**
 * A browser signed in through its single sign-on cookie: the Kapı session it points to
 * and that session's last proof ({@code auth_time}, {@code amr} and the {@code acr} they
 * amount to). {@link #getName()} is the account id and the principal the
 * {@link CurrentAccount}; each method of the proof is also a
 * {@link FactorGrantedAuthority} issued at {@code auth_time}.
 */
public final class SsoAuthentication extends AbstractAuthenticationToken {

    /** Two factors, or a passkey that verified its user. */
    public static final String ACR_MFA = "urn:kapi:acr:mfa";

    /** One factor. */
    public static final String ACR_SFA = "urn:kapi:acr:sfa";

    private final CurrentAccount account;

    private final Instant authTime;

    private final List<String> amr;

    public SsoAuthentication(CurrentAccount account, Instant authTime, List<String> amr) {
        super(authorities(account, authTime, amr));
        this.account = account;
        this.authTime = authTime;
        this.amr = List.copyOf(amr);
        setAuthenticated(true);
    }

    public long accountId() {
        return account.id();
    }

    public UUID sessionId() {
        return account.sessionId();
    }

    public Instant authTime() {
        return authTime;
    }

    public List<String> amr() {
        return amr;
    }

    public String acr() {
        return acr(amr);
    }

    /**
     * {@link #ACR_MFA} when the methods are two different factors or include {@code hwk},
     * else {@link #ACR_SFA}.
     */
    public static String acr(Collection<String> amr) {
        return amr.contains("hwk") || new LinkedHashSet<>(amr).size() >= 2 ? ACR_MFA : ACR_SFA;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public CurrentAccount getPrincipal() {
        return account;
    }

    @Override
    public String getName() {
        return Long.toString(account.id());
    }

    private static List<GrantedAuthority> authorities(CurrentAccount account, Instant authTime, List<String> amr) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + account.role().toUpperCase(Locale.ROOT)));
        Set<String> factors = new LinkedHashSet<>();
        for (String method : amr) {
            factors.add(switch (method) {
                case "pwd" -> FactorGrantedAuthority.PASSWORD_AUTHORITY;
                case "hwk", "swk" -> FactorGrantedAuthority.WEBAUTHN_AUTHORITY;
                default -> FactorGrantedAuthority.OTT_AUTHORITY;
            });
        }
        factors.forEach(
                factor -> authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(authTime).build()));
        return authorities;
    }

}
