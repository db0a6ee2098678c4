package dev.diag.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What an {@link Injection} emits with: loads and stores of the method's arguments and of the injection's own locals,
 * constants, and static calls. Writes below the weaver's local remapping: the slots here are final.
 */
final class InjectedCode {
    private final MethodVisitor out;
    private final Type[] arguments;
    private final int[] argumentSlots;
    private final Type[] locals;
    private final int[] localSlots;

    InjectedCode(MethodVisitor out, boolean isStatic, Type[] arguments, Type[] locals) {
        this.out = out;
        this.arguments = arguments;
        this.argumentSlots = new int[arguments.length];
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < arguments.length; i++) {
            argumentSlots[i] = slot;
            slot += arguments[i].getSize();
        }
        this.locals = locals;
        this.localSlots = new int[locals.length];
        for (int i = 0; i < locals.length; i++) {
            localSlots[i] = slot;
            slot += locals[i].getSize();
        }
    }

    /** Pushes {@code this}. */
    void loadThis() {
        out.visitVarInsn(Opcodes.ALOAD, 0);
    }

    void loadArgument(int index) {
        out.visitVarInsn(arguments[index].getOpcode(Opcodes.ILOAD), argumentSlots[index]);
    }

    /** Replaces an argument with the value on the stack (an executor's task with its wrapper). */
    void storeArgument(int index) {
        out.visitVarInsn(arguments[index].getOpcode(Opcodes.ISTORE), argumentSlots[index]);
    }

    void loadLocal(int index) {
        out.visitVarInsn(locals[index].getOpcode(Opcodes.ILOAD), localSlots[index]);
    }

    void storeLocal(int index) {
        out.visitVarInsn(locals[index].getOpcode(Opcodes.ISTORE), localSlots[index]);
    }

    /** Duplicates the one-slot value on top of the stack: at an exit, the reference the method returns. */
    void dup() {
        out.visitInsn(Opcodes.DUP);
    }

    void pushInt(int value) {
        if (value >= -1 && value <= 5) out.visitInsn(Opcodes.ICONST_0 + value);
        else out.visitLdcInsn(value);
    }

    void pushNull() {
        out.visitInsn(Opcodes.ACONST_NULL);
    }

    void pushString(String value) {
        out.visitLdcInsn(value);
    }

    /** Calls a static hook method, {@code owner} an internal name such as {@code dev/diag/hook/ParkHook}. */
    void callHook(String owner, String name, String descriptor) {
        out.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
    }
}
