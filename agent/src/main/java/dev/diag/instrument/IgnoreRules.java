package dev.diag.instrument;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Types diag never transforms, whatever an instrumentation matches. Byte Buddy's default ignores every bootstrap
 * class; diag replaces it with this list because its hooks live in {@code java.*}. Names only: every class the JVM
 * loads is asked, and a matcher on modifiers or annotations would parse each one (it made class loading with diag
 * more than twice as slow).
 */
final class IgnoreRules {
    private IgnoreRules() {}

    static ElementMatcher.Junction<TypeDescription> ignored() {
        return nameStartsWith("dev.diag.")                  // diag itself: a hook must never hook its own code
                .or(nameStartsWith("dev.diag.shaded."))      // relocated Byte Buddy
                .or(nameStartsWith("net.bytebuddy."))       // an application's own Byte Buddy
                .or(nameStartsWith("jdk.internal.reflect.")) // generated accessors; retransforming them fails
                .or(nameStartsWith("java.lang.invoke."));   // lambda forms: re-entered while advice links
    }
}
