/**
 * Profile labels ({@code dev.diag.api.Labels}, Go's pprof labels) for the profiles that show them. Samples and events
 * arrive after the fact, so each needs the labels its thread had at its time: {@link dev.diag.labels.LabelTimeline}
 * for the native sampler's (cpu, wall, allocs), {@link dev.diag.labels.ThreadLabels} for JFR's (cpu and allocs under
 * {@code engine=jfr}, {@code synchronized} waits), both fed by {@link dev.diag.labels.LabelChanges}. The goroutine
 * profile reads each thread's labels as they are now.
 */
package dev.diag.labels;
