package dev.diag.instrument;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.jar.asm.TypePath;

import java.util.ArrayList;
import java.util.List;

/**
 * Weaves {@link Injection}s into a class file with the ASM that Byte Buddy ships, keeping the class's shape (no new
 * members), as retransformation requires.
 *
 * <p>Locals: an injection's locals go right after the parameters, and the method's own locals move up by their size
 * (loads, stores, {@code iinc}, the local variable table and every stack map frame are remapped); their slots are
 * known at the first instruction, which a slot past {@code max_locals} would not be (ASM reports it last).
 *
 * <p>Frames: the class is read with expanded frames and written without {@code COMPUTE_FRAMES}, which would have to
 * load classes to find common super classes (inside class loading of {@code java.lang.Thread}). The weaver adds its
 * locals to each of the method's frames and writes the one frame it needs itself: the catch-all handler's, where
 * the injected locals and the arguments the exit reads are live, everything else unknown. The injected code has no
 * branches, so it needs no other frame; the hooks it calls catch everything themselves (see {@link Injection}).
 *
 * <p>The catch-all entry is added after the method's own exception table entries, so the method's handlers still
 * catch what they caught; a throw that leaves the method reaches it, runs the exit and is rethrown.
 */
final class HookWeaver {
    /** Operand stack the injected code may use above the method's own: a long, an int, a reference, a Throwable. */
    static final int EXTRA_STACK = 5;

    private HookWeaver() {}

