package dev.diag.http;

import dev.diag.base.HostPort;
import dev.diag.base.Log;
import dev.diag.base.OptionChange;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.cpu.CpuFeature;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.trace.TraceFeature;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Starts the {@code http=} endpoint: checks that the runtime has {@code jdk.httpserver}, reads the token, binds, and
 * registers the stop with the agent (after files are written). Every failure is one {@code diag:} line and the
 * endpoint stays off; the application runs on. This class names no {@code com.sun.net.httpserver} type, so a
 * runtime without that module never tries to load one.
 */
public final class HttpEndpoint implements Feature {
    private final CpuFeature cpu;
    private final TraceFeature trace;

    /** An endpoint serving {@code cpu}'s profilers and {@code trace}'s tracer beside the registry's profiles. */
    public HttpEndpoint(CpuFeature cpu, TraceFeature trace) {
        this.cpu = cpu;
        this.trace = trace;
    }

    @Override
    public String name() {
        return "http";
    }

    /** Whether an endpoint runs in this JVM: a re-attach may start one only if none does (see Reconfiguration). */
    private static volatile boolean serving;

    /** The endpoint's index URL once it serves, such as {@code http://127.0.0.1:6060/debug/pprof/}; else null. */
    private static volatile String url;

    /** Returns the URL of the endpoint's index page, or null while it does not serve. */
    public static String url() {
        return url;
    }

    /** Returns whether the endpoint is serving in this JVM. */
    public static boolean isServing() {
        return serving;
    }

    /**
     * Starts serving when {@code http=} is set, and lets a re-attach start it later when it is not (or its start
     * failed). Call from a daemon thread: the server's dispatcher inherits it.
     */
    @Override
    public void start(FeatureContext agent) {
        agent.onOptionChange(name(), Set.of(OptionKey.HTTP, OptionKey.HTTP_PATH, OptionKey.HTTP_TOKEN,
                OptionKey.HTTP_TOKEN_FILE, OptionKey.HTTP_TIMEOUT), new OptionChange() {
            @Override
            public String refusal(Options before, Options after) {
                // A running endpoint keeps its address, path and token: moving it under clients' feet is refused.
                if (!serving) return null; // never asked for, or its start failed (a port in use): try again
                return "http is already serving (http=" + before.shown(OptionKey.HTTP) + "); its address, path and "
                        + "token cannot change while diag runs";
            }

            @Override
            public void apply(Options before, Options after) {
                serve(agent); // on diag-attach: a daemon
            }
        });
        serve(agent);
    }

    private void serve(FeatureContext agent) {
        Options options = agent.options();
        if (!options.isSet(OptionKey.HTTP)) return;
        String http = options.get(OptionKey.HTTP);
        if (ModuleLayer.boot().findModule("jdk.httpserver").isEmpty()) {
            Log.error("http is off: this Java runtime has no jdk.httpserver module");
            return;
        }
        String token;
        try {
            token = options.bearerToken();
        } catch (IOException | RuntimeException e) {
            Log.error("http is off: cannot read http.token.file \"" + options.get(OptionKey.HTTP_TOKEN_FILE) + "\": "
                    + e.getMessage());
            return;
        }
        InetSocketAddress unresolved = HostPort.parse(http);
        InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
        if (address.isUnresolved()) {
            Log.error("http is off: cannot resolve host \"" + unresolved.getHostString() + "\"");
            return;
        }
        boolean loopback = address.getAddress().isLoopbackAddress();
        if (!loopback && token == null) {
            Log.error("http is off: http=" + http + " is not a loopback address, and anyone who can reach it would get "
                    + "profiles and the command line; set http.token.file=FILE (a bearer token every request must "
                    + "carry) or bind 127.0.0.1");
            return;
        }
        PprofServer server;
        try {
            server = PprofServer.start(agent, cpu, trace, address, options.get(OptionKey.HTTP_PATH), new AccessFilter(token,
                    loopback ? AllowedHosts.loopbackOnly() : AllowedHosts.forBind(address.getAddress())),
                    new WriteTimeout(options.getDurationNanos(OptionKey.HTTP_TIMEOUT)));
        } catch (IOException e) {
            Log.error("http is off: cannot listen on " + http + ": " + e.getMessage());
            return;
        }
        agent.onClose(server::stop);
        serving = true;
        InetSocketAddress bound = server.address();
        String boundHost = bound.getAddress().getHostAddress();
        url = "http://" + (boundHost.indexOf(':') >= 0 ? "[" + boundHost + "]" : boundHost) + ":" + bound.getPort()
                + options.get(OptionKey.HTTP_PATH) + "/";
        if (unresolved.getPort() == 0) {
            String host = unresolved.getHostString();
            Log.info("http listening on " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort());
        } else {
            Log.debug("http listening on " + bound);
        }
    }
}
