package dev.diag.attach;

import dev.diag.base.Suggestions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code java -jar diag.jar profile -e EVENT} records: async-profiler's event words ({@code cpu}, {@code wall},
 * {@code alloc}, {@code lock}) and Go's profile names, each mapped to the Go profile diag records for it.
 */
enum ProfileEvent {
    CPU("cpu"),
    WALL("wall"),
    ALLOC("allocs"),
    /** async-profiler's lock event: who held the locks others waited for, Go's mutex profile. */
    LOCK("mutex"),
    BLOCK("block"),
    MUTEX("mutex"),
    GOROUTINE("goroutine"),
    HEAP("heap"),
    ALLOCS("allocs"),
    THREADCREATE("threadcreate");

    private final String profile;

    ProfileEvent(String profile) {
        this.profile = profile;
    }

    /** The word on the command line. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Go profile recorded for it. */
    String profile() {
        return profile;
    }

    /** Returns the event a word names; throws with "did you mean" and the list of events when it names none. */
    static ProfileEvent parse(String word) throws AttachException {
        List<String> words = new ArrayList<>();
        for (ProfileEvent e : values()) {
            if (e.word().equals(word)) return e;
            words.add(e.word());
        }
        String near = Suggestions.closest(word, words);
        throw new AttachException(AttachException.USAGE, "no event \"" + word + "\""
                + (near == null ? "" : ": did you mean " + near + "?") + " (events: " + String.join(", ", words) + ")");
    }
}
