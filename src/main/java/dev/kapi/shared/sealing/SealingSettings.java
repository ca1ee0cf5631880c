package dev.kapi.shared.sealing;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The master key that seals stored secrets ({@code KAPI_MASTER_KEY}: 32 bytes, base64)
 * and, during a rotation, the previous keys that may still open older ciphertexts
 * ({@code KAPI_MASTER_KEY_PREVIOUS}, comma separated). Without a master key Kapı starts
 * only on its embedded default, which generates and keeps one beside its data.
 */
@ConfigurationProperties("kapi.sealing")
public record SealingSettings(String masterKey, @DefaultValue List<String> previousKeys) {
}
