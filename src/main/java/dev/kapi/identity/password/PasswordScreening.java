package dev.kapi.identity.password;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.nulabinc.zxcvbn.Zxcvbn;

import dev.kapi.identity.IdentitySettings;

/**
 * Whether a new password may be used beyond its length: not one known from a breach
 * ({@link BreachedPasswords}) and not too guessable by zxcvbn's estimate, whose score
 * (0-4) must reach {@code kapi.identity.password.min-strength} (default 2: at least 10^6
 * guesses; 3 would refuse every 8-character password, which seed 003 allows).
 */
@Component
public class PasswordScreening {

    /** Why a password was refused: the problem code and its message arguments. */
    public record Refusal(String code, Object[] args) {
    }

    static final int MEASURED_CODE_POINTS = 48;

    private final BreachedPasswords breached;

    private final Zxcvbn zxcvbn = new Zxcvbn();

    private final int minStrength;

    PasswordScreening(BreachedPasswords breached, IdentitySettings settings) {
        this.breached = breached;
        this.minStrength = settings.password().minStrength();
    }

    /** Empty when the password is acceptable; else which check refused it. */
    public Optional<Refusal> screen(String password) {
        if (breached.contains(password)) {
            return Optional.of(new Refusal("password-breached", new Object[0]));
        }
        int score = zxcvbn.measure(measured(password)).getScore();
        if (score < minStrength) {
            return Optional.of(new Refusal("password-too-weak", new Object[] { score, minStrength }));
        }
        return Optional.empty();
    }

    /**
     * zxcvbn's matching grows much faster than the length (a 256-character password took
     * 0.6-1.4 s here), and registration is public: only the first
     * {@value #MEASURED_CODE_POINTS} characters are measured (about 5 ms at worst).
     * Characters past them can only add strength, so the cut never lets a weak password
     * through; it may refuse a long one whose start alone is guessable.
     */
    static String measured(String password) {
        if (password.codePointCount(0, password.length()) <= MEASURED_CODE_POINTS) {
            return password;
        }
        return password.substring(0, password.offsetByCodePoints(0, MEASURED_CODE_POINTS));
    }

    public boolean breached(String password) {
        return breached.contains(password);
    }

}
