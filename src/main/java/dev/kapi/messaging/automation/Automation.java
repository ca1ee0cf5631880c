package dev.kapi.messaging.automation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A user's automation settings (seed 001's profile): the delay between two messages of
 * one sending account with random jitter on top, the sending hours in the user's time
 * zone (none: any time; a start after the end spans midnight), a daily cap over all the
 * user's accounts, what the graylist gets ({@code slow}: one message every
 * {@code graylistDelaySeconds}; {@code skip}: none) and the opt-out words.
 */
public record Automation(int delayMs, int jitterMs, LocalTime sendingHoursStart, LocalTime sendingHoursEnd,
        ZoneId timeZone, Integer dailyCap, String graylistMode, int graylistDelaySeconds, List<String> optOutWords) {

    static final String SLOW = "slow";

    public static final String SKIP = "skip";

    public static Automation defaults() {
        return new Automation(0, 0, null, null, ZoneId.of("Europe/Istanbul"), null, SLOW, 60,
                List.of("STOP", "DUR", "istemiyorum", "iptal"));
    }

    public boolean withinSendingHours(Instant now) {
        if (sendingHoursStart == null || sendingHoursEnd == null) {
            return true;
        }
        LocalTime local = now.atZone(timeZone).toLocalTime();
        if (sendingHoursStart.isBefore(sendingHoursEnd)) {
            return !local.isBefore(sendingHoursStart) && local.isBefore(sendingHoursEnd);
        }
        return !local.isBefore(sendingHoursStart) || local.isBefore(sendingHoursEnd);
    }

    public LocalDate today(Instant now) {
        return now.atZone(timeZone).toLocalDate();
    }

    /**
     * The pause before the next message in seconds: the delay plus a random part of the
     * jitter.
     */
    public double nextDelaySeconds() {
        int jitter = jitterMs > 0 ? ThreadLocalRandom.current().nextInt(jitterMs + 1) : 0;
        return (delayMs + jitter) / 1000.0;
    }

    /**
     * True when the text is an opt-out: one of its words is an opt-out word
     * (Turkish-aware, any case).
     */
    public boolean isOptOut(String text) {
        if (text == null) {
            return false;
        }
        Locale turkish = Locale.forLanguageTag("tr");
        List<String> words = List.of(text.toLowerCase(turkish).split("[^\\p{L}\\p{N}]+"));
        return optOutWords.stream().map(word -> word.toLowerCase(turkish)).anyMatch(words::contains)
                || optOutWords.stream()
                    .map(word -> word.toLowerCase(Locale.ROOT))
                    .anyMatch(List.of(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))::contains);
    }
}
