package dev.diag.http;

import dev.diag.agent.Agent;
import dev.diag.agent.HostPort;
import dev.diag.agent.Log;
import dev.diag.agent.OptionKey;
import dev.diag.agent.Options;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Starts the {@code http=} endpoint: checks that the runtime has {@code jdk.httpserver}, reads the token, binds, and
 * registers the stop with the agent (after files are written). Every failure is one {@code diag:} line and the
 * endpoint stays off; the application runs on. This class names no {@code com.sun.net.httpserver} type, so a
 * runtime without that module never tries to load one.
 */
public final class HttpEndpoint {
    private HttpEndpoint() {}

    /** Whether an endpoint runs in this JVM: a re-attach may start one only if none does (see Reconfiguration). */
    private static volatile boolean serving;

    /** Returns whether the endpoint is serving in this JVM. */
    public static boolean isServing() {
        return serving;
    }

    /** Starts serving when {@code http=} is set. Call from a daemon thread: the server's dispatcher inherits it. */
    public static void start(Agent agent) {
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
            server = PprofServer.start(agent, address, options.get(OptionKey.HTTP_PATH), new AccessFilter(token,
                    loopback ? AllowedHosts.loopbackOnly() : AllowedHosts.forBind(address.getAddress())),
                    new WriteTimeout(options.getDurationNanos(OptionKey.HTTP_TIMEOUT)));
        } catch (IOException e) {
            Log.error("http is off: cannot listen on " + http + ": " + e.getMessage());
            return;
        }
        agent.onClose(server::stop);
        serving = true;
        InetSocketAddress bound = server.address();
        if (unresolved.getPort() == 0) {
            String host = unresolved.getHostString();
            Log.info("http listening on " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort());
        } else {
            Log.debug("http listening on " + bound);
        }
    }
}
