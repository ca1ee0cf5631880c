package dev.kapi.messaging.automation;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;

/**
 * Seed 001's automation settings of a user (the profile's "otomasyon ayarları"): read
 * with their defaults until saved, and changed field by field. Sending hours are
 * {@code HH:mm}, both or neither; a daily cap of 0 removes the cap.
 */
@Service
class AutomationManagement {

    private final Automations automations;

    private final Clock clock;

    AutomationManagement(Automations automations, Clock clock) {
        this.automations = automations;
        this.clock = clock;
    }

    /**
     * A partial change; null leaves a setting as it is. {@code sendingHoursStart} and
     * {@code sendingHoursEnd} are {@code HH:mm} ({@code ""} for both: any time);
     * {@code dailyCap} 0 removes the cap.
     */
    record Changes(Integer delayMs, Integer jitterMs, String sendingHoursStart, String sendingHoursEnd, String timeZone,
            Integer dailyCap, String graylistMode, Integer graylistDelaySeconds, List<String> optOutWords) {
    }

    @Transactional(readOnly = true)
    Automation of(long owner) {
        return automations.of(owner);
    }

    @Transactional
    Automation update(long owner, Changes changes) {
        Automation current = automations.of(owner);
        LocalTime start = current.sendingHoursStart();
        LocalTime end = current.sendingHoursEnd();
        if (changes.sendingHoursStart() != null || changes.sendingHoursEnd() != null) {
            start = time(changes.sendingHoursStart(), "sending_hours_start");
            end = time(changes.sendingHoursEnd(), "sending_hours_end");
            if ((start == null) != (end == null) || (start != null && start.equals(end))) {
                throw ApiException.invalidField(start == null ? "sending_hours_start" : "sending_hours_end",
                        "sending-hours-invalid");
            }
        }
        ZoneId zone = current.timeZone();
        if (changes.timeZone() != null) {
            try {
                zone = ZoneId.of(changes.timeZone().strip());
            }
            catch (DateTimeException ex) {
                throw ApiException.invalidField("time_zone", "time-zone-invalid");
            }
        }
        Integer cap = changes.dailyCap() == null ? current.dailyCap()
                : changes.dailyCap() == 0 ? null : changes.dailyCap();
        Automation changed = new Automation(or(changes.delayMs(), current.delayMs()),
                or(changes.jitterMs(), current.jitterMs()), start, end, zone, cap,
                or(changes.graylistMode(), current.graylistMode()),
                or(changes.graylistDelaySeconds(), current.graylistDelaySeconds()),
                changes.optOutWords() == null ? current.optOutWords()
                        : changes.optOutWords().stream().map(String::strip).distinct().toList());
        automations.save(owner, changed, clock.instant());
        return changed;
    }

    private static LocalTime time(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(value.strip());
        }
        catch (DateTimeParseException ex) {
            throw ApiException.invalidField(field, "invalid-time");
        }
    }

    private static <T> T or(T given, T current) {
        return given != null ? given : current;
    }

}
