/**
 * Push: every {@code interval=} window of each profile in {@code profiles=} goes to Grafana Pyroscope's HTTP ingest
 * API ({@code POST /ingest?name=app{k=v}&from=&until=&format=pprof}), the way a Go service ships the windows it takes
 * from {@code /debug/pprof/profile?seconds=N} to a continuous profiler. The recording thread only queues; one
 * {@code diag-push} thread sends, retries with backoff and drops the oldest window when the queue is full.
 *
 * <pre>
 * java -javaagent:diag.jar=push=http://pyroscope:4040,interval=15s,push.app=shop,push.labels=env=prod -jar app.jar
 * </pre>
 */
package dev.diag.push;
