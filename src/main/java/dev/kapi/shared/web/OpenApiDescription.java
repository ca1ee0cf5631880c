package dev.kapi.shared.web;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.kapi.shared.RouteRules;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * Makes {@code /v3/api-docs} good enough to generate typed clients from
 * (client/typescript), without annotating every controller:
 * <ul>
 * <li>every schema has its own name: records of the same simple name (two
 * {@code SessionList}s) would otherwise be merged into one, silently giving one of the
 * routes the other's shape;</li>
 * <li>every operation lists the problems it may answer ({@code application/problem+json},
 * schema {@code Problem}), and public routes (each module's {@link RouteRules}) need no
 * bearer token;</li>
 * <li>JSON answers are {@code application/json} rather than {@code *}{@code /*};</li>
 * <li>a string whose pattern is a list of words ({@code buy|sell},
 * {@code phone-invalid|duplicate-in-file}) is an enum of them.</li>
 * </ul>
 * It names no module's values or paths: each module owns its vocabulary, where it
 * declares it. Answers are typed with the module's enums ({@code @JsonValue} on the wire
 * name); a string no enum holds says {@code @Schema(pattern = "a|b")} on its record
 * component or {@code @Parameter(schema = @Schema(implementation = AnEnum.class))} on its
 * parameter; creating routes say {@code @ResponseStatus(CREATED)}; what only a module's
 * beans know (trading's strategy names) comes from its own {@link OpenApiCustomizer},
 * ordered before this one, which marks the answers' nullable fields.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDescription {

    static final String PROBLEM = "Problem";

    private static final String PROBLEM_JSON = "application/problem+json";

    private static final Pattern WORDS = Pattern.compile("\\^?\\(?([a-z0-9_-]+(\\|[a-z0-9_-]+)+)\\)?\\$?");

    @Bean
    DistinctSchemaNames distinctSchemaNames() {
        return new DistinctSchemaNames(ambiguousSimpleNames());
    }

    @Bean
    OpenApiCustomizer problemsAndEnums(List<RouteRules> rules, DistinctSchemaNames names) {
        List<RouteRules.Route> publicRoutes = rules.stream().flatMap(rule -> rule.publicRoutes().stream()).toList();
        return openApi -> {
            describe(openApi, publicRoutes);
            answersAsWritten(openApi, names.shapes);
        };
    }

    /**
     * The schemas only answers use say what Jackson writes: every property is there
     * (required), and those that may be null say so, so that generated types neither make
     * everything optional nor hide nulls.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void answersAsWritten(OpenAPI openApi, Map<String, RecordShape> shapes) {
        if (openApi.getPaths() == null || openApi.getComponents() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Set<String> inAnswers = new TreeSet<>();
        Set<String> inRequests = new TreeSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody()
                    .getContent()
                    .values()
                    .forEach(media -> collectRefs(media.getSchema(), schemas, inRequests));
            }
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> collectRefs(parameter.getSchema(), schemas, inRequests));
            }
            if (operation.getResponses() != null) {
                operation.getResponses()
                    .values()
                    .stream()
                    .filter(response -> response.getContent() != null)
                    .forEach(response -> response.getContent()
                        .values()
                        .forEach(media -> collectRefs(media.getSchema(), schemas, inAnswers)));
            }
        }));
        inAnswers.removeAll(inRequests);
        for (String name : inAnswers) {
            Schema schema = schemas.get(name);
            RecordShape shape = shapes.get(name);
            if (schema == null || shape == null || schema.getProperties() == null) {
                continue;
            }
            Map<String, Schema> properties = schema.getProperties();
            List<String> required = new ArrayList<>();
            properties.forEach((property, propertySchema) -> {
                if (shape.present().contains(property)) {
                    required.add(property);
                }
                if (!shape.nonNull().contains(property)) {
                    properties.put(property, nullable(propertySchema));
                }
            });
            schema.setRequired(required);
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema nullable(Schema schema) {
        if (schema.get$ref() != null) {
            return new Schema<>()
                .anyOf(List.of(schema, new Schema<>().types(new java.util.LinkedHashSet<>(List.of("null")))));
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            Set<String> types = new java.util.LinkedHashSet<>(schema.getTypes());
            types.add("null");
            schema.setTypes(types);
            if (schema.getEnum() != null && !schema.getEnum().contains(null)) {
                List values = new ArrayList<>(schema.getEnum());
                values.add(null);
                schema.setEnum(values);
            }
        }
        return schema;
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void collectRefs(Schema schema, Map<String, Schema> schemas, Set<String> into) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (into.add(name) && schemas.get(name) != null) {
                collectRefs(schemas.get(name), schemas, into);
            }
            return;
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values()
                .forEach(property -> collectRefs(property, schemas, into));
        }
        collectRefs(schema.getItems(), schemas, into);
        if (schema.getAdditionalProperties() instanceof Schema additional) {
            collectRefs(additional, schemas, into);
        }
        for (List<Schema> composed : java.util.Arrays.asList(schema.getOneOf(), schema.getAnyOf(), schema.getAllOf())) {
            if (composed != null) {
                composed.forEach(part -> collectRefs(part, schemas, into));
            }
        }
    }

    private static void describe(OpenAPI openApi, List<RouteRules.Route> publicRoutes) {
        @SuppressWarnings("rawtypes")
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        schemas.put("FieldProblem",
                new ObjectSchema().description("One bad input, by its JSON name")
                    .addProperty("field", new StringSchema())
                    .addProperty("message", new StringSchema())
                    .required(List.of("field", "message")));
        schemas.put(PROBLEM,
                new ObjectSchema().description("RFC 9457 problem; also carries seed 004's success: false and message")
                    .addProperty("type",
                            new StringSchema().format("uri")
                                .example("urn:kapi:problem:validation")
                                .description("stable: urn:kapi:problem:<code>"))
                    .addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema())
                    .addProperty("detail", new StringSchema())
                    .addProperty("instance", new StringSchema())
                    .addProperty("success", new BooleanSchema()._enum(List.of(false)))
                    .addProperty("message", new StringSchema().description("the detail, in the requested language"))
                    .addProperty("errors",
                            new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldProblem")))
                    .required(List.of("type", "title", "status", "success", "message")));
        schemas.values().forEach(OpenApiDescription::enumerate);

        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            boolean isPublic = publicRoutes.stream().anyMatch(route -> matches(route, method, path));
            if (isPublic) {
                operation.setSecurity(List.of());
            }
            formBody(operation);
            if (operation.getParameters() != null) {
                for (Parameter parameter : operation.getParameters()) {
                    if (parameter.getSchema() != null) {
                        enumerateByPattern(parameter.getSchema());
                    }
                }
            }
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            responses.values().forEach(OpenApiDescription::jsonInsteadOfAnything);
            boolean writes = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
            problem(responses, "400", "Bad request: validation (each bad field named in errors), malformed-json, "
                    + "malformed-query, invalid-cursor or the route's own codes");
            if (!isPublic) {
                problem(responses, "401", "No valid bearer token (unauthorized), or the session ended");
                problem(responses, "403", "Not allowed: forbidden (e.g. an admin route), account-frozen on a write");
            }
            if (path.contains("{")) {
                problem(responses, "404", "Not found (or not the caller's: another user's id answers 404 too)");
            }
            if (writes) {
                problem(responses, "409", "Conflict with the current state (the route's codes in docs/API.md)");
            }
            if (operation.getRequestBody() != null) {
                problem(responses, "413", "payload-too-large: the body is over its cap");
            }
            problem(responses, "429", "rate-limited: too many requests this minute; see Retry-After");
            problem(responses, "500", "internal: an unexpected failure, logged with the request id");
            problem(responses, "503", "busy: the server is saturated (password hashing, a lock); see Retry-After");
            operation.setResponses(responses);
        }));
    }

    /**
     * A route that also takes its body as form fields ({@code @ModelAttribute}, e.g.
     * {@code POST /auth/login}) shows up in springdoc as a required query parameter
     * holding the whole object: it is the form body.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void formBody(Operation operation) {
        if (operation.getParameters() == null || operation.getRequestBody() == null
                || operation.getRequestBody().getContent() == null) {
            return;
        }
        for (Iterator<Parameter> it = operation.getParameters().iterator(); it.hasNext();) {
            Parameter parameter = it.next();
            Schema schema = parameter.getSchema();
            if ("query".equals(parameter.getIn()) && schema != null && schema.get$ref() != null) {
                it.remove();
                operation.getRequestBody()
                    .getContent()
                    .addMediaType("application/x-www-form-urlencoded",
                            new MediaType().schema(new Schema<>().$ref(schema.get$ref())));
            }
        }
        if (operation.getParameters().isEmpty()) {
            operation.setParameters(null);
        }
    }

    private static boolean matches(RouteRules.Route route, PathItem.HttpMethod method, String path) {
        if (route.method() != null && !route.method().equals(HttpMethod.valueOf(method.name()))) {
            return false;
        }
        PathPattern pattern = PathPatternParser.defaultInstance.parse(route.pattern());
        // the OpenAPI path's {variables} stand for any segment, so try it as written
        return pattern.matches(PathContainer.parsePath(path.replaceAll("\\{[^}]+}", "x")));
    }

    private static void problem(ApiResponses responses, String status, String description) {
        ApiResponse existing = responses.get(status);
        Content content = existing != null && existing.getContent() != null ? existing.getContent() : new Content();
        content.addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
        if (existing == null) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(content));
        }
        else {
            existing.setContent(content);
        }
    }

    /**
     * springdoc writes JSON answers as {@code *}{@code /*}; every such answer of Kapı is
     * JSON.
     */
    private static void jsonInsteadOfAnything(ApiResponse response) {
        Content content = response.getContent();
        if (content != null && content.containsKey("*/*")) {
            MediaType json = content.remove("*/*");
            content.putIfAbsent("application/json", json);
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void enumerate(Schema schema) {
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(OpenApiDescription::enumerateByPattern);
        }
    }

    /**
     * A string whose pattern is a list of words ({@code buy|sell}) is an enum of those
     * words.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void enumerateByPattern(Schema schema) {
        if (schema.getPattern() != null && schema.getEnum() == null) {
            var matcher = WORDS.matcher(schema.getPattern());
            if (matcher.matches()) {
                schema.setEnum(new ArrayList<>(List.of(matcher.group(1).split("\\|"))));
            }
        }
        if (schema instanceof ArraySchema array && array.getItems() != null) {
            enumerateByPattern(array.getItems());
        }
    }

    /**
     * A record's JSON properties that are always in an answer (Jackson writes nulls; only
     * a component marked {@code @JsonInclude(NON_NULL)} may be absent) and those that are
     * never null (primitives, lists, maps).
     */
    record RecordShape(Set<String> present, Set<String> nonNull) {

        static RecordShape of(Class<?> record) {
            Set<String> present = new TreeSet<>();
            Set<String> nonNull = new TreeSet<>();
            for (RecordComponent component : record.getRecordComponents()) {
                com.fasterxml.jackson.annotation.JsonProperty property = component
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                if (component.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class)) {
                    continue;
                }
                String name = property != null && !property.value().isEmpty() ? property.value() : component.getName();
                com.fasterxml.jackson.annotation.JsonInclude include = component
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonInclude.class);
                if (include == null || include.value() == com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) {
                    present.add(name);
                }
                Class<?> type = component.getType();
                if (type.isPrimitive() || type.isArray() || java.util.Collection.class.isAssignableFrom(type)
                        || Map.class.isAssignableFrom(type)) {
                    nonNull.add(name);
                }
            }
            return new RecordShape(present, nonNull);
        }
    }

    /** Simple names that more than one of Kapı's classes have. */
    private static Set<String> ambiguousSimpleNames() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return true;
            }
        };
        scanner.addIncludeFilter((reader, factory) -> true);
        Map<String, Integer> counts = new HashMap<>();
        for (BeanDefinition definition : scanner.findCandidateComponents("dev.kapi")) {
            counts.merge(simpleName(definition.getBeanClassName()), 1, Integer::sum);
        }
        Set<String> ambiguous = new TreeSet<>();
        counts.forEach((name, count) -> {
            if (count > 1) {
                ambiguous.add(name);
            }
        });
        return ambiguous;
    }

    private static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    /**
     * Names a schema of an ambiguous simple name after the class it is declared in
     * ({@code AdminUserSessionsController.SessionList} →
     * {@code AdminUserSessionsSessionList}), or, for a top-level class, after its module
     * ({@code dev.kapi.events.Category} → {@code EventsCategory}).
     */
    static final class DistinctSchemaNames implements ModelConverter {

        private final Set<String> ambiguous;

        /** What each record's JSON holds, by schema name (see {@link RecordShape}). */
        final Map<String, RecordShape> shapes = new java.util.concurrent.ConcurrentHashMap<>();

        private final Map<Class<?>, String> names = new java.util.concurrent.ConcurrentHashMap<>();

        DistinctSchemaNames(Set<String> ambiguous) {
            this.ambiguous = ambiguous;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            if (type.getName() == null || type.getName().isBlank()) {
                Class<?> raw = rawClass(type.getType());
                if (raw != null && ambiguous.contains(raw.getSimpleName()) && raw.getName().startsWith("dev.kapi.")
                        && !raw.isAnnotationPresent(io.swagger.v3.oas.annotations.media.Schema.class)) {
                    type.name(names.computeIfAbsent(raw, DistinctSchemaNames::distinctName));
                }
            }
            Schema resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
            Class<?> raw = rawClass(type.getType());
            if (resolved != null && raw != null && raw.isRecord() && raw.getName().startsWith("dev.kapi.")) {
                String name = resolved.getName() != null ? resolved.getName() : resolved.get$ref() != null
                        ? resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1) : null;
                if (name != null) {
                    shapes.putIfAbsent(name, RecordShape.of(raw));
                }
            }
            return resolved;
        }

        private static Class<?> rawClass(Type type) {
            if (type instanceof Class<?> cls) {
                return cls;
            }
            if (type instanceof com.fasterxml.jackson.databind.JavaType javaType) {
                return javaType.getRawClass();
            }
            return null;
        }

        private static String distinctName(Class<?> cls) {
            if (cls.getEnclosingClass() != null) {
                return cls.getEnclosingClass().getSimpleName().replaceFirst("Controller$", "") + cls.getSimpleName();
            }
            String module = cls.getPackageName().substring("dev.kapi.".length()).split("\\.")[0];
            return Character.toUpperCase(module.charAt(0)) + module.substring(1) + cls.getSimpleName();
        }

    }

}
