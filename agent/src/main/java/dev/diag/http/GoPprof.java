package dev.diag.http;

import java.util.Map;
import java.util.Set;

/**
 * Every string a Go client sees from {@code net/http/pprof} (Go 1.19), spelled exactly as Go does: error texts,
 * headers, profile descriptions, which profiles take {@code seconds}, and the index page around its rows.
 */
final class GoPprof {
    private GoPprof() {}

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String TEXT_HTML = "text/html; charset=utf-8";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String JSON = "application/json; charset=utf-8";

    static final String ERR_UNKNOWN_PROFILE = "Unknown profile";
    static final String ERR_BAD_SECONDS = "invalid value for \"seconds\" - must be a positive integer";
    static final String ERR_SECONDS_UNSUPPORTED = "\"seconds\" parameter is not supported for this profile type";
    static final String ERR_SECONDS_AND_DEBUG = "seconds and debug params are incompatible";
    static final String ERR_WRITE_TIMEOUT = "profile duration exceeds server's WriteTimeout";
    static final String ERR_COLLECT = "failed to collect profile";
    static final String ERR_DELTA = "failed to compute delta";
    static final String ERR_CPU_PREFIX = "Could not enable CPU profiling: ";
    static final String ERR_TRACE_PREFIX = "Could not enable tracing: ";
    /** Go's ServeMux answer for a path no handler owns. */
    static final String NOT_FOUND = "404 page not found";

    /** The profiles {@code NAME?seconds=N} works for (Go's profileSupportsDelta). */
    static final Set<String> DELTA_PROFILES = Set.of("allocs", "block", "goroutine", "heap", "mutex", "threadcreate");

    /** The endpoints the index lists besides the registered profiles, with count 0. */
    static final String[] INDEX_EXTRAS = {"cmdline", "profile", "trace"};

    /** Go's profileDescriptions; any other (custom) profile has an empty description. */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "allocs", "A sampling of all past memory allocations",
            "block", "Stack traces that led to blocking on synchronization primitives",
            "cmdline", "The command line invocation of the current program",
            "goroutine", "Stack traces of all current goroutines",
            "heap", "A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC "
                    + "before taking the heap sample.",
            "mutex", "Stack traces of holders of contended mutexes",
            "profile", "CPU profile. You can specify the duration in the seconds GET parameter. After you get the "
                    + "profile file, use the go tool pprof command to investigate the profile.",
            "threadcreate", "Stack traces that led to the creation of new OS threads",
            "trace", "A trace of execution of the current program. You can specify the duration in the seconds GET "
                    + "parameter. After you get the trace file, use the go tool trace command to investigate the trace.");

    static final String INDEX_HEAD = "<html>\n"
            + "<head>\n"
            + "<title>/debug/pprof/</title>\n"
            + "<style>\n"
            + ".profile-name{\n"
            + "\tdisplay:inline-block;\n"
            + "\twidth:6rem;\n"
            + "}\n"
            + "</style>\n"
            + "</head>\n"
            + "<body>\n"
            + "/debug/pprof/<br>\n"
            + "<br>\n"
            + "Types of profiles available:\n"
            + "<table>\n"
            + "<thead><td>Count</td><td>Profile</td></thead>\n";
    /** Row format: count, link (path?debug=1), escaped name. */
    static final String INDEX_ROW = "<tr><td>%d</td><td><a href='%s'>%s</a></td></tr>\n";
    static final String INDEX_MIDDLE = "</table>\n"
            + "<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n"
            + "<br>\n"
            + "<p>\n"
            + "Profile Descriptions:\n"
            + "<ul>\n";
    /** Description format: escaped name, escaped description. */
    static final String INDEX_DESCRIPTION = "<li><div class=profile-name>%s: </div> %s</li>\n";
    static final String INDEX_TAIL = "</ul>\n"
            + "</p>\n"
            + "</body>\n"
            + "</html>";
}
