package dev.diag.it.workloads;

import java.util.concurrent.CountDownLatch;

/**
 * Parks 6 platform threads in {@code parkedPlatform} and, on JDK 21+, {@code args[1]} virtual threads in
 * {@code parkedVirtual} (started with {@code Thread.ofVirtual()}), prints the platform threads' ids
 * ({@code parked=ID,... main=ID}) and {@code ready}, and sleeps in main for {@code args[0]} ms before it returns (the
 * parked threads are daemons or virtual, so the JVM then exits).
 */
public final class ParkedThreadsWorkload {
    public static final int PLATFORM = 6;
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 60_000;
        int virtual = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < PLATFORM; i++) {
            Thread t = new Thread(ParkedThreadsWorkload::parkedPlatform, "parked-" + i);
            t.setDaemon(true);
            t.start();
            ids.append(i == 0 ? "" : ",").append(t.getId());
        }
        if (virtual > 0 && Runtime.version().feature() >= 21) {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            var start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
            for (int i = 0; i < virtual; i++) start.invoke(builder, (Runnable) ParkedThreadsWorkload::parkedVirtual);
        }
        System.out.println("parked=" + ids + " main=" + Thread.currentThread().getId());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(millis);
    }

    static void parkedPlatform() {
        awaitForever();
    }

    static void parkedVirtual() {
        awaitForever();
    }

    private static void awaitForever() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
