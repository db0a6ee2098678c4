package dev.diag.it.workloads;

/** Starts one short-lived platform thread from {@code spawnOne} every 200 ms, 20 times (4 s), after diag is in. */
public final class SpawnEvery200ms {
    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        for (int i = 0; i < 20; i++) {
            spawnOne();
            Thread.sleep(200);
        }
    }

    static void spawnOne() throws InterruptedException {
        Thread t = new Thread(() -> { }, "spawned");
        t.start();
        t.join();
    }
}
