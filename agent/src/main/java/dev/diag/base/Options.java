package dev.diag.base;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *
 * <p>Secrets ({@link OptionKey#isSecret()}: {@code http.token}) never leave this class as text: {@link #toString()},
 * {@link #shown} and {@link #redactArgs} (an argument string as the JVM's command line holds it) show them as
 * {@value #REDACTED}, and long values abbreviated. The value itself goes only to the code that checks requests
 * ({@link #bearerToken()}) and into an attach request ({@link #toAgentArgs()}).
 */
public final class Options {
    /** The key that names a file of options, one {@code key=value} a line. */
    static final String CONFIG_KEY = "config";
    /** How a secret value is shown, everywhere options are shown or published. */
    public static final String REDACTED = "<redacted>";
    /** Said once when {@code http.token=} is on a command line: the JVM's (premain) or the attach command's. */
    public static final String SECRET_IN_ARGS_WARNING = "warning: http.token= on the command line shows in ps and "
            + "/proc/PID/cmdline to every user of this machine; use http.token.file=FILE (mode 0600) instead";

    private final Map<OptionKey, String> explicit;
    /** Whether a secret was in the argument string itself (not in a config file): it then shows in {@code ps}. */
    private final boolean secretInArgs;

    private Options(Map<OptionKey, String> explicit, boolean secretInArgs) {
        this.explicit = Collections.unmodifiableMap(explicit);
        this.secretInArgs = secretInArgs;
    }

    /** Returns the options parsed from an agent argument string (null or blank means all defaults). */
    public static Options parse(String args) throws OptionException {
        Map<OptionKey, String> values = new EnumMap<>(OptionKey.class);
        boolean secretInArgs = false;
        OptionKey last = null;
        for (Token t : tokens(args)) {
            if (t.isEmpty()) continue;
            if (t.key() == null) {
                if (last == null) {
                    throw new OptionException("option \"" + Log.abbreviate(t.text().trim()) + "\" has no value (use key=value)");
                }
                values.put(last, values.get(last) + "," + t.text().trim());
                continue;
            }
            if (t.key().equals(CONFIG_KEY)) {
                readConfig(t.value(), values);
                last = null;
                continue;
            }
            last = known(t.key());
            secretInArgs |= last.isSecret();
            values.put(last, t.value());
        }
        for (Map.Entry<OptionKey, String> e : values.entrySet()) {
            check(e.getKey(), e.getValue());
        }
        return new Options(values, secretInArgs);
    }

    /**
     * Returns an agent argument string with every secret's value replaced by {@value #REDACTED}, split exactly as
     * {@link #parse} splits it: the tokens that extend a secret's list ({@code http.token=abc,SECRET}) go with it,
     * spaces around keys count as there, and everything else, even what parse would refuse, stays as written.
     */
    public static String redactArgs(String args) {
        List<String> shown = new ArrayList<>();
        boolean inSecret = false;
        for (Token t : tokens(args)) {
            if (t.key() != null) {
                OptionKey k = OptionKey.byKey(t.key());
                inSecret = k != null && k.isSecret();
            } else if (inSecret) {
                continue; // part of the secret's value
            }
            shown.add(inSecret ? t.text().substring(0, t.text().indexOf('=') + 1) + REDACTED : t.text());
        }
        return String.join(",", shown);
    }

    /**
     * One comma-separated piece of an argument string: {@code key=value} (both trimmed), or, without {@code =}, a
     * piece that extends the list of the key before it ({@code key} null).
     */
    private record Token(String text, String key, String value) {
        boolean isEmpty() {
            return text.isBlank();
        }
    }

    /** Splits an argument string into its tokens, the one way every reader of it (parse, redaction) splits it. */
    private static List<Token> tokens(String args) {
        List<Token> out = new ArrayList<>();
        if (args == null || args.isBlank()) return out;
        for (String text : args.split(",", -1)) {
            int eq = text.indexOf('=');
            out.add(eq < 0 ? new Token(text, null, null)
                    : new Token(text, text.substring(0, eq).trim(), text.substring(eq + 1).trim()));
        }
        return out;
    }

    private static OptionKey known(String key) throws OptionException {
        OptionKey k = OptionKey.byKey(key);
        if (k == null) {
            List<String> keys = new ArrayList<>();
            for (OptionKey o : OptionKey.values()) keys.add(o.key());
            keys.add(CONFIG_KEY);
            String near = Suggestions.closest(key, keys);
            throw new OptionException("unknown option \"" + Log.abbreviate(key) + "\" ("
                    + (near == null ? "" : "did you mean " + near + "? ") + "java -jar diag.jar help lists every option)");
        }
        return k;
    }

    private static void readConfig(String file, Map<OptionKey, String> values) throws OptionException {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new OptionException("cannot read config file \"" + Log.abbreviate(file) + "\": " + FileErrors.describe(e));
        }
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            // One key=value per line; a list value may contain commas. A bad line is named by number, not repeated:
            // it may be a mistyped secret.
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new OptionException("config file \"" + Log.abbreviate(file) + "\" line " + (i + 1)
                        + " is not key=value");
            }
            values.put(known(t.substring(0, eq).trim()), t.substring(eq + 1).trim());
        }
    }

    private static void check(OptionKey key, String value) throws OptionException {
        try {
            key.check(value);
        } catch (RuntimeException e) {
            // Only a check's own words are shown: a parser's message could repeat a secret value.
            String expected = e instanceof OptionKey.Expected && !key.isSecret() ? " (" + e.getMessage() + ")" : "";
            throw new OptionException("bad value for " + key.key() + ": "
                    + (key.isSecret() && !value.isEmpty() ? REDACTED : "\"" + Log.abbreviate(value) + "\"") + expected);
        }
    }

    /** Returns these options with every key {@code overrides} sets replaced by its value (a re-attach's options). */
    public Options with(Options overrides) {
        Map<OptionKey, String> merged = new EnumMap<>(OptionKey.class);
        merged.putAll(explicit);
        merged.putAll(overrides.explicit);
        return new Options(merged, secretInArgs || overrides.secretInArgs);
    }

    /** Returns these options with the values of {@code pathKeys} made absolute against the working directory. */
    public Options withAbsolutePaths(Set<OptionKey> pathKeys) {
        Map<OptionKey, String> resolved = new EnumMap<>(OptionKey.class);
        explicit.forEach((k, v) -> resolved.put(k, pathKeys.contains(k) ? Path.of(v).toAbsolutePath().normalize().toString() : v));
        return new Options(resolved, secretInArgs);
    }

    /**
     * Returns the value set by the user, or the default ("" for features that are off unless set). Not for a secret:
     * see {@link #bearerToken()}.
     */
    public String get(OptionKey key) {
        if (key.isSecret()) throw new IllegalArgumentException(key.key() + " is a secret: use bearerToken()");
        return explicit.getOrDefault(key, key.defaultValue());
    }

    /** Returns whether the user set this key. */
    public boolean isSet(OptionKey key) {
        return explicit.containsKey(key);
    }

    /** Returns whether a secret ({@code http.token=}) was in the argument string itself, where {@code ps} shows it. */
    public boolean secretInArgs() {
        return secretInArgs;
    }

    /**
     * Returns the bearer token every HTTP request must carry: the content of {@code http.token.file} (preferred), or
     * {@code http.token}, or null for none. Throws, with the reason in plain words, when the file cannot be read.
     */
    public String bearerToken() throws IOException {
        if (isSet(OptionKey.HTTP_TOKEN_FILE)) {
            String t;
            try {
                t = Files.readString(Path.of(get(OptionKey.HTTP_TOKEN_FILE)), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                throw new IOException(FileErrors.describe(e), e);
            }
            if (t.isEmpty()) throw new IOException("the file is empty");
            return t;
        }
        return explicit.get(OptionKey.HTTP_TOKEN);
    }

    public long getLong(OptionKey key) {
        return Long.parseLong(get(key).trim());
    }

    /** Returns a duration option in nanoseconds, or 0 when unset. */
    public long getDurationNanos(OptionKey key) {
        String v = get(key);
        return v.isEmpty() ? 0 : GoDuration.parseNanos(v);
    }

    /** Returns whether the profiles in {@code profiles} go somewhere: files in {@code out=} or {@code push=}. */
    public boolean recordsProfiles() {
        return isSet(OptionKey.OUT) || isSet(OptionKey.PUSH);
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

    /** Returns whether the value in effect for {@code key} differs in {@code other} (secrets compared, not shown). */
    public boolean differs(Options other, OptionKey key) {
        return !effective(key).equals(other.effective(key));
    }

    /** Returns the value in effect for {@code key} as shown to the user: "off" for a feature that is unset. */
    public String shown(OptionKey key) {
        String v = effective(key);
        return v.isEmpty() ? "off" : displayed(key, v);
    }

    private String effective(OptionKey key) {
        switch (key) {
            case BLOCK_RATE: return Long.toString(blockRate());
            case MUTEX_FRACTION: return Long.toString(mutexFraction());
            default: return explicit.getOrDefault(key, key.defaultValue());
        }
    }

    /** The one rule for showing a value: a secret as {@value #REDACTED}, any other abbreviated. */
    private static String displayed(OptionKey key, String value) {
        return key.isSecret() ? REDACTED : Log.abbreviate(value);
    }

    /**
     * Returns the options as the user would write them, {@code key=value,...} of the keys set, as shown and published
     * everywhere (log lines, {@code status}, the {@code dev.diag.options} property, attach answers): secrets as
     * {@value #REDACTED}, long values abbreviated.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        explicit.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k.key()).append('=')
                .append(displayed(k, v)));
        return sb.toString();
    }

    /**
     * Returns the options as an agent argument string that {@link #parse} reads back to these options, secrets
     * included: only for the attach request that hands them to the agent in the target JVM.
     */
    public String toAgentArgs() {
        StringBuilder sb = new StringBuilder();
        explicit.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k.key()).append('=').append(v));
        return sb.toString();
    }
}
