package dev.kapi.identity.session;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;

/**
 * The live channel of seed 001 ("socket that checks the user's login"): a signed-in
 * client keeps a server-sent event stream open and hears {@code session-ended} with the
 * reason the moment its session ends, whichever instance ended it.
 */
@Component
public class SessionStream {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    /**
     * Streams one account may hold open on this instance: a client needs one per session,
     * not thousands.
     */
    public static final int MAX_STREAMS_PER_ACCOUNT = 10;

    private final Map<SseEmitter, CurrentAccount> listeners = new ConcurrentHashMap<>();

    /** The ending, as sent to the client. */
    record SessionEnded(String reason) {
    }

    public SseEmitter open(CurrentAccount me) {
        if (listeners.values().stream().filter(account -> account.id() == me.id()).count() >= MAX_STREAMS_PER_ACCOUNT) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", MAX_STREAMS_PER_ACCOUNT);
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        listeners.put(emitter, me);
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(error -> listeners.remove(emitter));
        try {
            emitter.send(SseEmitter.event().name("connected").data(Map.of("session_id", me.sessionId())));
        }
        catch (IOException ex) {
            listeners.remove(emitter);
            emitter.completeWithError(ex);
        }
        return emitter;
    }

    @EventListener
    void on(Sessions.Ended ended) {
        listeners.forEach((emitter, account) -> {
            if (ended.covers(account.sessionId(), account.id())) {
                listeners.remove(emitter);
                try {
                    emitter.send(SseEmitter.event().name("session-ended").data(new SessionEnded(ended.reason())));
                    emitter.complete();
                }
                catch (IOException | IllegalStateException ex) {
                    emitter.completeWithError(ex);
                }
            }
        });
    }

}
