package dev.kapi.messaging.whatsapp;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;

/**
 * What messaging tells the rules that guard every route: WhatsApp's callbacks are public
 * (Meta calls it without a token; each callback is checked by its signature instead). A
 * frozen account makes no messaging write, so nothing is exempt from the frozen-account
 * guard.
 */
@Component
class MessagingRoutes implements RouteRules {

    static final String WHATSAPP_CALLBACKS = "/api/messaging/webhooks/whatsapp";

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.any(WHATSAPP_CALLBACKS));
    }

}
