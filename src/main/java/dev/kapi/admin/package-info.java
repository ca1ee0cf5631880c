/**
 * The admin APIs: seed 004's user management under {@code /api/admin/users} and seed 000's generic
 * admin by model type under {@code /api/v1/admin}. Thin web adapters over the identity and plans
 * modules' APIs; no account rule is written here.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Admin")
package dev.kapi.admin;
