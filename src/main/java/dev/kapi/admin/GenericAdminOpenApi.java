package dev.kapi.admin;

import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * Seed 000's generic admin reads and writes a different model per {@code m_type}, so its
 * controller takes and gives maps; this names what they hold in the OpenAPI description
 * (the bodies per type, the {@code {"status", "message", "<type>": model}} answers), so
 * typed clients see them.
 */
@Configuration(proxyBeanMethods = false)
class GenericAdminOpenApi {

    private static final String PREFIX = "/api/v1/admin";

    @Bean
    OpenApiCustomizer genericAdminSchemas() {
        return GenericAdminOpenApi::describe;
    }

    @SuppressWarnings("rawtypes")
    private static void describe(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getComponents() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        for (Class<?> type : List.of(ModelBodies.RegisterUser.class, ModelBodies.UpdateUser.class,
                ModelBodies.RegisterPackage.class, ModelBodies.RegisterContent.class,
                ModelBodies.RegisterUserPackage.class, AdminModels.UserModel.class, AdminModels.PackageModel.class,
                AdminModels.ContentModel.class, AdminModels.UserPackageModel.class, AdminModels.SessionModel.class)) {
            ModelConverters.getInstance(true).readAll(new AnnotatedType(type)).forEach(schemas::putIfAbsent);
        }
        String newContent = schemas.keySet()
            .stream()
            .filter(name -> name.endsWith("NewContent"))
            .findFirst()
            .orElse("NewContent");
        schemas.put("PackageChanges", new ObjectSchema().description("m_type 1: only the fields to change")
            .addProperty("name", new StringSchema().maxLength(100))
            .addProperty("detail", new StringSchema().maxLength(2000))
            .addProperty("days",
                    new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(36500)))
            .addProperty("package_contents",
                    new ArraySchema().items(ref(newContent)).description("replaces all contents")));
        schemas.put("ContentChanges",
                new ObjectSchema().description("m_type 2: only the fields to change")
                    .addProperty("name", new StringSchema().maxLength(100))
                    .addProperty("content_value", new StringSchema().maxLength(100)));
        schemas.put("UserPackageChanges",
                new ObjectSchema().description("m_type 3: only the fields to change")
                    .addProperty("package_id", new IntegerSchema().format("int64"))
                    .addProperty("starts_at",
                            new StringSchema().description("ISO 8601 instant, or a date (its start in UTC)")));
        schemas.put("ModelRegistration",
                new Schema<>()
                    .description("The body for the path's m_type: 0 RegisterUser, "
                            + "1 RegisterPackage, 2 RegisterContent, 3 RegisterUserPackage")
                    .oneOf(List.of(ref("RegisterUser"), ref("RegisterPackage"), ref("RegisterContent"),
                            ref("RegisterUserPackage"))));
        schemas.put("ModelUpdate", new ObjectSchema()
            .addProperty("new_model", new Schema<>()
                .description("The changes for the path's m_type: 0 UpdateUser, 1 PackageChanges, 2 ContentChanges, "
                        + "3 UserPackageChanges")
                .oneOf(List.of(ref("UpdateUser"), ref("PackageChanges"), ref("ContentChanges"),
                        ref("UserPackageChanges"))))
            .required(List.of("new_model")));
        schemas.put("ModelAnswer", new ObjectSchema()
            .description("status, a message such as user_created or package_updated (none on reads), and the model "
                    + "under its type's name")
            .addProperty("status", new StringSchema()._enum(List.of("success")))
            .addProperty("message", new StringSchema())
            .addProperty("user", ref("UserModel"))
            .addProperty("package", ref("PackageModel"))
            .addProperty("package_content", ref("ContentModel"))
            .addProperty("u_package", ref("UserPackageModel"))
            .addProperty("u_session", ref("SessionModel"))
            .required(List.of("status")));
        schemas.put("ModelDeleted",
                new ObjectSchema().addProperty("status", new StringSchema()._enum(List.of("success")))
                    .addProperty("message", new StringSchema().example("user_deleted"))
                    .required(List.of("status", "message")));
        schemas.put("ModelReport",
                new ObjectSchema().addProperty("status", new StringSchema()._enum(List.of("success")))
                    .addProperty("count", new IntegerSchema())
                    .addProperty("users", new ArraySchema().items(ref("UserModel")))
                    .required(List.of("status", "count", "users")));

        openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith(PREFIX)) {
                return;
            }
            item.readOperationsMap().forEach((method, operation) -> {
                mType(operation);
                if (path.startsWith(PREFIX + "/register/")) {
                    operation.setRequestBody(new RequestBody().required(true).content(json(ref("ModelRegistration"))));
                    answer(operation, "201", "Created", json(ref("ModelAnswer")));
                }
                else if (path.startsWith(PREFIX + "/update/")) {
                    operation.setRequestBody(new RequestBody().required(true).content(json(ref("ModelUpdate"))));
                    answer(operation, "200", "Updated", json(ref("ModelAnswer")));
                }
                else if (path.startsWith(PREFIX + "/delete/")) {
                    answer(operation, "200", "Deleted", json(ref("ModelDeleted")));
                }
                else if (path.equals(PREFIX + "/report")) {
                    answer(operation, "200", "The report: JSON, or CSV with Accept: text/csv", json(ref("ModelReport"))
                        .addMediaType("text/csv", new MediaType().schema(new StringSchema())));
                }
                else if (method == PathItem.HttpMethod.GET) {
                    answer(operation, "200", "The model", json(ref("ModelAnswer")));
                }
            });
        });
    }

    private static void mType(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters()
            .stream()
            .filter(parameter -> "m_type".equals(parameter.getName()))
            .forEach(
                    parameter -> parameter.description("0 user, 1 package, 2 package_content, 3 u_package, 4 u_session")
                        .schema(new IntegerSchema()._enum(List.of(0, 1, 2, 3, 4))));
    }

    private static void answer(Operation operation, String status, String description, Content content) {
        operation.getResponses().remove("200");
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description).content(content));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType("application/json", new MediaType().schema(schema));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

}
