package dev.kapi.identity.audit;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTypeTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void ofWhenStoredValueThenItsTypeAndJsonIsThatValue() {
        AuditType type = AuditType.of("login-second-factor-failed").orElseThrow();

        assertThat(type).isEqualTo(AuditType.LOGIN_SECOND_FACTOR_FAILED);
        assertThat(json.writeValueAsString(type)).isEqualTo("\"login-second-factor-failed\"");
    }

    @Test
    void ofWhenUnknownOrConstantNameThenEmpty() {
        assertThat(AuditType.of("login-exploded")).isEmpty();
        assertThat(AuditType.of("LOGIN_FAILED")).isEmpty();
    }

    @Test
    void valuesWhenListedThenDistinctKebabCaseAndEachFindsItsType() {
        assertThat(Arrays.stream(AuditType.values()).map(AuditType::value)).doesNotHaveDuplicates()
            .allMatch(value -> value.matches("[a-z]+(-[a-z]+)*"));
        for (AuditType type : AuditType.values()) {
            assertThat(AuditType.of(type.value())).contains(type);
        }
    }

}
