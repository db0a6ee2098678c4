package dev.diag.pprof;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profiles this JVM serves, by name: Go's {@code pprof.Lookup} and {@code pprof.Profiles}. Built-ins are
 * registered here; the application's own ({@code dev.diag.api.CustomProfile}) are found by name when asked for, since
 * they come and go with the application. The HTTP index, {@code out=} files and continuous profiling read from it.
 */
public final class ProfileRegistry {
    private final Map<String, Profile> profiles = new TreeMap<>();

    /** Registers a profile. @throws IllegalStateException if the name is taken (as Go's NewProfile panics) */
    public synchronized void register(Profile profile) {
        if (profiles.putIfAbsent(profile.name(), profile) != null) {
            throw new IllegalStateException("profile name already registered: " + profile.name());
        }
    }

    /** Returns the profile with this name (a built-in, or one the application made), or null. */
    public synchronized Profile lookup(String name) {
        Profile p = profiles.get(name);
        return p != null ? p : CustomProfiles.lookup(name);
    }

    /** Returns every profile, the application's own included, sorted by name. */
    public synchronized List<Profile> all() {
        List<Profile> out = new ArrayList<>(profiles.values());
        for (Profile custom : CustomProfiles.all()) {
            if (!profiles.containsKey(custom.name())) out.add(custom);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
