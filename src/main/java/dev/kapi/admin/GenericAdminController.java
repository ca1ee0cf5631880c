package dev.kapi.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.URL;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountRules;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 000's generic admin: one set of routes for every model type (0 user, 1 package, 2
 * package_content, 3 u_package, 4 u_session), answering {@code {"status": "success",
 * "message": "<type>_<done>", "<type>": {...}}} with readable, nested models. Bodies are
 * read per type, so only that type's fields are accepted.
 */
@RestController
@RequestMapping("/api/v1/admin")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class GenericAdminController {

    private final AdminModels models;

    private final RequestBodies bodies;

    GenericAdminController(AdminModels models, RequestBodies bodies) {
        this.models = models;
        this.bodies = bodies;
    }

    /** The seed's update body: the changes sit under {@code new_model}. */
    record Update(@JsonProperty("new_model") Map<String, Object> newModel) {
    }

    @GetMapping("/{m_type}/{m_id}")
    @Operation(
            summary = "One model by id: a user with its packages, contents and sessions; a package with its contents")
    Map<String, Object> byId(@PathVariable("m_type") int type, @PathVariable("m_id") String id) {
        ModelType model = ModelType.of(type);
        return success(model, null, models.byId(model, id));
    }

    @GetMapping("/{m_type}/name/{name}")
    @Operation(summary = "One model by name (username or email for users)")
    Map<String, Object> byName(@PathVariable("m_type") int type, @PathVariable String name) {
        ModelType model = ModelType.of(type);
        return success(model, null, models.byName(model, name));
    }

    @PostMapping("/register/{m_type}")
    @Operation(summary = "Create a model; answers it with its id")
    ResponseEntity<Map<String, Object>> register(@AuthenticationPrincipal CurrentAccount admin,
            @PathVariable("m_type") int type, @RequestBody Map<String, Object> body) {
        ModelType model = ModelType.of(type);
        Object created = switch (model) {
            case USER -> models.registerUser(admin, bodies.read(body, ModelBodies.RegisterUser.class));
            case PACKAGE -> models.registerPackage(bodies.read(body, ModelBodies.RegisterPackage.class));
            case PACKAGE_CONTENT -> models.registerContent(bodies.read(body, ModelBodies.RegisterContent.class));
            case U_PACKAGE -> models.registerUserPackage(bodies.read(body, ModelBodies.RegisterUserPackage.class));
            case U_SESSION -> throw ApiException.badRequest("sessions-come-from-login");
        };
        return ResponseEntity.status(HttpStatus.CREATED).body(success(model, "created", created));
    }

    @PutMapping("/update/{m_type}/{m_id}")
    @Operation(summary = "Change a model: {\"new_model\": {...}} with only that type's fields")
    Map<String, Object> update(@AuthenticationPrincipal CurrentAccount admin, @PathVariable("m_type") int type,
            @PathVariable("m_id") String id, @RequestBody Update update) {
        ModelType model = ModelType.of(type);
        if (update.newModel() == null || update.newModel().isEmpty()) {
            throw ApiException.invalidField("new_model", "required");
        }
        Object updated = switch (model) {
            case USER -> models.updateUser(admin, id, bodies.read(update.newModel(), ModelBodies.UpdateUser.class));
            case PACKAGE, PACKAGE_CONTENT, U_PACKAGE -> models.updatePlan(model, id, update.newModel());
            case U_SESSION -> throw ApiException.badRequest("sessions-cannot-change");
        };
        return success(model, "updated", updated);
    }

    @DeleteMapping("/delete/{m_type}/{m_id}")
    @Operation(summary = "Delete a model; deleting a user ends its sessions, deleting a u_session ends it")
    Map<String, Object> delete(@AuthenticationPrincipal CurrentAccount admin, @PathVariable("m_type") int type,
            @PathVariable("m_id") String id) {
        ModelType model = ModelType.of(type);
        models.delete(admin, model, id);
        return Map.of("status", "success", "message", model.label() + "_deleted");
    }

    @GetMapping("/report")
    @Operation(
            summary = "Everything linked to users, by date range, username and package; JSON or CSV (Accept: text/csv)")
    ResponseEntity<?> report(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) @Size(max = 100) String username,
            @RequestParam(name = "package", required = false) @Size(max = 100) String packageName,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(10000) int limit,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        List<AdminModels.UserModel> users = models.report(from, to, username, packageName, limit);
        if (accept != null && accept.contains("text/csv")) {
            return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"kapi-report.csv\"")
                .body(AdminModels.csv(users));
        }
        return ResponseEntity.ok(Map.of("status", "success", "count", users.size(), "users", users));
    }

    private static Map<String, Object> success(ModelType model, String done, Object value) {
        return done == null ? Map.of("status", "success", model.label(), value)
                : Map.of("status", "success", "message", model.label() + "_" + done, model.label(), value);
    }

}
