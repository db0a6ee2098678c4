package dev.diag.it.workloads;

import dev.diag.api.Labels;

/**
 * Burns CPU in {@code pushBurnHot} and allocates in {@code pushAllocHot} for the number of seconds given (default 5),
 * after diag is in (printing {@code started} first, for a test that attaches diag), then exits: a run whose cpu and
 * allocs windows must name those two methods. All of it runs under the label {@code push_job=burn}.
 */
public final class PushWorkload {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        WorkloadSupport.awaitDiagInit();
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long acc = 0;
        try (Labels.Scope s = Labels.with("push_job", "burn")) {
            while (System.nanoTime() < end) {
                acc += pushBurnHot(200_000);
                pushAllocHot(64);
            }
        }
        System.out.println("done " + acc);
    }

    static long pushBurnHot(int n) {
        long x = 17;
        for (int i = 0; i < n; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        return x;
    }

    static void pushAllocHot(int n) {
        for (int i = 0; i < n; i++) sink = new byte[1024];
    }
}
