package dev.diag.instrument;

import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NewClassGateTest {
    /** Byte Buddy's transformer, as the gate sees it: records which classes reached it. */
    private static final class Recording extends ResettableClassFileTransformer.AbstractBase {
        final List<String> seen = new ArrayList<>();

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                byte[] classFile) {
            seen.add(name);
            return null;
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                ProtectionDomain domain, byte[] classFile) {
            return transform(loader, name, redefined, domain, classFile);
        }

        @Override
        public java.util.Iterator<net.bytebuddy.agent.builder.AgentBuilder.Transformer> iterator(
                net.bytebuddy.description.type.TypeDescription type, ClassLoader loader,
                net.bytebuddy.utility.JavaModule module, Class<?> redefined, ProtectionDomain domain) {
            return java.util.Collections.emptyIterator();
        }

        @Override
        public boolean reset(Instrumentation inst, ResettableClassFileTransformer transformer,
                             net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy strategy,
                             net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discovery,
                             net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy.BatchAllocator batches,
                             net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy.Listener listener) {
            return true;
        }
    }

    private final Recording byteBuddy = new Recording();
    private final ClassLoader app = NewClassGateTest.class.getClassLoader();

    private ResettableClassFileTransformer gate(NewClassFilter... filters) {
        return new NewClassGate(List.of(filters)).decorate(byteBuddy);
    }

    @Test
    void givenNamedAndPackageFilters_whenClassesAreDefined_thenOnlyThoseTheyPassReachByteBuddy() throws Exception {
        ResettableClassFileTransformer gate = gate(NewClassFilter.named("java.lang.Thread"),
                NewClassFilter.nameStartsWith("java.util.concurrent."));

        for (String name : List.of("java/lang/Thread", "java/lang/ThreadLocal", "java/util/concurrent/ForkJoinPool",
                "java/util/concurrentish/Pool", "com/acme/Service")) {
            gate.transform(Object.class.getModule(), null, name, null, null, new byte[1]);
        }

        assertThat(byteBuddy.seen).containsExactly("java/lang/Thread", "java/util/concurrent/ForkJoinPool");
    }

    @Test
    void givenTheAnnotationFilter_whenApplicationClassesAreDefined_thenOnlyThoseNamingTheAnnotationReachByteBuddy()
            throws Exception {
        ResettableClassFileTransformer gate = gate(new ClassFileMentions("Ldev/diag/api/Traced;"));

        gate.transform(null, app, "dev/diag/instrument/ClassFileMentionsTest$Plain", null, null,
                ClassFileMentionsTest.classFile(ClassFileMentionsTest.Plain.class));
        gate.transform(null, app, "dev/diag/instrument/ClassFileMentionsTest$Annotated", null, null,
                ClassFileMentionsTest.classFile(ClassFileMentionsTest.Annotated.class));

        assertThat(byteBuddy.seen).containsExactly("dev/diag/instrument/ClassFileMentionsTest$Annotated");
    }

    @Test
    void givenARetransformation_whenNoFilterPassesTheClass_thenItStillReachesByteBuddy() throws Exception {
        ResettableClassFileTransformer gate = gate(NewClassFilter.named("java.lang.Thread"));

        gate.transform(null, app, "com/acme/Service", String.class, null, new byte[1]);

        assertThat(byteBuddy.seen).as("Byte Buddy chose the classes it retransforms").containsExactly("com/acme/Service");
    }

    @Test
    void givenAFilterThatThrows_whenAClassIsDefined_thenByteBuddyDecides() throws Exception {
        NewClassFilter broken = (name, loader, classFile) -> {
            throw new IllegalStateException("broken");
        };
        ResettableClassFileTransformer gate = gate(broken);

        gate.transform(null, app, "com/acme/Service", null, null, new byte[1]);

        assertThat(byteBuddy.seen).containsExactly("com/acme/Service");
    }

    @Test
    void givenNoFilterOverride_whenAClassIsDefined_thenItPasses() {
        assertThat(NewClassFilter.ANY.mayTransform("com/acme/Service", app, new byte[1])).isTrue();
    }
}
