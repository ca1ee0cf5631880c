package dev.kapi.identity.account;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.shared.ApiException;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The account table and its user types. */
@Repository
public class Accounts {

    /**
     * The advisory lock key under which changes that could remove the last admin take
     * turns.
     */
    private static final long LAST_ADMIN_LOCK = 0x4b617069_41646d6eL;

    private static final String SELECT = """
            SELECT a.*, t.name AS role, COALESCE(lt.failures, 0) AS failed_login_attempts
            FROM accounts a
            JOIN user_types t ON t.id = a.user_type_id
            LEFT JOIN login_throttle lt ON lt.key = 'account:' || a.id
            """;

    private final JdbcClient jdbc;

    private final AccountCache cache;

    private final SecureRandom random = new SecureRandom();

    Accounts(JdbcClient jdbc, AccountCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** The fields a new account starts with; the rest take their defaults. */
    record NewAccount(String username, String email, String fullName, String name, String surname, String role,
            String passwordHash, String language, String phoneNumber, String avatar) {

        static NewAccount selfRegistered(String email, String fullName, String role, String hash, String language) {
            return new NewAccount(null, email, fullName, null, null, role, hash, language, null, null);
        }
    }

    /** Every field an administrator may set, as it is to be stored. */
    record AdminFields(String username, String email, boolean emailVerified, String fullName, String name,
            String surname, int userTypeId, boolean active, String phoneNumber, String avatar) {
    }

    Account create(NewAccount account, Instant now) {
        long id = jdbc.sql("""
                INSERT INTO accounts (public_id, username, email, full_name, name, surname, user_type_id,
                                      password_hash, language, phone_number, avatar, created_at, updated_at)
                VALUES (:publicId, :username, :email, :fullName, :name, :surname,
                        (SELECT id FROM user_types WHERE name = :role), :hash, :language, :phone, :avatar, :now, :now)
                RETURNING id
                """)
            .param("publicId", HexFormat.of().formatHex(nextId()))
            .param("username", account.username())
            .param("email", account.email())
            .param("fullName", account.fullName())
            .param("name", account.name())
            .param("surname", account.surname())
            .param("role", account.role())
            .param("hash", account.passwordHash())
            .param("language", account.language())
            .param("phone", account.phoneNumber())
            .param("avatar", account.avatar())
            .param("now", utc(now))
            .query(Long.class)
            .single();
        return byId(id).orElseThrow();
    }

    public Optional<Account> byId(long id) {
        return jdbc.sql(SELECT + " WHERE a.id = :id").param("id", id).query(Accounts::map).optional();
    }

    /** The account, its row locked until the transaction ends. */
    Optional<Account> lockById(long id) {
        jdbc.sql("SELECT id FROM accounts WHERE id = :id FOR UPDATE").param("id", id).query(Long.class).optional();
        return byId(id);
    }

    /**
     * Refuses (409 {@code last-admin}) to let the account stop being an active admin when
     * it is the last one. Call inside the transaction that makes the change: a
     * transaction-scoped advisory lock makes concurrent removals of two admins take
     * turns, so they cannot both see the other one still there.
     */
    void guardLastAdmin(long id) {
        jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
            .param("key", LAST_ADMIN_LOCK)
            .query(Integer.class)
            .single();
        boolean lastOne = jdbc.sql("""
                SELECT a.is_active AND t.name = 'admin' AND NOT EXISTS (
                    SELECT 1 FROM accounts o JOIN user_types ot ON ot.id = o.user_type_id
                    WHERE ot.name = 'admin' AND o.is_active AND o.id <> a.id)
                FROM accounts a JOIN user_types t ON t.id = a.user_type_id WHERE a.id = :id
                """).param("id", id).query(Boolean.class).optional().orElse(false);
        if (lastOne) {
            throw ApiException.conflict("last-admin");
        }
    }

    /**
     * The account as last written, from the in-process cache when it has it; for reads
     * that do not write.
     */
    public Optional<Account> byIdCached(long id) {
        return cache.get(id, this::byId);
    }

    public Optional<Account> byPublicId(String publicId) {
        return jdbc.sql(SELECT + " WHERE a.public_id = :publicId")
            .param("publicId", publicId)
            .query(Accounts::map)
            .optional();
    }

    /** By username, else by email; both ignoring case. */
    Optional<Account> byName(String name) {
        return jdbc
            .sql(SELECT + " WHERE lower(a.username) = lower(:name) OR a.email = lower(:name)"
                    + " ORDER BY lower(a.username) = lower(:name) DESC NULLS LAST LIMIT 1")
            .param("name", name)
            .query(Accounts::map)
            .optional();
    }

    /** The account whose email or username is {@code login}, ignoring case. */
    public Optional<Account> byLogin(String login) {
        return jdbc.sql(SELECT + " WHERE a.email = lower(:login) OR lower(a.username) = lower(:login) LIMIT 1")
            .param("login", login)
            .query(Accounts::map)
            .optional();
    }

    public boolean emailTakenByOther(String email, long accountId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM accounts WHERE email = :email AND id <> :id)")
            .param("email", email)
            .param("id", accountId)
            .query(Boolean.class)
            .single();
    }

