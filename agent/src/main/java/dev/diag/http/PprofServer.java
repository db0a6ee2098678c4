package dev.diag.http;

import com.sun.net.httpserver.HttpServer;
import dev.diag.base.DiagThreads;
import dev.diag.cpu.CpuFeature;
import dev.diag.feature.FeatureContext;
import dev.diag.trace.TraceFeature;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running HTTP server: the JDK's {@code com.sun.net.httpserver} with a bounded pool of {@link #WORKERS} daemon
 * threads {@code diag-http-N} (made when needed, gone after 30 s idle), a queue of {@link #QUEUE} waiting requests
 * (beyond it the connection is closed), and a {@code diag-http-timer} thread that completes delta profiles and ends
 * reads that take too long ({@link ClientConnection}). Nothing here can keep the JVM alive.
 */
final class PprofServer {
    static final int WORKERS = 16;
    static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean stopping;

    private PprofServer(HttpServer server, ThreadPoolExecutor workers, ScheduledThreadPoolExecutor timer) {
        this.server = server;
        this.workers = workers;
        this.timer = timer;
    }

    /** Binds and starts; the caller must be a daemon thread (the JDK's dispatcher thread inherits that). */
    static PprofServer start(FeatureContext agent, CpuFeature cpu, TraceFeature trace, InetSocketAddress address, String prefix, AccessFilter access,
                             WriteTimeout timeout) throws IOException {
        HttpServer http = HttpServer.create(address, 16);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> DiagThreads.newThread("http-" + n.incrementAndGet(), r),
                new ThreadPoolExecutor.AbortPolicy()); // the JDK dispatcher closes a connection it cannot hand over
        workers.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> DiagThreads.newThread("http-timer", r));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        PprofServer s = new PprofServer(http, workers, timer);

        List<String> cmdline = CmdlineHandler.redacted(CmdlineHandler.arguments());
        dev.diag.pprof.GoMemStats.install();
        ServedProfiles served = new ServedProfiles(agent);
        List<String> names = new java.util.ArrayList<>(List.of("profile", "trace", CpuFeature.WALL));
        agent.registry().all().forEach(p -> names.add(p.name()));
        served.publish(names);
        ProfileHandler profiles = new ProfileHandler(agent.registry(), timer, workers,
                () -> agent.options().mutexFraction(), timeout, served);
        PprofRouter router = new PprofRouter(prefix, access,
                new IndexHandler(agent.registry()), new CmdlineHandler(cmdline),
                WindowedProfileHandler.cpu(cpu::cpuProfiler, () -> s.stopping, timeout, served),
                WindowedProfileHandler.wall(cpu::wallProfiler, () -> s.stopping, timeout, served),
                new TraceHandler(trace::tracer, () -> s.stopping, timeout, served),
                profiles,
                new VarsHandler(agent, cmdline),
                new UiHandler(agent.registry(), cpu::wallProfiler));
        agent.addCounter("http.requests", router.requests::get);
        agent.addCounter("http.errors", router.errors::get);
        agent.addCounter("http.deltas.pending", profiles::pendingDeltas);
        agent.addCounter("http.workers.busy", workers::getActiveCount);
        agent.addCounter("vars.dropped", ApplicationVars::droppedVars);
        agent.addCounter("vars.map_keys_dropped", ApplicationVars::droppedMapKeys);
        agent.addCounter("requests.dropped", dev.diag.requests.Counters.requestsDropped::sum);
        agent.addCounter("events.objects_dropped", dev.diag.requests.Counters.eventObjectsDropped::sum);
        agent.addCounter("requests.lines_discarded", dev.diag.requests.Counters.linesDiscarded::sum);
        agent.addCounter("requests.lines_cut", dev.diag.requests.Counters.linesCut::sum);
        http.createContext("/", router);
        http.setExecutor(new ConnectionExecutor(workers, timer, JdkChannels.open(agent.instrumentation())));
        http.start();
        nameDispatcher();
        // Requests and event logs are recorded only while someone can read them.
        dev.diag.requests.RequestFamilies.setEnabled(true);
        dev.diag.requests.EventFamilies.setEnabled(true);
        return s;
    }

    /**
     * The JDK names its dispatcher "HTTP-Dispatcher" and its idle-connection timer "idle-timeout-task"; both are in
     * diag's group (the caller's) and, as all diag's threads, get diag-* names.
     */
    private static void nameDispatcher() {
        DiagThreads.adoptJdkThreads(java.util.Map.of("HTTP-Dispatcher", "diag-http-dispatcher",
                "idle-timeout-task", "diag-http-idle-timeout"));
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops at once: open exchanges are dropped, waiting delta profiles are not answered. */
    void stop() {
        stopping = true;
        dev.diag.requests.RequestFamilies.setEnabled(false);
        dev.diag.requests.EventFamilies.setEnabled(false);
        timer.shutdownNow();
        server.stop(0);
        workers.shutdownNow();
    }
}
