package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Burns CPU in {@code pushBurnHot} and allocates in {@code pushAllocHot} for the number of seconds given (default 5),
 * after diag is in (printing {@code started} first, for a test that attaches diag), then exits: a run whose cpu and
 * allocs windows must name those two methods. The first argument may instead be a file: the work then goes on until
 * that file exists (at most 120 s), for a test that waits for as many windows as it needs. With a second argument {@code labelled}, all of it runs under the label
 * {@code push_job=burn} (only with diag loaded from the start: an attached diag may come after the work begins, and
 * diag's API is not on this class path).
 */
public final class PushWorkload {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        WorkloadSupport.awaitDiagInit();
        String first = args.length > 0 ? args[0] : "5";
        Path stop = first.matches("\\d+") ? null : Path.of(first);
        long end = System.nanoTime() + (stop == null ? Long.parseLong(first) : 120) * 1_000_000_000L;
        boolean labelled = args.length > 1 && args[1].equals("labelled");
        long acc = labelled ? Labelled.work(end, stop) : work(end, stop);
        System.out.println("done " + acc);
    }

    /** Works until {@code end} ({@link System#nanoTime}) or until {@code stop} (null: none) exists. */
    static long work(long end, Path stop) {
        long acc = 0;
        while (System.nanoTime() < end && (stop == null || !Files.exists(stop))) {
            acc += pushBurnHot(200_000);
            pushAllocHot(64);
        }
        return acc;
    }

    /** Apart, so that {@code Labels} is linked only when asked for. */
    private static final class Labelled {
        static long work(long end, Path stop) {
            try (Labels.Scope s = Labels.with("push_job", "burn")) {
                return PushWorkload.work(end, stop);
            }
        }
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
