/**
 * Secrets stored encrypted (exchange API keys, provider access tokens): AES-GCM under a
 * rotatable master key.
 */
@org.springframework.modulith.NamedInterface("sealing")
package dev.kapi.shared.sealing;
