package dev.diag.contention;

import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;

import dev.diag.base.Log;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Go's {@code block} or {@code mutex} profile: {@code [contentions/count, delay/nanoseconds]} by stack, period type
 * {@code contentions/count}, period 1, cumulative since diag started. Values are already unbiased (scaled by the
 * sampling in force when each event was recorded), so the period stays 1 even with sampling on.
 */
final class ContentionProfile implements Profile {
    private final String name;
    private final ContentionTable table;
    /** The option that turns this profile on ({@code block.rate}, {@code mutex.fraction}) and its value now. */
    private final String rateKey;
    private final LongSupplier rate;
    /** Whether stderr has been told once that this profile is empty because its rate is 0. */
    private final AtomicBoolean saidOff = new AtomicBoolean();

    /** Hands the hooks' records still in the event ring to the table: a snapshot holds every wait recorded before it. */
    private final Runnable drainRing;

    ContentionProfile(String name, ContentionTable table, String rateKey, LongSupplier rate, Runnable drainRing) {
        this.drainRing = drainRing;
        this.name = name;
        this.table = table;
        this.rateKey = rateKey;
        this.rate = rate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return table.size();
    }

    @Override
    public ProfileData snapshot() {
        drainRing.run();
        var samples = table.samples();
        return new ProfileData(GoProfiles.CONTENTION_TYPES, null, GoProfiles.CONTENTION_PERIOD_TYPE, 1,
                System.currentTimeMillis() * 1_000_000L, 0, samples, whyEmpty(samples.isEmpty()));
    }

    /**
     * Returns the comment that says why the profile records nothing, when its rate is 0 (a plain attach leaves it
     * there, and an empty profile would otherwise look like a program without contention); said once on stderr too.
     */
    private List<String> whyEmpty(boolean empty) {
        if (rate.getAsLong() > 0) return List.of();
        String why = offComment(name, rateKey, ProcessHandle.current().pid());
        if (empty && saidOff.compareAndSet(false, true)) Log.info(why);
        return List.of(why);
    }

    /** The words that say a contention profile is off, and the two ways to turn it on. */
    static String offComment(String profile, String rateKey, long pid) {
        return profile + " profile is off (" + rateKey + "=0), so it records nothing: turn it on with -javaagent:diag.jar="
                + rateKey + "=1, or in the running JVM with java -jar diag.jar attach " + pid + " " + rateKey + "=1";
    }
}
