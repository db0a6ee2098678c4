package dev.diag.contention;

import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;

import java.util.List;

/**
 * Go's {@code block} or {@code mutex} profile: {@code [contentions/count, delay/nanoseconds]} by stack, period type
 * {@code contentions/count}, period 1, cumulative since diag started. Values are already unbiased (scaled by the
 * sampling in force when each event was recorded), so the period stays 1 even with sampling on.
 */
final class ContentionProfile implements Profile {
    private final String name;
    private final ContentionTable table;

    ContentionProfile(String name, ContentionTable table) {
        this.name = name;
        this.table = table;
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
        return new ProfileData(GoProfiles.CONTENTION_TYPES, null, GoProfiles.CONTENTION_PERIOD_TYPE, 1,
                System.currentTimeMillis() * 1_000_000L, 0, table.samples(), List.of());
    }
}
