package dev.diag.classfile;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what diag needs from a class file (JVMS §4.1) without a bytecode library: its own name, superclass and
 * interfaces (enough to define classes supertypes first before the bootstrap classes are in place), and its
 * {@code SourceFile} attribute (the file name JFR's stack traces leave out).
 */
public final class ClassFileHeader {
    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_LONG = 5;
    private static final int CONSTANT_DOUBLE = 6;
    private static final int CONSTANT_CLASS = 7;

    /** Binary names ({@code dev.diag.hook.CallDepth}); superName is null for java.lang.Object. */
    public record Names(String name, String superName, List<String> interfaces) {}

    /** The constant pool entries this reader uses: UTF-8 strings, and each class entry's name index. */
    private record Pool(String[] utf8, int[] classNameIndex) {
        String className(int classIndex) {
            return classIndex == 0 ? null : utf8[classNameIndex[classIndex]].replace('/', '.');
        }
    }

    private ClassFileHeader() {}

    /** Returns the class's own name, superclass and interfaces. */
    public static Names read(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        return names(in, constantPool(in));
    }

    /** Returns the class's {@code SourceFile} attribute ({@code Foo.java}), or null when it has none. */
    public static String sourceFile(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        Pool pool = constantPool(in);
        names(in, pool);
        skipMembers(in); // fields
        skipMembers(in); // methods
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            String attribute = pool.utf8()[in.readUnsignedShort()];
            int length = in.readInt();
            if ("SourceFile".equals(attribute) && length == 2) return pool.utf8()[in.readUnsignedShort()];
            in.skipNBytes(length);
        }
        return null;
    }

    /** Reads the magic, the version and the constant pool, leaving {@code in} at the access flags. */
    private static Pool constantPool(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case CONSTANT_UTF8: utf8[i] = in.readUTF(); break;
                case CONSTANT_CLASS: classNameIndex[i] = in.readUnsignedShort(); break;
                case CONSTANT_LONG: case CONSTANT_DOUBLE: in.skipBytes(8); i++; break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                case 15: in.skipBytes(3); break;
                default: throw new IOException("bad constant pool tag " + tag);
            }
        }
        return new Pool(utf8, classNameIndex);
    }

    /** Reads the access flags, this class, the superclass and the interfaces. */
    private static Names names(DataInputStream in, Pool pool) throws IOException {
        in.readUnsignedShort(); // access flags
        String name = pool.className(in.readUnsignedShort());
        String superName = pool.className(in.readUnsignedShort());
        int interfaceCount = in.readUnsignedShort();
        List<String> interfaces = new ArrayList<>(interfaceCount);
        for (int i = 0; i < interfaceCount; i++) interfaces.add(pool.className(in.readUnsignedShort()));
        return new Names(name, superName, interfaces);
    }

    /** Skips the fields or the methods table, attributes included. */
    private static void skipMembers(DataInputStream in) throws IOException {
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            in.skipNBytes(6); // access flags, name, descriptor
            for (int a = in.readUnsignedShort(); a > 0; a--) {
                in.skipNBytes(2);
                in.skipNBytes(in.readInt());
            }
        }
    }
}
