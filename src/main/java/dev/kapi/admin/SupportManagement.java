package dev.kapi.admin;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * The request inbox of seed 001: a user writes to the admins, admins answer (the user
 * gets a mail) and close. A user only ever sees their own requests; someone else's is
 * answered as not found.
 */
@Service
class SupportManagement {

    /** A request with its answers, oldest answer first. */
    record Thread(SupportRequests.Request request, List<SupportRequests.Answer> answers) {
    }

    /** An admin answered a request; the author is mailed after the answer committed. */
    record RequestAnswered(long requestId, long answerId) {
    }

    private final SupportRequests requests;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    SupportManagement(SupportRequests requests, ApplicationEventPublisher events, Clock clock) {
        this.requests = requests;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    Thread send(CurrentAccount user, String subject, String body) {
        String language = LocaleContextHolder.getLocale().getLanguage();
        long id = requests.insert(user.id(), user.publicId(), subject.strip(), body.strip(),
                language.isEmpty() ? "tr" : language, clock.instant());
        return new Thread(requests.byId(id).orElseThrow(), List.of());
    }

    @Transactional(readOnly = true)
    Page<Thread> mine(CurrentAccount user, int limit, String cursor) {
        return page(user.id(), null, limit, cursor);
    }

    @Transactional(readOnly = true)
    Page<Thread> all(String status, int limit, String cursor) {
        if (status != null && !SupportRequests.STATUSES.contains(status)) {
            throw ApiException.invalidField("status", "support-status-invalid",
                    String.join(", ", SupportRequests.STATUSES));
        }
        return page(null, status, limit, cursor);
    }

    @Transactional(readOnly = true)
    Thread get(long id) {
        return thread(requests.byId(id).orElseThrow(SupportManagement::notFound));
    }

    @Transactional
    Thread answer(CurrentAccount admin, long id, String body) {
        SupportRequests.Request request = requests.lock(id).orElseThrow(SupportManagement::notFound);
        if (request.status().equals("closed")) {
            throw ApiException.conflict("support-request-closed");
        }
        long answerId = requests.answer(id, admin.id(), body.strip(), clock.instant());
        events.publishEvent(new RequestAnswered(id, answerId));
        return get(id);
    }

    @Transactional
    void close(long id) {
        SupportRequests.Request request = requests.lock(id).orElseThrow(SupportManagement::notFound);
        if (request.status().equals("closed")) {
            throw ApiException.conflict("support-request-closed");
        }
        requests.close(id, clock.instant());
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        requests.deleteOf(deleted.accountId());
    }

    private Page<Thread> page(Long accountId, String status, int limit, String cursor) {
        Page<SupportRequests.Request> found = Page.byId(
                requests.find(accountId, status, Cursors.afterId(cursor), limit + 1), limit,
                SupportRequests.Request::id);
        Map<Long, List<SupportRequests.Answer>> answers = requests
            .answersOf(found.rows().stream().map(SupportRequests.Request::id).toList());
        return found.map(request -> new Thread(request, answers.getOrDefault(request.id(), List.of())));
    }

    private Thread thread(SupportRequests.Request request) {
        return new Thread(request, requests.answersOf(List.of(request.id())).getOrDefault(request.id(), List.of()));
    }

    static ApiException notFound() {
        return ApiException.notFound("support-request-not-found");
    }

}
