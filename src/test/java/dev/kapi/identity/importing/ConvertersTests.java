package dev.kapi.identity.importing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The converters' mapping of fields Keycloak and Auth0 name differently. */
class ConvertersTests {

    @Test
    void keycloakWhenArgon2CredentialRolesAndFederatedIdentitiesThenPhcStringUserTypeAndExternalIdentities() {
        String realm = """
                {"realm": "acme", "users": [{"username": "jane", "email": "jane@example.com", "emailVerified": true,
                  "firstName": "Jane", "lastName": "Doe", "realmRoles": ["offline_access", "editor"],
                  "credentials": [{"type": "password",
                    "secretData": "{\\"value\\":\\"hmmTNyJlwbb6HAvFoHFWF+u03fdb0F2qA+39oPlcAqo=\\",\\"salt\\":\\"QUFBQUFBQUFBQUFBQUFBQQ==\\",\\"additionalParameters\\":{}}",
                    "credentialData": "{\\"hashIterations\\":3,\\"algorithm\\":\\"argon2\\",\\"additionalParameters\\":{\\"hashLength\\":[\\"32\\"],\\"memory\\":[\\"4096\\"],\\"type\\":[\\"id\\"],\\"version\\":[\\"1.3\\"],\\"parallelism\\":[\\"1\\"]}}"}],
                  "federatedIdentities": [{"identityProvider": "github", "userId": "583231", "userName": "octocat"}]},
                  {"username": "no-address"}]}
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int users = new KeycloakExport(Map.of(), null)
            .convert(new ByteArrayInputStream(realm.getBytes(StandardCharsets.UTF_8)), print(out), print(err));

        assertThat(users).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
            .isEqualTo("{\"email\":\"jane@example.com\",\"email_verified\":true,\"name\":\"Jane\",\"surname\":\"Doe\","
                    + "\"username\":\"jane\",\"user_type\":\"editor\",\"password_hash_algorithm\":\"argon2\","
                    + "\"password_hash\":\"$argon2id$v=19$m=4096,t=3,p=1$QUFBQUFBQUFBQUFBQUFBQQ$"
                    + "hmmTNyJlwbb6HAvFoHFWF+u03fdb0F2qA+39oPlcAqo\",\"external_identities\":"
                    + "[{\"alias\":\"github\",\"subject\":\"583231\"}]}");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("left out (no email").contains("no-address");
    }

    @Test
    void auth0WhenHashExportLinesThenBcryptAndSocialIdentities() {
        String users = """
                {"_id":{"$oid":"60425da93519d90068f82966"},"email":"ali@example.com","email_verified":true,"passwordHash":"$2b$10$C9hE6cDWcDHpz.MQ8V3pSeiJp6OG7Kz6Gf7E0ZJQm4jD4eN8r2pgi","password_set_date":{"$date":"2021-03-05T16:41:13.000Z"},"tenant":"acme","connection":"Username-Password-Authentication","created_at":{"$date":"2021-03-05T16:41:13.000Z"}}
                {"user_id":"google-oauth2|1099","email":"veli@example.com","email_verified":true,"given_name":"Veli","family_name":"Kaya","created_at":"2020-01-02T03:04:05.000Z","identities":[{"provider":"google-oauth2","user_id":"1099","connection":"google-oauth2","isSocial":true}]}
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int converted = new Auth0Export().convert(new ByteArrayInputStream(users.getBytes(StandardCharsets.UTF_8)),
                print(out), print(new ByteArrayOutputStream()));

        assertThat(converted).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "{\"email\":\"ali@example.com\",\"email_verified\":true,\"created_at\":\"2021-03-05T16:41:13.000Z\","
                        + "\"password_hash_algorithm\":\"bcrypt\","
                        + "\"password_hash\":\"$2b$10$C9hE6cDWcDHpz.MQ8V3pSeiJp6OG7Kz6Gf7E0ZJQm4jD4eN8r2pgi\"}",
                "{\"email\":\"veli@example.com\",\"email_verified\":true,\"name\":\"Veli\",\"surname\":\"Kaya\","
                        + "\"created_at\":\"2020-01-02T03:04:05.000Z\",\"external_identities\":"
                        + "[{\"alias\":\"google-oauth2\",\"subject\":\"1099\"}]}");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

}
