package dev.diag.bench;

import dev.diag.api.EventLog;
import dev.diag.api.Events;
import dev.diag.api.Request;
import dev.diag.api.Requests;
import dev.diag.requests.EventFamilies;
import dev.diag.requests.RequestFamilies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the application pays for {@code /debug/requests} and {@code /debug/events}: a request started and finished
 * ({@code Requests.start} + {@code finish}, filed in its buckets and rings), the same with one log line, on one and on
 * two threads of one family, and one line of an event object; {@code recording=false} is the price while diag does
 * not serve the pages (or is absent).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main RequestsBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RequestsBenchmark {
    @Param({"true", "false"})
    public boolean recording;

    private EventLog events;

    @Setup
    public void setUp() throws ReflectiveOperationException {
        ApiCopy.link();
        RequestFamilies.setEnabled(recording);
        EventFamilies.setEnabled(recording);
        events = Events.of("bench.Pool", "primary");
    }

    @Benchmark
    @Threads(1)
    public void startFinish() {
        Requests.start("bench.Handler", "GET /orders").finish();
    }

    @Benchmark
    @Threads(2)
    public void startFinishTwoThreads() {
        Requests.start("bench.Handler", "GET /orders").finish();
    }

    @Benchmark
    @Threads(1)
    public void startLogFinish() {
        Request r = Requests.start("bench.Handler", "GET /orders");
        r.log("served from cache");
        r.finish();
    }

    @Benchmark
    @Threads(1)
    public void eventLine() {
        events.log("connection reused");
    }
}
