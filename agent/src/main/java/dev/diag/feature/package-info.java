/**
 * The contract between the agent and what it starts: a {@link dev.diag.feature.Feature} is handed a
 * {@link dev.diag.feature.FeatureContext}, the narrow view of the running agent it may use (options, the profile
 * registry, counters, the shared samplers, and where to register stop actions and option changes). Features never
 * name {@code dev.diag.agent}; the agent is the composition root that lists them and hands each what it needs.
 */
package dev.diag.feature;
