/**
 * Dynamic attach: load diag into a running JVM by its pid, change the options of a diag already running, and read
 * what it publishes, as {@code go tool pprof} can reach any Go server that imports {@code net/http/pprof} without a
 * restart.
 *
 * <pre>
 * java -jar diag.jar list                                  # pid, Java, diag version ("-" = none), main class
 * java -jar diag.jar attach 12345 http=6060                # load diag with these options
 * java -jar diag.jar attach 12345 block.rate=1             # change them: hooks are never installed twice
 * java -jar diag.jar status 12345                          # version, options, counters
 * </pre>
 *
 * <p>The CLI side ({@link dev.diag.attach.AttachCommand}, {@link dev.diag.attach.ListCommand},
 * {@link dev.diag.attach.StatusCommand}) checks the pid first ({@link dev.diag.attach.ProcessCheck}: exists, same
 * user, a JVM that can take the attach signal safely), then talks to it through {@code jdk.attach}
 * ({@link dev.diag.attach.TargetJvm}, the one class naming those types). The target side publishes system properties
 * ({@link dev.diag.attach.AgentProperties}, refreshed by {@link dev.diag.attach.StatusPublisher}) and answers each
 * attach with an {@link dev.diag.attach.AttachResult}; the agent's own {@code agentmain} and
 * {@code Reconfiguration} (package {@code dev.diag.agent}) do the work. Exit codes are in
 * {@link dev.diag.attach.AttachException}.
 */
package dev.diag.attach;
