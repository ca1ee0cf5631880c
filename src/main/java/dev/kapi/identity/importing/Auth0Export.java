package dev.kapi.identity.importing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.kapi.identity.importing.KeycloakExport.putIfPresent;
import static dev.kapi.identity.importing.KeycloakExport.text;

/**
 * {@code kapi.jar convert-auth0 users.json}: Auth0's users (a JSON array, or the NDJSON
 * its export job and its password-hash export write) as import lines. A user keeps its
 * address, names, creation time, bcrypt password hash ({@code passwordHash}, as Auth0's
 * hash export holds it) and its social identities (an identity whose provider is not
 * {@code auth0}: alias the provider, subject its user id).
 */
public final class Auth0Export {

    private final JsonMapper json = JsonMapper.builder().build();

    /** Writes one line a user to {@code out}; answers how many. */
    public int convert(InputStream in, PrintStream out, PrintStream err) {
        int written = 0;
        for (JsonNode user : users(in)) {
            String email = text(user, "email");
            if (email == null) {
                err.println("left out (no email): " + text(user, "user_id"));
                continue;
            }
            ObjectNode line = json.createObjectNode();
            line.put("email", email);
            line.put("email_verified", user.path("email_verified").asBoolean(false));
            putIfPresent(line, "name", text(user, "given_name"));
            putIfPresent(line, "surname", text(user, "family_name"));
            if (text(user, "given_name") == null && text(user, "name") != null && !email.equals(text(user, "name"))) {
                line.put("full_name", text(user, "name"));
            }
            putIfPresent(line, "username", text(user, "username"));
            putIfPresent(line, "created_at", createdAt(user));
            String hash = text(user, "passwordHash") != null ? text(user, "passwordHash") : text(user, "password_hash");
            if (hash != null) {
                line.put("password_hash_algorithm", "bcrypt");
                line.put("password_hash", hash);
            }
            ArrayNode identities = json.createArrayNode();
            for (JsonNode identity : user.path("identities")) {
                String provider = text(identity, "provider");
                if (provider != null && !"auth0".equals(provider)) {
                    ObjectNode external = identities.addObject();
                    external.put("alias", provider);
                    external.put("subject", identity.path("user_id").asString());
                }
            }
            if (!identities.isEmpty()) {
                line.set("external_identities", identities);
            }
            out.println(json.writeValueAsString(line));
            written++;
        }
        return written;
    }

    private List<JsonNode> users(InputStream in) {
        List<JsonNode> users = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String text = reader.lines().collect(Collectors.joining("\n"));
            if (text.stripLeading().startsWith("[")) {
                json.readTree(text).forEach(users::add);
            }
            else {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        users.add(json.readTree(line));
                    }
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return users;
    }

    private static String createdAt(JsonNode user) {
        JsonNode created = user.get("created_at");
        if (created == null) {
            return null;
        }
        // The hash export writes {"$date": "..."}; the user export a plain string.
        return created.isObject() ? text(created, "$date") : text(user, "created_at");
    }

}
