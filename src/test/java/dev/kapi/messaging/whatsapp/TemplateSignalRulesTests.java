package dev.kapi.messaging.whatsapp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateSignalRulesTests {

    @Test
    void ofMetaTierWhenMetaNamesATierThenTheHighestKapiTierNotAboveIt() {
        assertThat(MessagingLimit.ofMetaTier("TIER_250")).contains(new MessagingLimit(250));
        assertThat(MessagingLimit.ofMetaTier("TIER_1K")).contains(new MessagingLimit(250));
        assertThat(MessagingLimit.ofMetaTier("TIER_2K")).contains(new MessagingLimit(2_000));
        assertThat(MessagingLimit.ofMetaTier("TIER_10K")).contains(new MessagingLimit(10_000));
        assertThat(MessagingLimit.ofMetaTier("TIER_100K")).contains(new MessagingLimit(100_000));
        assertThat(MessagingLimit.ofMetaTier("TIER_UNLIMITED")).contains(new MessagingLimit(null));
    }

    @Test
    void ofMetaTierWhenKapiCannotFollowItThenNothingChanges() {
        assertThat(MessagingLimit.ofMetaTier("TIER_50")).isEmpty();
        assertThat(MessagingLimit.ofMetaTier("TIER_NOT_SET")).isEmpty();
        assertThat(MessagingLimit.ofMetaTier("tier_10k")).isEmpty();
        assertThat(MessagingLimit.ofMetaTier(null)).isEmpty();
        assertThat(MessagingLimit.ofMetaTier("TIER_9999999999K")).isEmpty();
    }

}
