/**
 * Messages between the instances that share one database, over PostgreSQL's
 * LISTEN/NOTIFY.
 */
@org.springframework.modulith.NamedInterface("cluster")
package dev.kapi.shared.cluster;
