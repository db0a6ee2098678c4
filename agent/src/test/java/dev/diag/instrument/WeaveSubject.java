package dev.diag.instrument;

/**
 * Methods {@link HookWeaverTest} weaves: loops, long and double locals, the method's own handlers, a throw that leaves
 * the method, so that moved locals and stack map frames are exercised. Compiled by javac like any application class.
 */
public class WeaveSubject {
    private final int base;

    public WeaveSubject(int base) {
        this.base = base;
    }

    /** A park-like static method: the blocker is argument 0; throws when asked to. */
    public static long wait(Object blocker, long nanos, boolean fail) {
        long sum = 0;
        double scale = 1.5;
        for (int i = 0; i < 3; i++) {
            sum += (long) (i * scale) + nanos;
        }
        if (fail) throw new IllegalStateException("failed with " + blocker);
        return sum;
    }

    /** Handles its own exception: the woven exit must see a normal return only. */
    public static int recovers(Object blocker, String number) {
        int parsed;
        try {
            parsed = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            parsed = -1;
        }
        return parsed;
    }

    /** An instance method whose body has several returns and a reused slot. */
    public long compute(Object blocker, int n) {
        if (n < 0) return -1;
        long acc = base;
        for (int i = 0; i < n; i++) {
            acc += i;
        }
        if (acc > 1000) {
            String s = "big";
            return s.length() + acc;
        }
        Object reused = Integer.valueOf(n);
        return acc + reused.hashCode();
    }

    /** A void method that throws from a nested call. */
    public void fails(Object blocker) {
        Object o = null;
        o.hashCode();
    }

    /** Not hooked: its name does not start with {@code hook} in the test's API. */
    public static int untouched(int x) {
        return x + 1;
    }
}
