package dev.diag.it.workloads;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application with its own Byte Buddy (an older one than diag's): generates a class with it, starts a thread from
 * {@code startWorker}, and prints {@code bytebuddy from=JAR generated=TEXT}.
 */
public final class OwnByteBuddyWorkload {
    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        Object generated = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
                .make().load(OwnByteBuddyWorkload.class.getClassLoader()).getLoaded()
                .getDeclaredConstructor().newInstance();
        startWorker().join();
        System.out.println("bytebuddy from=" + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath()
                + " generated=" + generated.toString().replace(' ', '_'));
    }

    static Thread startWorker() {
        Thread t = new Thread(() -> { }, "app-worker");
        t.start();
        return t;
    }
}