    boolean usernameTakenByOther(String username, long accountId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(username) = lower(:username) AND id <> :id)")
            .param("username", username)
            .param("id", accountId)
            .query(Boolean.class)
            .single();
    }

    List<Account> page(int skip, int limit) {
        return jdbc.sql(SELECT + " ORDER BY a.id LIMIT :limit OFFSET :skip")
            .param("limit", limit)
            .param("skip", skip)
            .query(Accounts::map)
            .list();
    }

    /**
     * A keyset page in id order. {@code search} is folded like the stored,
     * trigram-indexed {@code search_text} it is matched against.
     */
    List<Account> list(Integer userTypeId, String search, long afterId, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE (CAST(:type AS integer) IS NULL OR a.user_type_id = :type)
                   AND (CAST(:search AS text) IS NULL OR a.search_text LIKE '%' || kapi_fold(:search) || '%')
                   AND a.id > :after
                 ORDER BY a.id
                 LIMIT :limit
                """)
            .param("type", userTypeId)
            .param("search", search == null ? null : escapeLike(search))
            .param("after", afterId)
            .param("limit", limit)
            .query(Accounts::map)
            .list();
    }

    long count() {
        return jdbc.sql("SELECT count(*) FROM accounts").query(Long.class).single();
    }

    List<AccountAdministration.UserType> userTypes() {
        return jdbc.sql("SELECT id, name FROM user_types ORDER BY id")
            .query((rs, row) -> new AccountAdministration.UserType(rs.getInt("id"), rs.getString("name")))
            .list();
    }

    public void updateProfile(long id, String fullName, String email, boolean emailVerified, String status,
            Instant now) {
        jdbc.sql("""
                UPDATE accounts SET full_name = :fullName, email = :email, email_verified = :verified,
                                    status = :status, updated_at = :now
                WHERE id = :id
                """)
            .param("fullName", fullName)
            .param("email", email)
            .param("verified", emailVerified)
            .param("status", status)
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    void updateByAdmin(long id, AdminFields fields, Instant now) {
        jdbc.sql("""
                UPDATE accounts SET username = :username, email = :email, email_verified = :verified,
                    full_name = :fullName, name = :name, surname = :surname, user_type_id = :type,
                    is_active = :active, phone_number = :phone, avatar = :avatar, updated_at = :now
                WHERE id = :id
                """)
            .param("username", fields.username())
            .param("email", fields.email())
            .param("verified", fields.emailVerified())
            .param("fullName", fields.fullName())
            .param("name", fields.name())
            .param("surname", fields.surname())
            .param("type", fields.userTypeId())
            .param("active", fields.active())
            .param("phone", fields.phoneNumber())
            .param("avatar", fields.avatar())
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    public void changePassword(long id, String hash, Instant now) {
        jdbc.sql("UPDATE accounts SET password_hash = :hash, password_changed_at = :now, updated_at = :now, "
                + "password_breached = false WHERE id = :id")
            .param("hash", hash)
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    /** The account's password turned out to be known from a breach (seen at sign-in). */
    public void markPasswordBreached(long id) {
        jdbc.sql("UPDATE accounts SET password_breached = true WHERE id = :id").param("id", id).update();
        cache.changed(id);
    }

    /**
     * Re-hashes a password with the current algorithm or cost; the password itself is
     * unchanged.
     */
    public void rehash(long id, String hash) {
        jdbc.sql("UPDATE accounts SET password_hash = :hash WHERE id = :id")
            .param("hash", hash)
            .param("id", id)
            .update();
    }

    void freeze(long id, boolean frozen, Instant now) {
        jdbc.sql("UPDATE accounts SET frozen = :frozen, updated_at = :now WHERE id = :id")
            .param("frozen", frozen)
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    /**
     * The account has no password until its owner sets one through a reset; every
     * password try fails.
     */
    public void voidPassword(long id, Instant now) {
        jdbc.sql("UPDATE accounts SET password_hash = NULL, updated_at = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    public void markEmailVerified(long id, Instant now) {
        jdbc.sql("UPDATE accounts SET email_verified = true, updated_at = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    public void recordLogin(long id, Instant now) {
        jdbc.sql("UPDATE accounts SET last_login = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
        cache.changed(id);
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM login_throttle WHERE key = 'account:' || :id").param("id", id).update();
        jdbc.sql("DELETE FROM accounts WHERE id = :id").param("id", id).update();
        cache.changed(id);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private byte[] nextId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("public_id"), rs.getString("username"), rs.getString("email"),
                rs.getString("full_name"), rs.getString("name"), rs.getString("surname"), rs.getString("status"),
                rs.getInt("user_type_id"), rs.getString("role"), rs.getBoolean("is_active"), rs.getBoolean("frozen"),
                rs.getBoolean("email_verified"), rs.getString("phone_number"), rs.getString("avatar"),
                rs.getString("password_hash"), instant(rs, "last_login"), instant(rs, "password_changed_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("failed_login_attempts"),
                rs.getString("language"), rs.getBoolean("password_breached"));
    }

}
