package dev.kapi.plans;

import java.util.Set;

/** What an account may use: the content values of its packages that are active now. */
public interface Entitlements {

    /** The content values, sorted. */
    Set<String> of(long accountId);

    boolean has(long accountId, String contentValue);

}
