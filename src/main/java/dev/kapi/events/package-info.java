/**
 * Seed 003's events and categories: listing with filters, search, sorting and keyset
 * paging, slugs, soft and hard deletion, and the category catalogue. Authors are account
 * ids of the identity module, named through {@link dev.kapi.identity.AccountDirectory}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Events")
package dev.kapi.events;
