package dev.diag.base;

/**
 * How a running feature takes new values of its options when {@code java -jar diag.jar attach PID OPTIONS} reaches
 * a JVM where diag already runs. A feature registers one with {@code FeatureContext.onOptionChange}; an option no feature
 * registered for cannot change after start, and a request that changes it is rejected whole.
 */
@FunctionalInterface
public interface OptionChange {
    /**
     * Applies the change; {@code after} is already the agent's configuration. Called on a {@code diag-attach} thread
     * (a daemon), after every registered change accepted the request. A failure turns the feature off, one line.
     */
    void apply(Options before, Options after) throws Exception;

    /**
     * Returns why this change cannot be made in the running JVM (the request is then rejected and nothing changes),
     * or null when it can. Called for every change of the request before any is applied.
     */
    default String refusal(Options before, Options after) {
        return null;
    }
}
