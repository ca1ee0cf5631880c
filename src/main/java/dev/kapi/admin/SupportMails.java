package dev.kapi.admin;

import java.util.List;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.shared.mail.Mailer;

/**
 * Mails the author of a request when an admin answered it, in the language the request
 * was written in. Sent after the answer committed; a failed send stays in the publication
 * registry and is retried.
 */
@Component
class SupportMails {

    private final SupportRequests requests;

    private final AccountAdministration accounts;

    private final Mailer mailer;

    private final MessageSource messages;

    SupportMails(SupportRequests requests, AccountAdministration accounts, Mailer mailer, MessageSource messages) {
        this.requests = requests;
        this.accounts = accounts;
        this.mailer = mailer;
        this.messages = messages;
    }

    @ApplicationModuleListener
    void on(SupportManagement.RequestAnswered answered) {
        requests.byId(answered.requestId())
            .ifPresent(request -> accounts.byId(request.accountId())
                .filter(AccountAdministration.AdminView::active)
                .ifPresent(user -> {
                    String answer = requests.answersOf(List.of(request.id()))
                        .getOrDefault(request.id(), List.of())
                        .stream()
                        .filter(candidate -> candidate.id() == answered.answerId())
                        .map(SupportRequests.Answer::body)
                        .findFirst()
                        .orElse("");
                    Locale locale = Locale.forLanguageTag(request.language());
                    String name = user.fullName() != null ? user.fullName() : user.email();
                    mailer.send(user.email(),
                            messages.getMessage("mail.support-answer.subject", new Object[] { request.subject() },
                                    locale),
                            messages.getMessage("mail.support-answer.body",
                                    new Object[] { name, request.subject(), answer, Long.toString(request.id()) },
                                    locale));
                }));
    }

}
