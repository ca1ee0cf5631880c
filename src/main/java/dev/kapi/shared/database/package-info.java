/** The embedded PostgreSQL default and the secrets Kapı keeps beside it. */
@org.springframework.modulith.NamedInterface("database")
package dev.kapi.shared.database;
