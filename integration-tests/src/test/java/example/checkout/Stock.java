package example.checkout;

import dev.diag.api.Traced;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Application code with span annotations, outside {@code dev.diag} (diag never instruments its own packages), whose
 * calls are requests on {@code /debug/requests}: {@code Stock.lookup} from {@code @Traced}, {@code reserveStock} from
 * OpenTelemetry's {@code @WithSpan} (its class need not be on the class path at run time).
 */
public final class Stock {
    private Stock() {}

    @Traced
    public static int lookup(boolean fail) {
        if (fail) throw new IllegalStateException("out of stock");
        return 4;
    }

    @WithSpan("reserveStock")
    public static void reserve() {
        // a request of its own, ended on return
    }
}
