package dev.diag.stackfixture;

import dev.diag.stack.StackCapture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntSupplier;

/**
 * Call sites for stack-capture tests, outside {@code dev.diag.stack} (whose frames count as diag's own and are dropped
 * from the top of captures). {@link #siteA} and {@link #siteB} compile to the same bytecode, so stacks through them
 * differ only in the method, not in any frame's (class, bytecode index).
 */
public final class CaptureSites {
    private CaptureSites() {}

    public static int siteA(StackCapture c) {
        return c.captureId();
    }

    public static int siteB(StackCapture c) {
        return c.captureId();
    }

    /** Captures through two lambdas, called from one call site. */
    public static int[] fromTwoLambdas(StackCapture c) {
        IntSupplier[] suppliers = {() -> siteA(c), () -> siteB(c)};
        int[] ids = new int[2];
        for (int i = 0; i < 2; i++) ids[i] = suppliers[i].getAsInt();
        return ids;
    }

    /** Captures through two method handles of the same type, invoked from one call site. */
    public static int[] fromTwoMethodHandles(StackCapture c) throws Throwable {
        MethodType type = MethodType.methodType(int.class, StackCapture.class);
        MethodHandle[] handles = {
                MethodHandles.lookup().findStatic(CaptureSites.class, "siteA", type),
                MethodHandles.lookup().findStatic(CaptureSites.class, "siteB", type)};
        int[] ids = new int[2];
        for (int i = 0; i < 2; i++) ids[i] = (int) handles[i].invokeExact(c);
        return ids;
    }

    /** Captures through {@code Method.invoke}, whose reflection frames a profile does not show. */
    public static int throughReflection(StackCapture c) throws Exception {
        return (int) CaptureSites.class.getMethod("siteA", StackCapture.class).invoke(null, c);
    }

    /** Captures {@code depth} calls deeper than here: each depth is a distinct stack. */
    public static int atDepth(StackCapture c, int depth) {
        return depth == 0 ? siteA(c) : atDepth(c, depth - 1);
    }
}
