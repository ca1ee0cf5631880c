package dev.kapi.identity.provider;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The provider's discovery documents in the OpenAPI description. Spring Authorization
 * Server answers them from a filter, so springdoc does not see them; clients and the
 * examples still find them described. The protocol endpoints themselves
 * ({@code /oauth2/*}, {@code /userinfo}, {@code /connect/logout}) are described by the
 * discovery document, not here.
 */
@Component
final class ProviderOpenApi implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        document(openApi, "/.well-known/openid-configuration",
                "OpenID Provider Metadata (OpenID Connect Discovery 1.0)");
        document(openApi, "/.well-known/oauth-authorization-server", "Authorization Server Metadata (RFC 8414)");
    }

    private static void document(OpenAPI openApi, String path, String summary) {
        ApiResponse ok = new ApiResponse().description("the metadata")
            .content(new Content().addMediaType("application/json", new MediaType().schema(new ObjectSchema())));
        Operation get = new Operation().summary(summary)
            .addTagsItem("discovery")
            .operationId(path.substring(path.lastIndexOf('/') + 1).replace('-', '_'))
            .responses(new ApiResponses().addApiResponse("200", ok));
        openApi.path(path, new PathItem().get(get));
    }

}
