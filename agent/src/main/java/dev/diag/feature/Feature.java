package dev.diag.feature;

/**
 * One thing diag can do (a profile, the tracer, the HTTP endpoint), started once by the agent on {@code diag-init}
 * in the agent's order. A feature that has nothing to do under the options returns at once; one that fails throws,
 * and the agent turns it off with one {@code diag:} line while the others run on.
 *
 * <p>A feature's stop has two moments, so it registers them with the context rather than implementing one method:
 * {@link FeatureContext#onStop} before the exit files are written (stop sampling, drain), {@link FeatureContext#onClose}
 * after (close a server that may be serving them). Options it can take at re-attach it registers with
 * {@link FeatureContext#onOptionChange}.
 */
public interface Feature {
    /** The name its messages go under: "cpu profile", "http". */
    String name();

    /** Starts the feature; called on {@code diag-init}, never before {@code main} unless the agent says so. */
    void start(FeatureContext context) throws Exception;
}
