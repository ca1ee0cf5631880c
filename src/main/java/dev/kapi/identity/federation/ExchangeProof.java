package dev.kapi.identity.federation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import dev.kapi.shared.ApiException;

/**
 * The app's PKCE (RFC 7636, S256 only) over the one-time code: the challenge it sends
 * with the start, checked where it enters, and the verifier it sends with the exchange,
 * compared in constant time with what the challenge was made from. Nimbus computes the
 * challenge and holds the verifier's rules (43–128 of {@code A-Z a-z 0-9 - . _ ~}).
 */
final class ExchangeProof {

    /** 43–128 base64url characters (an S256 challenge is 43 of them). */
    static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43,128}");

    private ExchangeProof() {
    }

    /**
     * The challenge a start brings, checked; null when it brings none. Only {@code S256}:
     * {@code plain} would put the verifier itself in the address.
     */
    static String challenge(String challenge, String method) {
        if (challenge == null && method == null) {
            return null;
        }
        if (challenge == null) {
            throw ApiException.invalidField("code_challenge", "external-code-challenge-required");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw ApiException.invalidField("code_challenge", "external-code-challenge-invalid");
        }
        // A missing method is plain to RFC 7636, which Kapı does not take.
        if (!CodeChallengeMethod.S256.getValue().equals(method)) {
            throw ApiException.invalidField("code_challenge_method", "external-code-challenge-method-invalid");
        }
        return challenge;
    }

    /**
     * Whether {@code verifier} answers {@code challenge}: both absent, or the verifier
     * well formed and its S256 equal to the challenge.
     */
    static boolean answers(String challenge, String verifier) {
        if (challenge == null || verifier == null) {
            return challenge == null && verifier == null;
        }
        CodeVerifier parsed;
        try {
            parsed = new CodeVerifier(verifier);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, parsed).getValue();
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }

}
