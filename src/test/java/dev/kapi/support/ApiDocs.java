package dev.kapi.support;

import java.util.List;

import org.springframework.test.web.servlet.client.RestTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's {@code /v3/api-docs}, read once, with the fixed values (enums) of its
 * schemas' properties and its parameters: what the typed client's unions are made from.
 */
public final class ApiDocs {

    private final JsonNode docs;

    private ApiDocs(JsonNode docs) {
        this.docs = docs;
    }

    public static ApiDocs of(RestTestClient client) {
        String body = client.get()
            .uri("/v3/api-docs")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        return new ApiDocs(JsonMapper.builder().build().readTree(body));
    }

    /**
     * The values of a schema's property, without the null a nullable answer field adds;
     * fails when the property has no enum.
     */
    public List<String> values(String schema, String property) {
        return values(docs.path("components").path("schemas").path(schema).path("properties").path(property),
                schema + "." + property);
    }

    /**
     * The values of the items of a schema's array property; fails when they have no enum.
     */
    public List<String> itemValues(String schema, String property) {
        return values(
                docs.path("components").path("schemas").path(schema).path("properties").path(property).path("items"),
                schema + "." + property + "[]");
    }

    /** The values of a parameter of {@code GET path}; fails when it has no enum. */
    public List<String> parameterValues(String path, String name) {
        for (JsonNode parameter : docs.path("paths").path(path).path("get").path("parameters")) {
            if (parameter.path("name").asString().equals(name)) {
                return values(parameter.path("schema"), "GET " + path + " " + name);
            }
        }
        throw new AssertionError("GET " + path + " has no parameter " + name);
    }

    private static List<String> values(JsonNode schema, String what) {
        if (!schema.path("enum").isArray()) {
            throw new AssertionError(what + " lists no values: " + schema);
        }
        return schema.path("enum").valueStream().filter(value -> !value.isNull()).map(JsonNode::asString).toList();
    }

}
