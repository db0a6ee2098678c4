package dev.diag.http;

import dev.diag.feature.FeatureContext;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the profiles the endpoint served, per name: {@code http.profiles.NAME} in the {@code diag} object of
 * {@code /debug/vars} (and in {@code status}). NAME is a registered profile ({@code heap}, {@code goroutine}, ...),
 * {@code profile} for the CPU profile or {@code trace}; a count grows when a 200 answer carrying that profile (proto,
 * text, dump or delta) has been written. Only names diag serves get a counter, so junk requests cannot grow the set.
 */
final class ServedProfiles {
    static final String PREFIX = "http.profiles.";

    private final FeatureContext agent;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    ServedProfiles(FeatureContext agent) {
        this.agent = agent;
    }

    /** Publishes a counter at 0 for each of {@code names}, so that /debug/vars shows what has not been served yet. */
    void publish(Iterable<String> names) {
        for (String name : names) counter(name);
    }

    /** Counts one profile {@code name} served. */
    void served(String name) {
        counter(name).increment();
    }

    private LongAdder counter(String name) {
        return counts.computeIfAbsent(name, n -> {
            LongAdder a = new LongAdder();
            agent.addCounter(PREFIX + n, a::sum);
            return a;
        });
    }
}
