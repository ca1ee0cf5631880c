package dev.kapi.identity.importing;

import java.time.Instant;
import java.util.List;

/**
 * One user of an import file, checked: its address lower-cased, its password hash in the
 * form {@code PasswordHashing} stores (or null), the names as they will be stored.
 */
record ImportLine(int number, String email, Boolean emailVerified, String name, String surname, String fullName,
        String username, String userType, Instant createdAt, String passwordHash, List<ExternalIdentity> identities) {

    /** An account of another provider: its alias there and its subject. */
    record ExternalIdentity(String alias, String subject) {
    }

    /**
     * What is wrong with a line: its number, the field to blame, a code and a sentence.
     */
    record Problem(int line, String field, String code, String message) {
    }

}
