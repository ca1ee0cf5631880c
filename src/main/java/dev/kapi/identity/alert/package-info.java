/**
 * "This was not me": the mail sent when a credential is added or an address changes, and
 * the link that undoes it.
 */
package dev.kapi.identity.alert;
