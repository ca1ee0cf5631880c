package dev.kapi.identity.provider.client;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a client can keep a secret (RFC 6749 §2.1): a confidential one authenticates
 * with its secret or its keys, a public one (a browser app, a CLI) with nothing but PKCE.
 */
public enum ClientType {

    PUBLIC("public"), CONFIDENTIAL("confidential");

    private final String value;

    ClientType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

}
