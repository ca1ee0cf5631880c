package dev.kapi.identity.importing;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kapi.jar convert-keycloak realm-export.json}: a Keycloak realm export (one
 * realm, or the list {@code kc.sh export --file} writes) as import lines. Users keep
 * their address, names, creation time, password credential (pbkdf2-sha256, pbkdf2-sha512,
 * argon2, bcrypt) and federated identities; the first realm role that names a Kapı user
 * type ({@code admin}, {@code editor}, {@code viewer}, {@code user}, or one mapped with
 * {@code --role REALM_ROLE=USER_TYPE}) becomes the user type. A user without an address
 * gets {@code username@DOMAIN} with {@code --missing-email-domain DOMAIN}, else is left
 * out; what cannot be carried over is said on the error stream.
 */
public final class KeycloakExport {

    private static final List<String> KAPI_TYPES = List.of("admin", "editor", "viewer", "user");

    private final JsonMapper json = JsonMapper.builder().build();

    private final Map<String, String> roles;

    private final String missingEmailDomain;

    public KeycloakExport(Map<String, String> roles, String missingEmailDomain) {
        this.roles = roles;
        this.missingEmailDomain = missingEmailDomain;
    }

    /** Writes one line a user to {@code out}; answers how many. */
    public int convert(InputStream in, PrintStream out, PrintStream err) {
        JsonNode root = json.readTree(in);
        List<JsonNode> realms = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(realms::add);
        }
        else {
            realms.add(root);
        }
        int written = 0;
        for (JsonNode realm : realms) {
            JsonNode users = realm.get("users");
            if (users == null) {
                continue;
            }
            for (JsonNode user : users) {
                ObjectNode line = line(user, err);
                if (line != null) {
                    out.println(json.writeValueAsString(line));
                    written++;
                }
            }
        }
        return written;
    }

    private ObjectNode line(JsonNode user, PrintStream err) {
        String username = text(user, "username");
        String email = text(user, "email");
        if (email == null) {
            if (missingEmailDomain == null || username == null) {
                err.println("left out (no email; see --missing-email-domain): " + username);
                return null;
            }
            email = username + "@" + missingEmailDomain;
        }
        ObjectNode line = json.createObjectNode();
        line.put("email", email);
        line.put("email_verified", user.path("emailVerified").asBoolean(false) && text(user, "email") != null);
        putIfPresent(line, "name", text(user, "firstName"));
        putIfPresent(line, "surname", text(user, "lastName"));
        putIfPresent(line, "username", username);
        if (user.path("createdTimestamp").isIntegralNumber()) {
            line.put("created_at", Instant.ofEpochMilli(user.get("createdTimestamp").longValue()).toString());
        }
        String type = userType(user.path("realmRoles"));
        putIfPresent(line, "user_type", type);
        if (!user.path("enabled").asBoolean(true)) {
            err.println("disabled in Keycloak, imported active: " + email);
        }
        for (JsonNode credential : user.path("credentials")) {
            if ("password".equals(text(credential, "type"))) {
                password(line, credential, email, err);
            }
        }
        ArrayNode identities = json.createArrayNode();
        for (JsonNode federated : user.path("federatedIdentities")) {
            ObjectNode identity = identities.addObject();
            identity.put("alias", text(federated, "identityProvider"));
            identity.put("subject", text(federated, "userId"));
        }
        if (!identities.isEmpty()) {
            line.set("external_identities", identities);
        }
        return line;
    }

    private String userType(JsonNode realmRoles) {
        for (JsonNode role : realmRoles) {
            String name = role.asString();
            if (roles.containsKey(name)) {
                return roles.get(name);
            }
        }
        for (String type : KAPI_TYPES) {
            for (JsonNode role : realmRoles) {
                if (type.equals(role.asString())) {
                    return type;
                }
            }
        }
        return null;
    }

    private void password(ObjectNode line, JsonNode credential, String email, PrintStream err) {
        JsonNode secret = json.readTree(credential.path("secretData").asString("{}"));
        JsonNode data = json.readTree(credential.path("credentialData").asString("{}"));
        String algorithm = data.path("algorithm").asString("");
        int iterations = data.path("hashIterations").asInt(0);
        String value = text(secret, "value");
        String salt = text(secret, "salt");
        switch (algorithm) {
            case "pbkdf2-sha256", "pbkdf2-sha512" -> {
                line.put("password_hash_algorithm", algorithm);
                ObjectNode hash = line.putObject("password_hash");
                hash.put("value", value);
                hash.put("salt", salt);
                hash.put("iterations", iterations);
            }
            case "argon2" -> {
                JsonNode parameters = data.path("additionalParameters");
                String version = first(parameters, "version", "1.3");
                line.put("password_hash_algorithm", "argon2");
                line.put("password_hash",
                        "$argon2" + first(parameters, "type", "id") + "$v=" + ("1.0".equals(version) ? 16 : 19) + "$m="
                                + first(parameters, "memory", "7168") + ",t=" + iterations + ",p="
                                + first(parameters, "parallelism", "1") + "$" + unpadded(salt) + "$" + unpadded(value));
            }
            case "bcrypt" -> {
                line.put("password_hash_algorithm", "bcrypt");
                line.put("password_hash", value);
            }
            default -> err.println("password left out (" + algorithm + " is not imported): " + email);
        }
    }

    private static String first(JsonNode parameters, String name, String otherwise) {
        JsonNode values = parameters.path(name);
        return values.isArray() && !values.isEmpty() ? values.get(0).asString() : otherwise;
    }

    private static String unpadded(String base64) {
        return Base64.getEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(base64));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asString().isBlank() ? null : value.asString();
    }

    static void putIfPresent(ObjectNode line, String field, String value) {
        if (value != null) {
            line.put(field, value);
        }
    }

}
