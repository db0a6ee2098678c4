package dev.diag.threads;

import dev.diag.hook.ThreadCreateHook;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.Sample;
import dev.diag.stack.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's threadcreate profile: the stacks that started platform threads since diag was installed, from
 * {@link ThreadCreateHook}. Threads started before the hook went in have no known creator and are not shown.
 */
public final class ThreadCreateProfile implements Profile {
    private static final Frame OVERFLOW_FRAME =
            new Frame("diag", "threadcreateStacksOverflow", null, null, 0);

    @Override
    public String name() {
        return GoProfiles.THREADCREATE;
    }

    @Override
    public int count() {
        long total = ThreadCreateHook.overflow();
        for (Long v : ThreadCreateHook.snapshot().values()) total += v;
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    @Override
    public ProfileData snapshot() {
        long now = System.currentTimeMillis() * 1_000_000L;
        List<Sample> samples = new ArrayList<>();
        ThreadCreateHook.snapshot().forEach((k, v) -> samples.add(new Sample(k.frames(), new long[] {v})));
        long overflow = ThreadCreateHook.overflow();
        if (overflow > 0) samples.add(new Sample(new Frame[] {OVERFLOW_FRAME}, new long[] {overflow}));
        return new ProfileData(GoProfiles.THREADCREATE_TYPES, null,
                GoProfiles.countPeriodType(GoProfiles.THREADCREATE), 1, now, 0, samples, List.of());
    }
}
