package dev.diag.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.diag.base.Log;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes every request as Go's {@code http.DefaultServeMux} with {@code net/http/pprof} and {@code expvar}
 * registered: unclean paths redirect to their clean form (301), {@code PREFIX} redirects to {@code PREFIX/},
 * {@code PREFIX/} is the index, {@code cmdline}/{@code profile}/{@code symbol}/{@code trace} match exactly (and
 * diag's own {@code wall}, {@code deadlock}, {@code lockorder} and {@code heapdump}, which Go's index does not list), {@code ui/}
 * and what is under it is diag's viewer ({@link UiHandler}; Go answers those as unknown profiles), any other
 * name under the prefix is a profile name (so {@code profile/} is an unknown profile), the sibling {@code vars} is
 * expvar, the siblings {@code requests} and {@code events} are x/net/trace's pages, and the rest is {@code 404 page not found}. No method is special, as in Go. Nothing here maps a request to
 * a file.
 */
final class PprofRouter implements HttpHandler {
    private final String prefix;
    private final String varsPath;
    private final String requestsPath;
    private final String eventsPath;
    private final RequestsHandler requestsPage = new RequestsHandler();
    private final EventsHandler eventsPage = new EventsHandler();
    private final AccessFilter access;
    private final IndexHandler index;
    private final CmdlineHandler cmdline;
    private final WindowedProfileHandler cpu;
    private final WindowedProfileHandler wall;
    private final SymbolHandler symbol = new SymbolHandler();
    private final DeadlockHandler deadlock = new DeadlockHandler();
    private final LockOrderHandler lockOrder = new LockOrderHandler();
    private final HeapDumpHandler heapDump = new HeapDumpHandler();
    private final TraceHandler trace;
    private final ProfileHandler profiles;
    private final VarsHandler vars;
    private final UiHandler ui;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    PprofRouter(String prefix, AccessFilter access, IndexHandler index, CmdlineHandler cmdline,
                WindowedProfileHandler cpu, WindowedProfileHandler wall, TraceHandler trace, ProfileHandler profiles,
                VarsHandler vars, UiHandler ui) {
        this.ui = ui;
        this.wall = wall;
        this.trace = trace;
        this.prefix = prefix;
        String parent = prefix.substring(0, prefix.lastIndexOf('/'));
        this.varsPath = parent + "/vars";
        this.requestsPath = parent + "/" + RequestsHandler.PATH;
        this.eventsPath = parent + "/" + EventsHandler.PATH;
        this.access = access;
        this.index = index;
        this.cmdline = cmdline;
        this.cpu = cpu;
        this.profiles = profiles;
        this.vars = vars;
    }

    /** Returns where expvar is served: next to the pprof prefix ({@code /debug/pprof} → {@code /debug/vars}). */
    String varsPath() {
        return varsPath;
    }

    @Override
    public void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        ClientConnection connection = ClientConnection.current();
        connection.readDone(); // the headers are in
        PprofExchange ex = new PprofExchange(exchange, connection);
        try {
            if (!access.admit(ex)) return;
            route(ex);
        } catch (PprofExchange.UnreadableBody e) {
            badRequest(ex, e);
        } catch (Throwable e) {
            failed(ex, e);
        }
        if (ex.answered() && exchange.getResponseCode() >= 400) errors.incrementAndGet();
    }

    private void route(PprofExchange ex) throws Exception {
        String path = ex.path();
        String clean = cleanPath(path);
        if (!clean.equals(path)) {
            ex.redirect(escapePath(clean) + (ex.rawQuery().isEmpty() ? "" : "?" + ex.rawQuery()));
            return;
        }
        if (path.equals(varsPath)) {
            vars.serve(ex);
        } else if (path.equals(requestsPath)) {
            requestsPage.serve(ex);
        } else if (path.equals(eventsPath)) {
            eventsPage.serve(ex);
        } else if (path.equals(prefix)) {
            ex.redirect(escapePath(prefix + "/") + (ex.rawQuery().isEmpty() ? "" : "?" + ex.rawQuery()));
        } else if (path.startsWith(prefix + "/")) {
            String name = path.substring(prefix.length() + 1);
            switch (name) {
                case "": index.serve(ex); break;
                case "cmdline": cmdline.serve(ex); break;
                case "profile": cpu.serve(ex); break;
                case dev.diag.cpu.CpuFeature.WALL: wall.serve(ex); break;
                case "symbol": symbol.serve(ex); break;
                case "trace": trace.serve(ex); break;
                case DeadlockHandler.NAME: deadlock.serve(ex); break;
                case LockOrderHandler.NAME: lockOrder.serve(ex); break;
                case HeapDumpHandler.NAME: heapDump.serve(ex); break;
                default:
                    if (name.startsWith(UiHandler.PATH)) {
                        ui.serve(ex, name.substring(UiHandler.PATH.length()), this::serveProfile);
                    }
                    else profiles.serve(ex, name);
            }
        } else {
            ex.httpError(404, GoPprof.NOT_FOUND);
        }
    }

    /** Serves profile {@code name} as {@code PREFIX/NAME} does: the CPU and wall windows, or a registered one. */
    private void serveProfile(PprofExchange ex, String name) throws IOException {
        switch (name) {
            case "profile": cpu.serve(ex); break;
            case dev.diag.cpu.CpuFeature.WALL: wall.serve(ex); break;
            default: profiles.serve(ex, name);
        }
    }

    /** Answers 400 as Go's server does for a body it cannot read; closes when the client is gone. */
    private static void badRequest(PprofExchange ex, PprofExchange.UnreadableBody e) {
        try {
            if (!ex.answered()) {
                ex.httpError(400, "Bad Request: cannot read the request body: " + e.getMessage());
                return;
            }
        } catch (Throwable ignored) {
            // fall through to close
        }
        ex.close();
    }

    /** Answers 500 when nothing was sent yet, else closes; logs at debug level (a request must never print). */
    static void failed(PprofExchange ex, Throwable e) {
        Log.debug("http request failed: " + e);
        try {
            if (!ex.answered()) {
                ex.serveError(500, "internal error: " + e.getClass().getSimpleName());
                return;
            }
        } catch (Throwable ignored) {
            // fall through to close
        }
        ex.close();
    }

    /** Go's ServeMux cleanPath: path.Clean, rooted, keeping a trailing slash. */
    static String cleanPath(String p) {
        if (p.isEmpty()) return "/";
        if (p.charAt(0) != '/') p = "/" + p;
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(seg);
            }
        }
        String np = "/" + String.join("/", out);
        if (p.endsWith("/") && !np.equals("/")) np += "/";
        return np;
    }

    private static String escapePath(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
