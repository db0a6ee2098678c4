package dev.diag.instrument;

import net.bytebuddy.jar.asm.Opcodes;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a {@link HookedApi} is told about a method with code: its class, name, descriptor, access and annotations. */
final class MethodFacts {
    final WovenClass owner;
    final int access;
    final String name;
    final String descriptor;
    /** Runtime-visible annotations by descriptor, to their {@code value} when it is a string (else null). */
    final Map<String, String> annotations = new LinkedHashMap<>();

    MethodFacts(WovenClass owner, int access, String name, String descriptor) {
        this.owner = owner;
        this.access = access;
        this.name = name;
        this.descriptor = descriptor;
    }

    boolean isStatic() {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    boolean isConstructorOrInitializer() {
        return name.startsWith("<");
    }

    /** The class being woven: its name and what its InnerClasses attribute says of it. */
    static final class WovenClass {
        final String internalName;
        /** The simple name the class's InnerClasses entry gives it ("" when anonymous), or null when it has none. */
        String innerSimpleName;

        WovenClass(String internalName) {
            this.internalName = internalName;
        }

        /** Returns the simple name as {@code Class.getSimpleName} gives it. */
        String simpleName() {
            if (innerSimpleName != null) return innerSimpleName;
            return internalName.substring(internalName.lastIndexOf('/') + 1);
        }
    }
}
