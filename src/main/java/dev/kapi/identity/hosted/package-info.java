/**
 * The browser's single sign-on and Kapı's hosted pages (issue 29): the SSO cookie that
 * points to a Kapı session, the security context it gives the provider's endpoints, and
 * the server-rendered sign-in, consent, device activation and error pages.
 */
package dev.kapi.identity.hosted;
