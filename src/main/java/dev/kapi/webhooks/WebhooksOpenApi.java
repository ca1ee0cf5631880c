package dev.kapi.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The webhooks' vocabulary in the OpenAPI description: the event types a webhook may
 * subscribe to and a delivery carries are {@link Webhooks#EVENTS}. Runs before shared's
 * description, which marks the answers' nullable fields.
 */
@Component
final class WebhooksOpenApi implements OpenApiCustomizer, Ordered {

    /** The records whose {@code events} list event types. */
    static final List<Class<?>> LISTING_EVENTS = List.of(WebhooksController.WebhookRequest.class,
            WebhooksController.WebhookResponse.class, WebhooksController.CreatedWebhook.class);

    static final List<String> EVENT_TYPES = Webhooks.EVENTS.stream().sorted().toList();

    @Override
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        for (Class<?> record : LISTING_EVENTS) {
            if (property(schemas, record.getSimpleName(), "events") instanceof Schema events
                    && events.getItems() != null) {
                events.getItems().setEnum(new ArrayList<>(EVENT_TYPES));
            }
        }
        if (property(schemas, WebhooksController.DeliveryResponse.class.getSimpleName(),
                "type") instanceof Schema type) {
            type.setEnum(new ArrayList<>(EVENT_TYPES));
        }
    }

    @SuppressWarnings("rawtypes")
    private static Object property(Map<String, Schema> schemas, String schema, String property) {
        Schema found = schemas.get(schema);
        return found == null || found.getProperties() == null ? null : found.getProperties().get(property);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
