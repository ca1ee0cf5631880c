/** Web-wide behaviour: problem responses, request ids, language, CORS. */
package dev.kapi.shared.web;
