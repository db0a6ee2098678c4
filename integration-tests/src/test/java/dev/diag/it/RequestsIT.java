package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.RequestsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /debug/requests} and {@code /debug/events} (Go's x/net/trace pages) of a real application using diag's
 * {@code Requests}, {@code Events}, {@code @Traced} and trace tasks ({@link RequestsWorkload}), read over HTTP and
 * as a person sees them in headless Chromium (screenshots in {@code target/requests-it/}). Durations are asserted
 * only from below (a 120 ms sleep is ≥0.1s on any machine), never that a fast request stayed fast.
 */
class RequestsIT {
    private static final Path SHOTS = Path.of("target", "requests-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CELL = Pattern.compile("\\[(\\d+) ([^\\]]+)\\]");
    private static final Pattern HISTOGRAM_ROW =
            Pattern.compile(">(\\d+),</td><td[^>]*>(\\d+)\\)</td><td[^>]*class=\"n\">(\\d+)</td>");
    private static final Pattern COUNT = Pattern.compile("Count: (\\d+)<");
    private static final Pattern SLOW_ELAPSED =
            Pattern.compile("<td class=\"elapsed\">([0-9.]+)</td><td>slow order \\d</td>");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenRequestsOfKnownDurations_whenPagesRead_thenFamiliesCountThemInTheirBucketsWithTheirLogs(Jdk jdk,
            @TempDir Path dir) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, RequestsWorkload.class, "", dir.toString())) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));
            Files.writeString(dir.resolve("go"), "go");
            server.jvm.awaitStdout("done", Duration.ofSeconds(60));

            HttpProbe.Response page = server.http.get("/debug/requests");
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            String requests = page.text();

            Map<String, Long> checkout = row(requests, "shop.Checkout");
            assertThat(checkout.get("active")).isZero();
            assertThat(checkout.get("≥0s")).as("every checkout in ≥0s: %s", checkout)
                    .isEqualTo(RequestsWorkload.CHECKOUTS);
            assertThat(checkout.get("≥0.1s")).as("the %d slow ones at least: %s", RequestsWorkload.SLOW, checkout)
                    .isBetween((long) RequestsWorkload.SLOW, (long) RequestsWorkload.CHECKOUTS);
            assertThat(checkout.get("≥0.05s")).isGreaterThanOrEqualTo(checkout.get("≥0.1s"));
            assertThat(checkout.get("errors")).isEqualTo(1);
            assertThat(checkout.keySet()).containsExactly("active", "≥0s", "≥0.05s", "≥0.1s", "≥0.2s", "≥0.5s",
                    "≥1s", "≥10s", "≥100s", "errors");
            Map<String, Long> stream = row(requests, "shop.Stream");
            assertThat(stream.get("active")).isEqualTo(1);
            assertThat(stream.get("≥0s")).isZero();
            Map<String, Long> traced = row(requests, "Stock.lookup");
            assertThat(traced.get("≥0s")).as("@Traced calls: %s", traced).isEqualTo(2);
            assertThat(traced.get("errors")).as("the call that threw").isEqualTo(1);
            assertThat(row(requests, "reserveStock").get("≥0s")).as("the @WithSpan call").isEqualTo(1);
            assertThat(row(requests, "shop.nightlyJob").get("≥0s")).as("the trace task").isEqualTo(1);

            String slow = server.http.get("/debug/requests?fam=shop.Checkout&b=2").text();
            assertThat(slow).contains("Completed Requests [≥0.1s]", "slow order 0", "slow order 1", "reserving stock",
                    "slept 120 ms");
            Matcher elapsed = SLOW_ELAPSED.matcher(slow);
            int slowRows = 0;
            while (elapsed.find()) {
                slowRows++;
                assertThat(Double.parseDouble(elapsed.group(1))).as("elapsed seconds of a 120 ms sleep")
                        .isGreaterThanOrEqualTo(RequestsWorkload.SLOW_MS / 1000.0);
            }
            assertThat(slowRows).isEqualTo(RequestsWorkload.SLOW);
            String summary = server.http.get("/debug/requests?fam=shop.Checkout&b=2&exp=0").text();
            assertThat(summary).contains("slow order 0").doesNotContain("slept 120 ms");
            String errors = server.http.get("/debug/requests?fam=shop.Checkout&b=8").text();
            assertThat(errors).contains("declined order", "card declined").doesNotContain("slow order");
            String active = server.http.get("/debug/requests?fam=shop.Stream&b=-1").text();
            assertThat(active).contains("Active Requests", "long poll", "waiting for updates");
            assertThat(server.http.get("/debug/requests?fam=Stock.lookup&b=8").text())
                    .contains("threw java.lang.IllegalStateException: out of stock");
            String chatty = server.http.get("/debug/requests?fam=shop.Chatty&b=0").text();
            assertThat(chatty).contains("line 0<", "line 3<", "(191 events discarded)", "line 199<")
                    .doesNotContain("line 100<");

            assertThat(requests).contains("<td><a href=\"?fam=shop.Checkout&amp;b=9\">[minute]</a></td>"
                    + "<td><a href=\"?fam=shop.Checkout&amp;b=10\">[hour]</a></td>"
                    + "<td><a href=\"?fam=shop.Checkout&amp;b=11\">[total]</a></td>");
            String total = server.http.get("/debug/requests?fam=shop.Checkout&b=11").text();
            assertThat(total).contains("Latency (&micro;s) of shop.Checkout over all time",
                    "Count: " + RequestsWorkload.CHECKOUTS + "<");
            Map<Long, Long> buckets = histogram(total);
            assertThat(buckets.values().stream().mapToLong(Long::longValue).sum()).as("%s", buckets)
                    .isEqualTo(RequestsWorkload.CHECKOUTS);
            long slowRow = buckets.entrySet().stream().filter(e -> e.getKey() >= 65_536)
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(slowRow).as("the %d requests of 120 ms (120,000 µs) from [65536, 131072) up: %s",
                    RequestsWorkload.SLOW, buckets)
                    .isBetween((long) RequestsWorkload.SLOW, (long) RequestsWorkload.CHECKOUTS);
            // The windows hold what finished within them, at most all the family had (their edges are unit-tested).
            for (int b : new int[] {9, 10}) {
                String window = server.http.get("/debug/requests?fam=shop.Checkout&b=" + b).text();
                assertThat(window).contains(b == 9 ? "over last minute" : "over last hour");
                Matcher count = COUNT.matcher(window);
                assertThat(count.find()).as("%s", window).isTrue();
                assertThat(Long.parseLong(count.group(1))).isBetween(0L, (long) RequestsWorkload.CHECKOUTS);
            }

            String events = server.http.get("/debug/events").text();
            Map<String, Long> pool = row(events, "db.Pool");
            assertThat(pool.get("total")).as("the open object, not the finished one: %s", pool).isEqualTo(1);
            assertThat(pool.get("errors")).isEqualTo(1);
            String poolLog = server.http.get("/debug/events?fam=db.Pool&b=0").text();
            assertThat(poolLog).contains("primary db", "... opened 4 connections", ".E. connection 2 reset")
                    .doesNotContain("closed db");

            assertThat(families(requests)).isEqualTo(RequestsWorkload.OWN_FAMILIES);
            String notRendered = assertSeenInChromium(server, jdk);

            Files.writeString(dir.resolve("bulk"), "go");
            server.jvm.awaitStdout("bulk done", Duration.ofSeconds(60));
            JsonNode diag = JSON.readTree(server.http.get("/debug/vars").body()).path("diag");
            assertThat(families(server.http.get("/debug/requests").text())).as("families kept").isEqualTo(256);
            assertThat(diag.path("requests.dropped").asLong(-1)).as("%s", diag)
                    .isEqualTo(RequestsWorkload.OWN_FAMILIES + RequestsWorkload.MORE_FAMILIES - 256);
            assertThat(diag.path("requests.lines_discarded").asLong(-1)).isEqualTo(191);
            assertThat(diag.path("events.objects_dropped").asLong(-1)).isZero();
            assumeTrue(notRendered == null, "headless Chromium cannot run here, so nothing was rendered: " + notRendered);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenToken_whenPagesRequestedWithoutIt_thenRefusedAsPprof(Jdk jdk, @TempDir Path dir) throws Exception {
        try (HttpJvm guarded = HttpJvm.start(jdk, RequestsWorkload.class, "http.token=s3cret", dir.toString())) {
            for (String path : List.of("/debug/requests", "/debug/events", "/debug/requests?fam=shop.Checkout&b=0")) {
                HttpProbe.Response bare = guarded.http.get(path);
                HttpProbe.Response wrong = guarded.http.send("GET", path, Map.of("Authorization", "Bearer nope"), null);
                HttpProbe.Response bearer = guarded.http.send("GET", path,
                        Map.of("Authorization", "Bearer s3cret"), null);
                assertThat(bare.status()).as("%s %s", path, bare).isEqualTo(401);
                assertThat(wrong.status()).as("%s %s", path, wrong).isEqualTo(401);
                assertThat(bare.text()).doesNotContain("shop.");
                assertThat(bearer.status()).as("%s %s", path, bearer).isEqualTo(200);
                assertThat(bearer.text()).contains("<h1>/debug/");
            }
        }
    }

    /** Renders the pages and asserts on their text; returns why they could not be rendered, or null. */
    private static String assertSeenInChromium(HttpJvm server, Jdk jdk) throws Exception {
        String why = HeadlessChromium.unavailable();
        if (why != null) return why;
        String base = "http://127.0.0.1:" + server.port;
        String shot = "-jdk" + jdk.feature() + ".png";

        String table = HeadlessChromium.text(base + "/debug/requests", t -> t.contains("shop.Checkout"));
        HeadlessChromium.screenshot(base + "/debug/requests", SHOTS.resolve("requests" + shot));
        assertThat(table).as("got %s", table).contains("/debug/requests", "shop.Checkout [0 active] ["
                + RequestsWorkload.CHECKOUTS + " ≥0s]", "shop.Stream [1 active] [0 ≥0s]",
                "Stock.lookup [0 active] [2 ≥0s]");
        assertThat(table).containsPattern("shop\\.Checkout( \\[\\d+ [^\\]]+\\]){9} \\[1 errors\\]");

        String slow = base + "/debug/requests?fam=shop.Checkout&b=2";
        String bucket = HeadlessChromium.text(slow, t -> t.contains("slept 120 ms"));
        HeadlessChromium.screenshot(slow, SHOTS.resolve("requests-bucket" + shot));
        assertThat(bucket).as("got %s", bucket).contains("Family: shop.Checkout", "slow order 1", "... reserving stock",
                "... slept 120 ms");

        String histogram = base + "/debug/requests?fam=shop.Checkout&b=11";
        String latency = HeadlessChromium.text(histogram, t -> t.contains("Count:"));
        HeadlessChromium.screenshot(histogram, SHOTS.resolve("requests-histogram" + shot));
        assertThat(latency).as("got %s", latency).contains("Latency (µs) of shop.Checkout over all time",
                "Count: " + RequestsWorkload.CHECKOUTS + " Mean:", "[minute] [hour] [total]");

        String pool = base + "/debug/events?fam=db.Pool&b=0";
        String events = HeadlessChromium.text(pool, t -> t.contains("db.Pool"));
        HeadlessChromium.screenshot(pool, SHOTS.resolve("events" + shot));
        assertThat(events).as("got %s", events).contains("db.Pool [1 total]", "[1 errors]", "primary db",
                "... opened 4 connections", ".E. connection 2 reset");
        return null;
    }

    /** The {@code [n label]} cells of a family's row, in page order. */
    private static Map<String, Long> row(String page, String family) {
        Matcher m = Pattern.compile("<tr><td class=\"family\">" + Pattern.quote(family) + "</td>(.*?)</tr>")
                .matcher(page);
        assertThat(m.find()).as("a row for %s in %s", family, page).isTrue();
        Map<String, Long> cells = new LinkedHashMap<>();
        Matcher c = CELL.matcher(m.group(1));
        while (c.find()) cells.put(c.group(2), Long.parseLong(c.group(1)));
        return cells;
    }

    /** The histogram's rows: each bucket's lower bound (µs) → its count. */
    private static Map<Long, Long> histogram(String page) {
        Map<Long, Long> rows = new LinkedHashMap<>();
        Matcher m = HISTOGRAM_ROW.matcher(page);
        while (m.find()) rows.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)));
        return rows;
    }

    private static int families(String page) {
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<td class=\"family\">").matcher(page);
        while (m.find()) rows.add(m.group());
        return rows.size();
    }
}
