/**
 * Cross-cutting pieces every module uses: problem responses, localized messages, time,
 * request ids, rate limits, the embedded database and locally kept secrets.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared")
package dev.kapi.shared;
