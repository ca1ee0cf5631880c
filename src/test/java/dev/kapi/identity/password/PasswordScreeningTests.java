package dev.kapi.identity.password;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordScreeningTests {

    @Test
    void measuredWhenAtMostTheMeasuredLengthThenWhole() {
        String password = "p".repeat(PasswordScreening.MEASURED_CODE_POINTS);

        assertThat(PasswordScreening.measured(password)).isEqualTo(password);
    }

    @Test
    void measuredWhenLongerThenCutAfterTheMeasuredCodePointsNeverInsideAPair() {
        // Each emoji is one code point of two chars: a cut by chars would split a pair.
        String password = "\uD83D\uDD11".repeat(PasswordScreening.MEASURED_CODE_POINTS + 5);

        String measured = PasswordScreening.measured(password);

        assertThat(measured.codePointCount(0, measured.length())).isEqualTo(PasswordScreening.MEASURED_CODE_POINTS);
        assertThat(measured).isEqualTo("\uD83D\uDD11".repeat(PasswordScreening.MEASURED_CODE_POINTS));
    }

}
