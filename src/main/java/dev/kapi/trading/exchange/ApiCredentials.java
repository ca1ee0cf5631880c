package dev.kapi.trading.exchange;

/**
 * An opened API key, held only while a request to the exchange is made. Never printed.
 */
public record ApiCredentials(String apiKey, String secret) {

    @Override
    public String toString() {
        return "ApiCredentials[apiKey=****" + apiKey.substring(Math.max(0, apiKey.length() - 4)) + ", secret=****]";
    }
}
