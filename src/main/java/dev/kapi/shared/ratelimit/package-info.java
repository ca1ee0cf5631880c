/** Per-route, per-client rate limits stored in PostgreSQL. */
@org.springframework.modulith.NamedInterface("ratelimit")
package dev.kapi.shared.ratelimit;
