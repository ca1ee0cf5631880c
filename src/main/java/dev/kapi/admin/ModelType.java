package dev.kapi.admin;

import java.util.Arrays;

import dev.kapi.shared.ApiException;

/** Seed 000's model types, by the number its routes use. */
enum ModelType {

    USER(0, "user"), PACKAGE(1, "package"), PACKAGE_CONTENT(2, "package_content"), U_PACKAGE(3, "u_package"),
    U_SESSION(4, "u_session");

    private final int number;

    private final String label;

    ModelType(int number, String label) {
        this.number = number;
        this.label = label;
    }

    static ModelType of(int number) {
        return Arrays.stream(values())
            .filter(type -> type.number == number)
            .findFirst()
            .orElseThrow(() -> ApiException.invalidField("m_type", "model-type-unknown"));
    }

    /**
     * The name in answers: {@code user}, {@code package}, ... as in
     * {@code "message": "user_created"}.
     */
    String label() {
        return label;
    }

}
