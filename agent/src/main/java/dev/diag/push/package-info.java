/**
 * Push: every {@code interval=} window of each profile in {@code profiles=} goes to a continuous profiler, the way a
 * Go service ships the windows it takes from {@code /debug/pprof/profile?seconds=N}: to Grafana Pyroscope's HTTP ingest
 * API ({@code POST /ingest?name=app{k=v}&from=&until=&format=pprof}, {@link dev.diag.push.PyroscopeIngest}) or as OTLP
 * profiles over HTTP ({@code POST /v1development/profiles}, {@link dev.diag.push.OtlpProfiles}). The recording thread
 * encodes and queues; one {@code diag-push} thread ({@link dev.diag.push.WindowPusher}) sends in either format,
 * retries with backoff and drops the oldest window when the queue is full.
 *
 * <pre>
 * java -javaagent:diag.jar=push=http://pyroscope:4040,interval=15s,push.app=shop,push.labels=env=prod -jar app.jar
 * java -javaagent:diag.jar=push=otlp+http://collector:4318,interval=15s,push.app=shop -jar app.jar
 * </pre>
 */
package dev.diag.push;
