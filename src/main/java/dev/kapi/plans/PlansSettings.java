package dev.kapi.plans;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Plans configuration: {@code catalogue} lists the content values a package may contain
 * (seed 000's {@code content_value} enum), e.g.
 * {@code KAPI_PLANS_CATALOGUE=moe_gatherer,report_export}.
 */
@ConfigurationProperties("kapi.plans")
record PlansSettings(@DefaultValue("moe_gatherer") List<String> catalogue) {

    PlansSettings {
        catalogue = catalogue.stream().map(String::trim).filter(value -> !value.isEmpty()).distinct().toList();
        if (catalogue.isEmpty()) {
            throw new IllegalArgumentException("kapi.plans.catalogue needs at least one content value");
        }
    }

    Set<String> catalogueValues() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(catalogue));
    }
}
