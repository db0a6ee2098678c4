package dev.diag.instrument;

/**
 * Tells, from what the JVM hands a class file transformer (the class's internal name, its loader, its bytes), whether
 * a class being defined for the first time can be one an instrumentation transforms. Byte Buddy's transformer costs
 * about 25 us per class before any matcher runs (it builds a class file locator, a type pool and a description); a
 * filter that says no keeps it off the class entirely. A filter may say yes to classes the instrumentation's
 * {@link TypeInstrumentation#typeMatcher() matcher} then rejects, never the reverse.
 *
 * <p>Runs inside class loading, on any thread: no lambdas, no class loading of its own, nothing that can throw.
 */
public interface NewClassFilter {
    /** Passes every class (the default: the instrumentation's matcher decides alone). */
    NewClassFilter ANY = new NewClassFilter() {
        @Override
        public boolean mayTransform(String internalName, ClassLoader loader, byte[] classFile) {
            return true;
        }
    };

    /** Returns false only when the class cannot be one the instrumentation transforms. */
    boolean mayTransform(String internalName, ClassLoader loader, byte[] classFile);

    /** Passes the classes of these binary names ({@code java.lang.Thread}). */
    static NewClassFilter named(String... binaryNames) {
        String[] internal = new String[binaryNames.length];
        for (int i = 0; i < binaryNames.length; i++) internal[i] = binaryNames[i].replace('.', '/');
        return new NewClassFilter() {
            @Override
            public boolean mayTransform(String internalName, ClassLoader loader, byte[] classFile) {
                for (String n : internal) {
                    if (n.equals(internalName)) return true;
                }
                return false;
            }
        };
    }

    /** Passes the classes whose binary name starts with {@code prefix} ({@code java.util.concurrent.}). */
    static NewClassFilter nameStartsWith(String prefix) {
        String internal = prefix.replace('.', '/');
        return new NewClassFilter() {
            @Override
            public boolean mayTransform(String internalName, ClassLoader loader, byte[] classFile) {
                return internalName.startsWith(internal);
            }
        };
    }
}
