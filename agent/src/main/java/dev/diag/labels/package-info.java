/**
 * Profile labels ({@code dev.diag.api.Labels}, Go's pprof labels) for the profiles that show them: the CPU profile,
 * whose samples arrive late through JFR and so need the labels a thread had at the sample's time
 * ({@link dev.diag.labels.ThreadLabels}), and the goroutine profile, which reads each thread's labels as they are now.
 */
package dev.diag.labels;
