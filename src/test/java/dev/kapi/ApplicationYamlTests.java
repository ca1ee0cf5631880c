package dev.kapi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each setting is written once: its default in its settings record
 * ({@code @DefaultValue}), and application.yml holds only what differs from one, Spring
 * Boot's settings and the environment variables whose name is not their property's. No
 * Spring context: application.yml and the records, bound as Spring binds them.
 */
class ApplicationYamlTests {

    /**
     * Lines that state a record's default on purpose: a documented variable whose name is
     * not its property's needs a line of its own, and where an unset variable must leave
     * the default, that line has to say it again ({@code ${VARIABLE:default}}).
     */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            entry("kapi.embedded-database.data-dir", "KAPI_DATA_DIR"),
            entry("kapi.mail.outbox", "KAPI_DATA_DIR, with /outbox"),
            entry("kapi.cors.allowed-origins", "KAPI_CORS_ORIGINS"),
            entry("kapi.sealing.previous-keys", "KAPI_MASTER_KEY_PREVIOUS"),
            entry("kapi.identity.signing.algorithm", "KAPI_JWT_ALGORITHM"),
            entry("kapi.identity.signing.rotation", "KAPI_JWT_ROTATION"),
            entry("kapi.identity.access-token-lifetime", "ACCESS_TOKEN_EXPIRE_MINUTES, a number of minutes"),
            entry("kapi.identity.mfa.required-types", "KAPI_MFA_REQUIRED_TYPES"),
            entry("kapi.identity.passkeys.rp-id", "KAPI_PASSKEY_RP_ID"),
            entry("kapi.identity.passkeys.origins", "KAPI_PASSKEY_ORIGINS"),
            entry("kapi.messaging.whatsapp.base-url", "KAPI_WHATSAPP_BASE_URL"),
            entry("kapi.messaging.whatsapp.api-version", "KAPI_WHATSAPP_API_VERSION"));

    private record Settings(String prefix, Class<?> type) {
    }

    @Test
    void applicationYamlRepeatsNoRecordDefault() throws IOException {
        EnumerablePropertySource<?> yaml = applicationYaml();
        PropertySourcesPlaceholdersResolver unsetEnvironment = new PropertySourcesPlaceholdersResolver(List.of(yaml));
        // A key alone, but a list as a whole (its elements are one value).
        Set<String> settings = new LinkedHashSet<>();
        for (String key : yaml.getPropertyNames()) {
            if (key.startsWith("kapi.") && !ALIASES.containsKey(key)) {
                settings.add(key.contains("[") ? key.substring(0, key.indexOf('[')) : key);
            }
        }
        List<String> repeated = new ArrayList<>();
        for (String setting : settings) {
            Map<String, Object> lines = new LinkedHashMap<>();
            for (String key : yaml.getPropertyNames()) {
                if (key.equals(setting) || key.startsWith(setting + "[")) {
                    lines.put(key, yaml.getProperty(key));
                }
            }
            Settings owner = owner(setting);
            Object alone = new Binder(ConfigurationPropertySources.from(new MapPropertySource("lines", lines)),
                    unsetEnvironment)
                .bindOrCreate(owner.prefix(), owner.type());
            if (alone.equals(defaults(owner))) {
                repeated.add(setting);
            }
        }
        assertThat(repeated).as("application.yml lines that repeat their record's default (or bind nothing)").isEmpty();
    }

    @Test
    void everyAliasIsAVariableWhoseNameIsNotItsProperty() throws IOException {
        EnumerablePropertySource<?> yaml = applicationYaml();
        ALIASES.forEach((key, variable) -> {
            String line = String.valueOf(yaml.getProperty(key));
            String name = variable.split("[ ,]")[0];
            assertThat(line).as(key).startsWith("${" + name + ":");
            assertThat(name).as(key + " binds from " + name + " by itself")
                .isNotEqualTo(key.toUpperCase().replace('.', '_').replace("-", ""))
                .isNotEqualTo(key.toUpperCase().replace('.', '_').replace('-', '_'));
        });
    }

    /**
     * README's configuration table: each variable still reaches a setting, with or
     * without a line here.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '=', value = { "KAPI_DATA_DIR=/srv/kapi", "KAPI_JWT_SECRET=secret",
            "KAPI_JWT_ALGORITHM=ES256", "KAPI_JWT_ROTATION=20d", "ACCESS_TOKEN_EXPIRE_MINUTES=15",
            "KAPI_BOOTSTRAP_ADMIN_EMAIL=a@example.com", "KAPI_BOOTSTRAP_ADMIN_PASSWORD=passphrase",
            "KAPI_ADMIN_SECRET=secret", "KAPI_RATE_LIMITS_ENABLED=false", "KAPI_MASTER_KEY=key",
            "KAPI_MASTER_KEY_PREVIOUS=old", "KAPI_TRADING_RUNNER_ENABLED=false", "KAPI_TRADING_RUNNER_CRON=7 * * * * *",
            "KAPI_TRADING_PAPER_FEERATE=0.002", "KAPI_TRADING_PAPER_SLIPPAGE=0.001", "KAPI_TRADING_SWEEPS_THREADS=2",
            "KAPI_TRADING_SWEEPS_MAXRUNNING=2", "KAPI_TRADING_SWEEPS_MAXCOMBINATIONS=10",
            "KAPI_TRADING_SWEEPS_MAXCANDLESTEPS=10", "KAPI_TRADING_BACKTESTS_MAXRUNNING=2",
            "KAPI_TRADING_TELEGRAM_BASEURL=http://telegram.example", "KAPI_TRADING_TELEGRAM_TIMEOUT=3s",
            "KAPI_TRADING_BINANCE_BASEURL=https://testnet.binance.vision", "KAPI_CORS_ORIGINS=https://app.example",
            "KAPI_MAIL_FROM=kapi@example.com", "KAPI_PUBLIC_URL=https://kapi.example",
            "KAPI_WEBHOOKS_ALLOW_PRIVATE=true", "KAPI_OUTBOUND_ALLOW_PRIVATE=true", "KAPI_WEBHOOKS_RETENTION=7d",
            "KAPI_HIBP_URL=https://api.pwnedpasswords.com", "KAPI_MFA_REQUIRED_TYPES=admin",
            "KAPI_IDENTITY_STEPUP_MAXAGE=1m", "KAPI_PASSKEY_RP_ID=kapi.example",
            "KAPI_PASSKEY_ORIGINS=https://kapi.example", "KAPI_WHATSAPP_APP_SECRET=secret",
            "KAPI_WHATSAPP_VERIFY_TOKEN=token", "KAPI_WHATSAPP_BASE_URL=http://meta.example",
            "KAPI_WHATSAPP_API_VERSION=v24.0", "KAPI_MESSAGING_WORKER_ENABLED=false",
            "KAPI_CLUSTER_LISTEN_URL=jdbc:postgresql://db/kapi", "KAPI_MESSAGING_CREDIT_COST_MARKETING=2",
            "KAPI_MESSAGING_CREDIT_COST_UTILITY=2", "KAPI_MESSAGING_CREDIT_COST_AUTHENTICATION=2",
            "KAPI_MESSAGING_CREDIT_COST_SERVICE=2", "KAPI_LIMITS_BODY_MAX=2MB", "KAPI_LIMITS_IMPORT_MAX=1GB",
            "KAPI_IDENTITY_HOUSEKEEPING_KEEPENDED=1d", "KAPI_IDENTITY_HOUSEKEEPING_AUDITRETENTION=365d",
            "KAPI_PLANS_CATALOGUE=moe_gatherer,report_export", "KAPI_MESSAGING_WORKER_LEASE=5m" })
    void documentedVariableReachesItsSetting(String variable, String value) throws IOException {
        EnumerablePropertySource<?> yaml = applicationYaml();
        PropertySource<?> environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, value));
        List<PropertySource<?>> withVariable = List.of(environment, yaml);
        Binder set = new Binder(ConfigurationPropertySources.from(withVariable),
                new PropertySourcesPlaceholdersResolver(withVariable));
        Binder unset = new Binder(ConfigurationPropertySources.from(List.of(yaml)),
                new PropertySourcesPlaceholdersResolver(List.of(yaml)));
        assertThat(records()).as(variable + " changes a setting")
            .anyMatch(settings -> !set.bindOrCreate(settings.prefix(), settings.type())
                .equals(unset.bindOrCreate(settings.prefix(), settings.type())));
    }

    private static EnumerablePropertySource<?> applicationYaml() throws IOException {
        return (EnumerablePropertySource<?>) new YamlPropertySourceLoader()
            .load("application.yml", new ClassPathResource("application.yml"))
            .getFirst();
    }

    /** The record a key belongs to: the one with the longest prefix above it. */
    private static Settings owner(String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
        return records().stream()
            .filter(settings -> ConfigurationPropertyName.of(settings.prefix()).isAncestorOf(name))
            .max(Comparator
                .comparingInt(settings -> ConfigurationPropertyName.of(settings.prefix()).getNumberOfElements()))
            .orElseThrow(() -> new AssertionError(key + " belongs to no settings record"));
    }

    private static Object defaults(Settings settings) {
        return new Binder().bindOrCreate(settings.prefix(), settings.type());
    }

    private static List<Settings> records() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        return scanner.findCandidateComponents(Application.class.getPackageName())
            .stream()
            .map(candidate -> ClassUtils.resolveClassName(candidate.getBeanClassName(), null))
            .filter(Class::isRecord)
            .map(type -> new Settings(
                    AnnotatedElementUtils.findMergedAnnotation(type, ConfigurationProperties.class).prefix(), type))
            .toList();
    }

}
