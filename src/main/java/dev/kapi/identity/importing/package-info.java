/**
 * Bringing users from another system: the NDJSON import (HTTP and command line), its
 * checks, and the converters from Keycloak's and Auth0's exports to that format.
 */
package dev.kapi.identity.importing;
