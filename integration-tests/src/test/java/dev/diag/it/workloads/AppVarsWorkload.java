package dev.diag.it.workloads;

import dev.diag.api.Vars;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes one of each kind of {@code dev.diag.api.Vars} with values the test knows, prints {@code ready}, and idles
 * (at most {@code args[0]} ms): an Int {@code requests} added to {@value #REQUESTS} times by two threads, a Map
 * {@code responses} ({@code 200}: 40, {@code 404}: 2, {@code latency_ms}: 1.5 + 2.25), a Float {@code load} of 0.75, a
 * String {@code build} that needs escaping, a Func {@code queue} returning a map with a list, a null and a boolean, and a
 * Func {@code broken} that throws.
 */
public final class AppVarsWorkload {
    public static final int REQUESTS = 100_000;
    public static final String BUILD = "v1.2 \"quoted\" <b>&\t\u00e9";

    public static void main(String[] args) throws Exception {
        Vars.Int requests = Vars.newInt("requests");
        Vars.Map responses = Vars.newMap("responses");
        Vars.Float load = Vars.newFloat("load");
        Vars.StringVar build = Vars.newString("build");
        Vars.publish("queue", () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("size", 3);
            m.put("items", List.of("a", "b"));
            m.put("owner", null);
            m.put("open", true);
            return m;
        });
        Vars.publish("broken", () -> {
            throw new IllegalStateException("no queue");
        });

        Thread[] adders = new Thread[2];
        for (int t = 0; t < adders.length; t++) {
            adders[t] = new Thread(() -> {
                for (int i = 0; i < REQUESTS / 2; i++) requests.add(1);
            });
            adders[t].start();
        }
        for (Thread t : adders) t.join();
        for (int i = 0; i < 40; i++) responses.add("200", 1);
        responses.add("404", 2);
        responses.addFloat("latency_ms", 1.5);
        responses.addFloat("latency_ms", 2.25);
        load.set(0.75);
        build.set(BUILD);
        try {
            Vars.newInt("memstats");
            System.out.println("memstats accepted");
        } catch (IllegalArgumentException e) {
            System.out.println("memstats refused: " + e.getMessage());
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[0]));
    }
}
