package dev.kapi.shared;

import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Validator;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON object that arrived as a map (a body whose shape depends on a path
 * variable, like seed 000's generic admin) into a request record, with the same rules as
 * a {@code @Valid @RequestBody}: an unknown field is refused by name, and Bean Validation
 * errors are answered like any other.
 */
@Component
public final class RequestBodies {

    private final JsonMapper json;

    private final Validator validator;

    RequestBodies(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T read(Map<String, ?> body, Class<T> type) {
        T value = json.convertValue(body == null ? Map.of() : body, type);
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(value, type.getSimpleName());
        validator.validate(value, errors);
        if (errors.hasErrors()) {
            throw new InvalidBody(errors);
        }
        return value;
    }

    /** The body was read but broke validation rules. */
    public static final class InvalidBody extends RuntimeException {

        private final transient BindingResult errors;

        InvalidBody(BindingResult errors) {
            super("invalid body", null, false, false);
            this.errors = errors;
        }

        public BindingResult getBindingResult() {
            return errors;
        }

    }

}
