/**
 * Packages and their contents, the packages given to users, the entitlements they grant,
 * and the append-only credit ledger. Other modules use
 * {@link dev.kapi.plans.PlanCatalog}, {@link dev.kapi.plans.Entitlements} and
 * {@link dev.kapi.plans.Credits}; the tables stay private.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Plans")
package dev.kapi.plans;
