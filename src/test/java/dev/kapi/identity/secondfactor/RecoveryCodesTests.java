package dev.kapi.identity.secondfactor;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryCodesTests {

    @Test
    void newCodeWhenGeneratedThenTwoGroupsOfFiveWithoutLookAlikeCharacters() {
        Random random = new Random(28);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            codes.add(RecoveryCodes.newCode(random));
        }

        assertThat(codes).hasSize(1_000)
            .allMatch(code -> code.matches("[a-z2-9]{5}-[a-z2-9]{5}"))
            .noneMatch(code -> code.matches(".*[01ilo].*"));
    }

    @Test
    void normalizedWhenCaseSpacesOrDashDifferThenTheSame() {
        assertThat(RecoveryCodes.normalized(" K7M2P - XQ9RT ")).isEqualTo("k7m2pxq9rt")
            .isEqualTo(RecoveryCodes.normalized("k7m2pxq9rt"))
            .isEqualTo(RecoveryCodes.normalized("k7m2p-xq9rt"));
    }

}
