package dev.kapi.messaging;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;

/** Messaging's routes for the guards: WhatsApp calls its webhook without a token, signed instead. */
@Component
class MessagingRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.any(WebhookController.PATH));
    }
}
