package dev.kapi.identity;

/**
 * Published in the transaction of a user import ({@code POST /api/admin/users/import} or
 * {@code kapi.jar import-users}): how many accounts it created, updated and skipped, and
 * who ran it ({@code importedBy} is null for the command line).
 */
public record UsersImported(Long importedBy, int imported, int updated, int skipped) {
}
