package dev.kapi.messaging.whatsapp;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves Meta's signed callbacks out of the {@code http.server.requests} observation: at
 * 3,000 callbacks a second, timing each one cost a sixth of the route's CPU on a two-core
 * machine. The callbacks' effects stay measurable in what they write (message statuses,
 * inbound messages), and their failures are logged.
 */
@Component
final class CallbackObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext request)
                || !"POST".equals(request.getCarrier().getMethod())
                || !MessagingRoutes.WHATSAPP_CALLBACKS.equals(request.getCarrier().getRequestURI());
    }

}
