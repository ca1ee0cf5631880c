/**
 * The security audit trail: {@link dev.kapi.identity.audit.AuditType what} is recorded,
 * the log every feature writes to, and the admins' read of it.
 */
package dev.kapi.identity.audit;
