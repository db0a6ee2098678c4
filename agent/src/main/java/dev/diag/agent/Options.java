package dev.diag.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's configuration, parsed strictly from {@code key=value,key=value} (and {@code config=FILE}).
 *
 * <p>A token without {@code =} extends the list value of the key before it, so
 * {@code out=prof,profiles=cpu,heap,block.rate=1} sets {@code profiles} to {@code cpu,heap}. Anything unknown or
 * malformed is an {@link OptionException} whose message is the one line the user sees; the agent then stays off.
 */
public final class Options {
    private final Map<OptionKey, String> explicit;

    private Options(Map<OptionKey, String> explicit) {
        this.explicit = Collections.unmodifiableMap(explicit);
    }

    /** Returns the options parsed from an agent argument string (null or blank means all defaults). */
    public static Options parse(String args) throws OptionException {
        Map<OptionKey, String> values = new EnumMap<>(OptionKey.class);
        if (args != null && !args.isBlank()) parseInto(args.split(","), values, true);
        for (Map.Entry<OptionKey, String> e : values.entrySet()) {
            check(e.getKey(), e.getValue());
        }
        return new Options(values);
    }

    private static void parseInto(String[] tokens, Map<OptionKey, String> values, boolean allowConfig)
            throws OptionException {
        OptionKey last = null;
        for (String raw : tokens) {
            String token = raw.trim();
            if (token.isEmpty()) continue;
            int eq = token.indexOf('=');
            if (eq < 0) {
                if (last == null) throw new OptionException("option \"" + token + "\" has no value (use key=value)");
                values.put(last, values.get(last) + "," + token);
                continue;
            }
            String key = token.substring(0, eq).trim();
            String value = token.substring(eq + 1).trim();
            if (key.equals("config") && allowConfig) {
                readConfig(value, values);
                last = null;
                continue;
            }
            OptionKey k = OptionKey.byKey(key);
            if (k == null) throw new OptionException("unknown option \"" + key + "\"");
            values.put(k, value);
            last = k;
        }
    }

    private static void readConfig(String file, Map<OptionKey, String> values) throws OptionException {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new OptionException("cannot read config file \"" + file + "\": " + e.getMessage());
        }
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            // One key=value per line; a list value may contain commas.
            int eq = t.indexOf('=');
            if (eq < 0) throw new OptionException("config line \"" + t + "\" is not key=value");
            OptionKey k = OptionKey.byKey(t.substring(0, eq).trim());
            if (k == null) throw new OptionException("unknown option \"" + t.substring(0, eq).trim() + "\"");
            values.put(k, t.substring(eq + 1).trim());
        }
    }

    private static void check(OptionKey key, String value) throws OptionException {
        try {
            key.check(value);
        } catch (RuntimeException e) {
            throw new OptionException("bad value for " + key.key() + ": \"" + value + "\"");
        }
    }

    /** Returns these options with every key {@code overrides} sets replaced by its value (a re-attach's options). */
    public Options with(Options overrides) {
        Map<OptionKey, String> merged = new EnumMap<>(OptionKey.class);
        merged.putAll(explicit);
        merged.putAll(overrides.explicit);
        return new Options(merged);
    }

    /** Returns the value set by the user, or the default ("" for features that are off unless set). */
    public String get(OptionKey key) {
        return explicit.getOrDefault(key, key.defaultValue());
    }

    /** Returns whether the user set this key. */
    public boolean isSet(OptionKey key) {
        return explicit.containsKey(key);
    }

    /** Returns the keys the user set with their values, in table order. */
    public Map<OptionKey, String> explicit() {
        return explicit;
    }

    public long getLong(OptionKey key) {
        return Long.parseLong(get(key).trim());
    }

    /** Returns a duration option in nanoseconds, or 0 when unset. */
    public long getDurationNanos(OptionKey key) {
        String v = get(key);
        return v.isEmpty() ? 0 : GoDuration.parseNanos(v);
    }

    /** Returns the profiles to record for files and push, in the order given. */
    public Set<String> profiles() {
        Set<String> out = new LinkedHashSet<>();
        for (String p : get(OptionKey.PROFILES).split(",")) out.add(p.trim());
        return out;
    }

    /**
     * Returns the effective {@code block.rate}: as set, or 1 when {@code block} is named in {@code profiles}
     * without a rate (naming a profile means wanting it).
     */
    public long blockRate() {
        if (!isSet(OptionKey.BLOCK_RATE) && isSet(OptionKey.PROFILES) && profiles().contains("block")) return 1;
        return getLong(OptionKey.BLOCK_RATE);
    }

    /** Returns the effective {@code mutex.fraction}, 1 when {@code mutex} is named in {@code profiles} without one. */
    public long mutexFraction() {
        if (!isSet(OptionKey.MUTEX_FRACTION) && isSet(OptionKey.PROFILES) && profiles().contains("mutex")) return 1;
        return getLong(OptionKey.MUTEX_FRACTION);
    }

    public Log.Level logLevel() {
        return Log.Level.valueOf(get(OptionKey.LOG).toUpperCase(Locale.ROOT));
    }

    /** Returns the options as the user would write them: {@code key=value,...} of the explicit keys. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        explicit.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k.key()).append('=').append(v));
        return sb.toString();
    }
}
