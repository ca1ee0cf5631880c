package dev.kapi.trading.runner;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.trading.bot.KillSwitches;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The kill switches: the user's own ({@code /api/trading/kill-switch}) and the admin's
 * for everyone ({@code /api/admin/trading/kill-switch}). Engaging needs no recent sign-in
 * (it only reduces risk, and must work at once in an emergency); re-arming does, so a
 * stolen access token cannot undo the switch its owner pulled.
 */
@RestController
@Tag(name = "trading")
class KillSwitchController {

    private final KillSwitch killSwitch;

    private final RecentAuthentication recentAuthentication;

    KillSwitchController(KillSwitch killSwitch, RecentAuthentication recentAuthentication) {
        this.killSwitch = killSwitch;
        this.recentAuthentication = recentAuthentication;
    }

    record KillSwitchReport(@JsonProperty("engaged_at") Instant engagedAt,
            @JsonProperty("bots_stopped") int botsStopped, @JsonProperty("positions_closed") int positionsClosed,
            @JsonProperty("positions_pending") int positionsPending) {

        static KillSwitchReport from(KillSwitch.Report report) {
            return new KillSwitchReport(report.engagedAt(), report.botsStopped(), report.positionsClosed(),
                    report.positionsPending());
        }
    }

    record KillSwitchState(boolean on, @JsonProperty("engaged_at") Instant engagedAt,
            @JsonProperty("admin_on") boolean adminOn, @JsonProperty("admin_engaged_at") Instant adminEngagedAt) {
    }

    @PostMapping("/api/trading/kill-switch")
    @Operation(summary = "Kill switch: stop every bot of the user, sell every position at market (exit_reason "
            + "force_exit) and cancel their orders; no bot starts until it is re-armed")
    KillSwitchReport engage(@AuthenticationPrincipal CurrentAccount me) {
        return KillSwitchReport.from(killSwitch.engage(me.id(), me.id()));
    }

    @GetMapping("/api/trading/kill-switch")
    @Operation(summary = "Whether the user's kill switch, or the admin's for everyone, is on")
    KillSwitchState state(@AuthenticationPrincipal CurrentAccount me) {
        KillSwitches.Engaged own = killSwitch.state(me.id());
        KillSwitches.Engaged admin = killSwitch.state(null);
        return new KillSwitchState(own != null, own == null ? null : own.engagedAt(), admin != null,
                admin == null ? null : admin.engagedAt());
    }

    @DeleteMapping("/api/trading/kill-switch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Re-arm the user's kill switch (needs a sign-in from the last five minutes); starts nothing")
    void release(@AuthenticationPrincipal CurrentAccount me) {
        recentAuthentication.require(me);
        killSwitch.release(me.id());
    }

    @PostMapping("/api/admin/trading/kill-switch")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "The admin's kill switch: every user's bots stopped and flat; no bot starts until it is "
            + "re-armed (admin)")
    KillSwitchReport engageForEveryone(@AuthenticationPrincipal CurrentAccount me) {
        return KillSwitchReport.from(killSwitch.engage(null, me.id()));
    }

    @DeleteMapping("/api/admin/trading/kill-switch")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Re-arm the admin's kill switch (a person needs a sign-in from the last five minutes; a "
            + "service key needs admin:write) (admin)")
    void releaseForEveryone(@AuthenticationPrincipal CurrentAccount me) {
        recentAuthentication.requireOfPerson(me);
        killSwitch.release(null);
    }

}