    /** Returns the class file with the apis' injections woven in, or null when no method of it is hooked. */
    static byte[] weave(byte[] classFile, List<HookedApi> apis) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        ClassWeaver weaver = new ClassWeaver(writer, apis);
        reader.accept(weaver, ClassReader.EXPAND_FRAMES);
        return weaver.changed ? writer.toByteArray() : null;
    }

    private static final class ClassWeaver extends ClassVisitor {
        private final List<HookedApi> apis;
        private final boolean readsAnnotations;
        private MethodFacts.WovenClass woven;
        private boolean writesFrames;
        boolean changed;

        ClassWeaver(ClassVisitor out, List<HookedApi> apis) {
            super(Opcodes.ASM9, out);
            this.apis = apis;
            boolean reads = false;
            for (HookedApi api : apis) reads |= api.readsAnnotations();
            this.readsAnnotations = reads;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            woven = new MethodFacts.WovenClass(name);
            writesFrames = (version & 0xFFFF) >= Opcodes.V1_6; // older class files have no stack map frames
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (name.equals(woven.internalName)) woven.innerSimpleName = innerName == null ? "" : innerName;
            super.visitInnerClass(name, outerName, innerName, access);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor out = super.visitMethod(access, name, descriptor, signature, exceptions);
            // Constructors are never hooked: code before super() runs on an uninitialized this.
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || name.startsWith("<")) return out;
            MethodFacts facts = new MethodFacts(woven, access, name, descriptor);
            if (readsAnnotations) return new MethodWeaver(out, facts, null, this);
            Injection injection = injectionFor(facts);
            // A method nothing is injected into goes straight to the writer, which copies it unparsed.
            return injection == null ? out : new MethodWeaver(out, facts, injection, this);
        }

        Injection injectionFor(MethodFacts facts) {
            for (HookedApi api : apis) {
                Injection injection = api.injectionFor(facts);
                if (injection != null) return injection;
            }
            return null;
        }
    }

    private static final class MethodWeaver extends MethodVisitor {
        private final MethodFacts facts;
        private final ClassWeaver owner;
        /** Null until the method's code starts when the apis read annotations; null after it: nothing injected. */
        private Injection injection;
        private InjectedCode code;
        /** The first slot past the parameters: the injected locals start there, the method's own move up. */
        private int firstMoved;
        private int moveBy;
        private Object[] localFrameTypes;
        private Label bodyStart;

        MethodWeaver(MethodVisitor out, MethodFacts facts, Injection injection, ClassWeaver owner) {
            super(Opcodes.ASM9, out);
            this.facts = facts;
            this.injection = injection;
            this.owner = owner;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            AnnotationVisitor out = super.visitAnnotation(descriptor, visible);
            if (!visible || injection != null) return out;
            facts.annotations.put(descriptor, null);
            return new AnnotationVisitor(Opcodes.ASM9, out) {
                @Override
                public void visit(String name, Object value) {
                    if ("value".equals(name) && value instanceof String) facts.annotations.put(descriptor, (String) value);
                    super.visit(name, value);
                }
            };
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (injection == null) injection = owner.injectionFor(facts);
            if (injection == null) return;
            owner.changed = true;
            Type[] arguments = Type.getArgumentTypes(facts.descriptor);
            Type[] locals = injection.locals();
            firstMoved = facts.isStatic() ? 0 : 1;
            for (Type t : arguments) firstMoved += t.getSize();
            localFrameTypes = new Object[locals.length];
            for (int i = 0; i < locals.length; i++) {
                moveBy += locals[i].getSize();
                localFrameTypes[i] = frameType(locals[i]);
            }
            code = new InjectedCode(mv, facts.isStatic(), arguments, locals);
            injection.onEnter(code);
            if (injection.exitOnThrow()) {
                bodyStart = new Label();
                super.visitLabel(bodyStart);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (code != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) injection.onExit(code);
            super.visitInsn(opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int slot) {
            super.visitVarInsn(opcode, moved(slot));
        }

        @Override
        public void visitIincInsn(int slot, int increment) {
            super.visitIincInsn(moved(slot), increment);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
                                       int slot) {
            super.visitLocalVariable(name, descriptor, signature, start, end, moved(slot));
        }

        @Override
        public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start,
                                                              Label[] end, int[] slots, String descriptor,
                                                              boolean visible) {
            int[] moved = new int[slots.length];
            for (int i = 0; i < slots.length; i++) moved[i] = moved(slots[i]);
            return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, moved, descriptor, visible);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (moveBy == 0) {
                super.visitFrame(type, numLocal, local, numStack, stack);
                return;
            }
            if (type != Opcodes.F_NEW) throw new IllegalStateException("compressed frame in an expanded read");
            Object[] withInjected = withInjectedLocals(numLocal, local);
            super.visitFrame(type, withInjected.length, withInjected, numStack, stack);
        }

        /** Returns a frame's locals with the injected ones inserted after the parameters' slots. */
        private Object[] withInjectedLocals(int numLocal, Object[] local) {
            List<Object> out = new ArrayList<>(numLocal + localFrameTypes.length + 2);
            int i = 0;
            int slots = 0;
            while (i < numLocal && slots < firstMoved) {
                Object t = local[i++];
                out.add(t);
                slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
            }
            if (slots > firstMoved) throw new IllegalStateException("a frame's local spans the parameters' end");
            for (; slots < firstMoved; slots++) out.add(Opcodes.TOP);
            for (Object t : localFrameTypes) out.add(t);
            while (i < numLocal) out.add(local[i++]);
            return out.toArray();
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (code == null) {
                super.visitMaxs(maxStack, maxLocals);
                return;
            }
            if (bodyStart != null) {
                Label bodyEnd = new Label();
                Label handler = new Label();
                super.visitLabel(bodyEnd);
                // Registered now, after the method's own entries: the JVM picks the first entry that matches.
                super.visitTryCatchBlock(bodyStart, bodyEnd, handler, "java/lang/Throwable");
                super.visitLabel(handler);
                if (owner.writesFrames) {
                    Object[] locals = handlerLocals();
                    super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
                }
                injection.onExitThrowing(code);
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(maxStack + EXTRA_STACK, maxLocals + moveBy);
        }

        /** The handler's locals: the arguments the exit reads, unknown for the other parameters, the injected ones. */
        private Object[] handlerLocals() {
            List<Object> out = new ArrayList<>();
            if (!facts.isStatic()) out.add(Opcodes.TOP);
            Type[] arguments = Type.getArgumentTypes(facts.descriptor);
            int[] read = injection.argumentsReadOnExit();
            for (int a = 0; a < arguments.length; a++) {
                boolean isRead = false;
                for (int r : read) isRead |= r == a;
                if (isRead) {
                    out.add(frameType(arguments[a]));
                } else {
                    for (int s = 0; s < arguments[a].getSize(); s++) out.add(Opcodes.TOP);
                }
            }
            for (Object t : localFrameTypes) out.add(t);
            return out.toArray();
        }

        private int moved(int slot) {
            return slot < firstMoved ? slot : slot + moveBy;
        }

        /** Returns how a stack map frame names a value of this type. */
        private static Object frameType(Type type) {
            switch (type.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                case Type.ARRAY:
                    return type.getDescriptor();
                default:
                    return type.getInternalName();
            }
        }
    }
}
