/**
 * The admin APIs: seed 004's user management under {@code /api/admin/users} and seed
 * 000's generic admin by model type under {@code /api/v1/admin}, thin web adapters over
 * the identity and plans modules' APIs (no account rule is written here); and seed 001's
 * request inbox under {@code /api/support/requests} and
 * {@code /api/admin/support/requests}, with its own tables; the dashboard, read through
 * the other modules' public APIs; and the export and import of the whole database (also
 * as the {@link dev.kapi.admin.BackupCommand} commands).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Admin")
package dev.kapi.admin;
