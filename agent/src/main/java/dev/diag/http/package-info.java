/**
 * The {@code http=} endpoint: Go's {@code net/http/pprof} and {@code expvar}, answer for answer, so that every tool
 * made for Go programs reads a JVM unchanged.
 *
 * <pre>
 * java -javaagent:diag.jar=http=6060 -jar app.jar
 * go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=10
 * curl -s 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2'
 * curl -s http://127.0.0.1:6060/debug/vars
 * </pre>
 *
 * <p>Shape: {@link dev.diag.http.HttpEndpoint} reads the options and binds; {@code PprofServer} owns the JDK server
 * and its bounded daemon pool; {@code PprofRouter} routes as Go's ServeMux; one handler per endpoint ({@code Index},
 * {@code Cmdline}, {@code Symbol}, {@code CpuProfile}, {@code Trace}, {@code Profile}, {@code Vars}); every error
 * goes through {@code PprofExchange.serveError}; Go's strings and tables are in {@code GoPprof}, Go's number parsing
 * in {@code GoStrconv}, Go's form rules in {@code Form}. Security ({@code AccessFilter}, {@code AllowedHosts}):
 * loopback by default, a bearer token ({@code http.token.file}) required for any other bind, {@code Host} checked
 * against DNS rebinding. Robustness: {@code ConnectionExecutor} runs each request as a {@code ClientConnection}
 * (deadlines for headers and body, and whether the client hung up, through the socket {@code JdkChannels} finds),
 * so that a window ends when its client goes away; {@code DeltaSlots} bounds waiting delta profiles per client.
 */
package dev.diag.http;
