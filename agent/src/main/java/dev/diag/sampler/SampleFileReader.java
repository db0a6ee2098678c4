package dev.diag.sampler;

import dev.diag.jfr.JfrStacks;
import dev.diag.sampler.NativeSampler.Kind;
import dev.diag.sampler.NativeSampler.Sample;
import dev.diag.stack.Frame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the samples of a JFR file async-profiler wrote (chunk format 2, one chunk or several), exactly as
 * {@link JdkSampleFileReader} reads them with the JDK's parser, at a fraction of its cost: the JDK's parser builds
 * objects for every event and field and is big enough to keep the JIT compilers busy for tens of seconds, on diag's
 * account. This one reads the metadata to learn where each field is, indexes the constant pools, walks the events
 * and resolves a constant (a stack, a thread, a class) the first time an event refers to it.
 *
 * <p>A file cut short (the JVM exited while the profiler wrote it) gives the samples of its complete chunks. A file
 * it does not understand throws a {@link JfrFormatException}, and nothing of it counts.
 */
public final class SampleFileReader {
    private static final int HEADER_SIZE = 68;
    private static final int COMPRESSED_INTEGERS = 1;
    private static final Frame[] NO_FRAMES = new Frame[0];

    /** What a field of a sample event is to the reader. */
    private static final byte OTHER = 0, TIME = 1, THREAD = 2, STACK = 3, STATE = 4, CLASS = 5, SIZE = 6, COUNT = 7;

    /**
     * The fields of one sample event type, by role; the types of its constants. {@code threadType} and the like are
     * null when the event type has no such field.
     */
    private record EventLayout(Kind kind, JfrMetadata.Field[] fields, byte[] roles, JfrMetadata.Type threadType,
                               JfrMetadata.Type stackType, JfrMetadata.Type stateType, JfrMetadata.Type classType) {}

    /** A method's names, resolved once per chunk for all the frames that run it. */
    private record MethodNames(String className, String name, String descriptor) {}

    private final JfrInput in;
    private JfrConstantPools pools;
    /**
     * The frames made in this chunk, by method constant and line: the stacks of a file share most of their frames,
     * and making one (its class's source file, its stable name) costs more than finding it.
     */
    private LongIntMap frameOfMethodLine;
    private final List<Frame> frames = new ArrayList<>();
    /**
     * The clock of the file's first chunk, for the events of all its chunks, as the JDK's parser converts ticks
     * (its {@code TimeConverter}): a chunk's epoch nanoseconds and ticks at its start, and ticks per nanosecond rounded
     * down to a whole number before the division.
     */
    private long startNanos;
    private long startTicks;
    private double ticksPerNano;

    /** Reads one constant whose fields start at the input's position; null when it has no value to keep. */
    @FunctionalInterface
    private interface ConstantReader<T> {
        T read(JfrMetadata.Type type) throws JfrFormatException;
    }

    /*
     * Each type is read by one reader only (a class by its binary name, a thread state by its name, a symbol by its
     * string), so that what a pool keeps per constant is that reader's value.
     */
    private final ConstantReader<long[]> asThreadIds = this::readThreadIds;
    private final ConstantReader<Frame[]> asStack = this::readStack;
    private final ConstantReader<MethodNames> asMethodNames = this::readMethod;
    private final ConstantReader<String> asClassName = t -> binaryName(readStringField(t, "name"));
    private final ConstantReader<String> asName = t -> readStringField(t, "name");
    private final ConstantReader<String> asOnlyString = t -> readStringField(t, t.fields()[0].name());

    private SampleFileReader(byte[] bytes) {
        this.in = new JfrInput(bytes);
    }

    /** Returns the samples of {@code file} in the order they are written. */
    public static List<Sample> read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /** Returns the samples of a JFR file's {@code bytes} in the order they are written. */
    public static List<Sample> read(byte[] bytes) throws JfrFormatException {
        List<Sample> samples = new ArrayList<>();
        try {
            new SampleFileReader(bytes).readChunks(samples);
        } catch (RuntimeException | StackOverflowError e) { // what a malformed file leads to: an index out of bounds
            throw new JfrFormatException("malformed JFR file: " + e, e);
        }
        return samples;
    }

    private void readChunks(List<Sample> out) throws JfrFormatException {
        byte[] bytes = in.bytes;
        int start = 0;
        while (bytes.length - start >= HEADER_SIZE) {
            if (bytes[start] != 'F' || bytes[start + 1] != 'L' || bytes[start + 2] != 'R' || bytes[start + 3] != 0) {
                throw new JfrFormatException("no chunk at " + start);
            }
            int major = in.rawShort(start + 4);
            if (major != 2) throw new JfrFormatException("chunk format " + major);
            long size = in.rawLong(start + 8);
            long checkpoint = in.rawLong(start + 16);
            long metadata = in.rawLong(start + 24);
            // An unfinished chunk's header still has the writer's placeholders: no constant pools yet.
            if (size < HEADER_SIZE || size > bytes.length - start || checkpoint <= 0 || metadata <= 0) return;
            if (checkpoint >= size || metadata >= size) {
                throw new JfrFormatException("chunk at " + start + " points beyond itself");
            }
            if ((in.rawInt(start + 64) & COMPRESSED_INTEGERS) == 0) {
                throw new JfrFormatException("uncompressed integers");
            }
            if (start == 0) {
                startNanos = in.rawLong(32);
                startTicks = in.rawLong(48);
                ticksPerNano = in.rawLong(56) / 1_000_000_000L;
                // A clock slower than a tick per nanosecond would divide by zero here (and in the JDK's converter).
                if (ticksPerNano <= 0) throw new JfrFormatException("ticks per second " + in.rawLong(56));
            }
            readChunk(start, (int) size, (int) metadata, (int) checkpoint, out);
            start += (int) size;
        }
    }

    private void readChunk(int start, int size, int metadataOffset, int checkpointOffset, List<Sample> out)
            throws JfrFormatException {
        in.position = start + metadataOffset;
        JfrMetadata metadata = JfrMetadata.read(in);
        pools = JfrConstantPools.index(in, metadata, start, start + size, start + checkpointOffset);
        frameOfMethodLine = new LongIntMap(1024);
        frames.clear();
        LongIntMap layoutOfType = new LongIntMap(8);
        List<EventLayout> layouts = new ArrayList<>();
        for (JfrMetadata.Type t : metadata.types()) {
            EventLayout layout = layout(t);
            if (layout == null) continue;
            layoutOfType.put(t.id(), layouts.size());
            layouts.add(layout);
        }
        int end = start + size;
        int event = start + HEADER_SIZE;
        while (event < end) {
            in.position = event;
            int eventSize = in.readCount();
            if (eventSize == 0) throw new JfrFormatException("event of size 0 at " + event);
            int layout = layoutOfType.get(in.readLong());
            if (layout != LongIntMap.ABSENT) {
                Sample s = sample(layouts.get(layout));
                if (s != null) out.add(s);
            }
            event += eventSize;
        }
    }

    /** Returns how to read events of {@code type}, or null when they are not samples. */
    private static EventLayout layout(JfrMetadata.Type type) throws JfrFormatException {
        Kind kind;
        String threadField;
        switch (String.valueOf(type.name())) {
            case "jdk.ExecutionSample" -> { kind = Kind.CPU; threadField = "sampledThread"; }
            case "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                kind = Kind.ALLOC;
                threadField = "eventThread";
            }
            case "profiler.WallClockSample" -> { kind = Kind.WALL; threadField = "sampledThread"; }
            default -> { return null; }
        }
        JfrMetadata.Field[] fields = type.fields();
        byte[] roles = new byte[fields.length];
        JfrMetadata.Type threadType = null, stackType = null, stateType = null, classType = null;
        boolean hasTime = false;
        for (int i = 0; i < fields.length; i++) {
            JfrMetadata.Field f = fields[i];
            String name = f.name();
            if (name.equals("startTime")) {
                roles[i] = number(f, TIME);
                hasTime = true;
            } else if (name.equals(threadField)) {
                roles[i] = constant(f, THREAD);
                threadType = f.type();
            } else if (name.equals("stackTrace")) {
                roles[i] = constant(f, STACK);
                stackType = f.type();
            } else if (name.equals("state") && kind == Kind.WALL) {
                roles[i] = constant(f, STATE);
                stateType = f.type();
            } else if (name.equals("objectClass") && kind == Kind.ALLOC) {
                roles[i] = constant(f, CLASS);
                classType = f.type();
            } else if (name.equals("allocationSize") && kind == Kind.ALLOC) {
                roles[i] = number(f, SIZE);
            } else if (name.equals("samples") && kind == Kind.WALL) {
                roles[i] = number(f, COUNT);
            }
        }
        if (!hasTime) throw new JfrFormatException(type.name() + " without a start time");
        return new EventLayout(kind, fields, roles, threadType, stackType, stateType, classType);
    }

    private static byte number(JfrMetadata.Field f, byte role) throws JfrFormatException {
        if (f.constantPool() || f.array() || f.type().kind() != JfrMetadata.Kind.INTEGER) {
            throw new JfrFormatException("field " + f.name() + " is not an integer");
        }
        return role;
    }

    private static byte constant(JfrMetadata.Field f, byte role) throws JfrFormatException {
        if (!f.constantPool() || f.array()) throw new JfrFormatException("field " + f.name() + " is not a constant");
        return role;
    }

    private Sample sample(EventLayout layout) throws JfrFormatException {
        long ticks = 0, size = 0, count = 0;
        long thread = 0, stack = 0, state = 0, objectClass = 0;
        boolean hasThread = false, hasStack = false, hasState = false, hasClass = false;
        byte[] roles = layout.roles();
        JfrMetadata.Field[] fields = layout.fields();
        for (int i = 0; i < roles.length; i++) {
            switch (roles[i]) {
                case TIME -> ticks = in.readLong();
                case THREAD -> { thread = in.readLong(); hasThread = true; }
                case STACK -> { stack = in.readLong(); hasStack = true; }
                case STATE -> { state = in.readLong(); hasState = true; }
                case CLASS -> { objectClass = in.readLong(); hasClass = true; }
                case SIZE -> size = in.readLong();
                case COUNT -> count = in.readLong();
                default -> in.skip(fields[i]);
            }
        }
        if (!hasStack) return null;
        Frame[] frames = constant(layout.stackType(), stack, asStack);
        if (frames == null || frames.length == 0) return null;
        long[] threadIds = hasThread ? constant(layout.threadType(), thread, asThreadIds) : null;
        Kind kind = layout.kind();
        return new Sample(kind, threadIds == null ? -1 : javaThreadId(threadIds[0]),
                threadIds == null ? -1 : threadIds[1],
                startNanos + (long) ((ticks - startTicks) / ticksPerNano), frames, kind == Kind.ALLOC ? size : 0,
                hasClass ? constant(layout.classType(), objectClass, asClassName) : null,
                kind == Kind.WALL ? Math.max(1, count) : 1,
                hasState ? constant(layout.stateType(), state, asName) : null, 0, 1);
    }

    /**
     * Returns the Java thread id of a sample as both readers give it: async-profiler records 0 for a thread with no
     * Java id (a compiler or GC thread), which the JDK's parser returns as is up to JDK 17 and as -1 in later JDKs;
     * -1 on every JDK.
     */
    static long javaThreadId(long recorded) {
        return recorded == 0 ? -1 : recorded;
    }

    /** Returns constant {@code key} of {@code type} as {@code reader} reads it, or null when the chunk has none. */
    private <T> T constant(JfrMetadata.Type type, long key, ConstantReader<T> reader) throws JfrFormatException {
        int ordinal = pools.ordinal(type, key);
        return ordinal == LongIntMap.ABSENT ? null : constantAt(type, ordinal, reader);
    }

    /** Returns the constant at {@code ordinal} of {@code type}, read by {@code reader} the first time only. */
    @SuppressWarnings("unchecked") // a type's constants are only ever read by one reader
    private <T> T constantAt(JfrMetadata.Type type, int ordinal, ConstantReader<T> reader) throws JfrFormatException {
        Object known = pools.resolved(type, ordinal);
        if (known != null) return (T) known;
        int saved = in.position;
        in.position = pools.position(type, ordinal);
        T value = reader.read(type);
        in.position = saved;
        if (value != null) pools.resolve(type, ordinal, value);
        return value;
    }

    /** Reads a thread's Java id and OS id (-1 when it has none). */
    private long[] readThreadIds(JfrMetadata.Type type) throws JfrFormatException {
        long[] ids = {-1, -1};
        for (JfrMetadata.Field f : type.fields()) {
            int slot = f.name().equals("javaThreadId") ? 0 : f.name().equals("osThreadId") ? 1 : -1;
            if (slot >= 0) {
                number(f, OTHER);
                ids[slot] = in.readLong();
            } else {
                in.skip(f);
            }
        }
        return ids;
    }

    /** Reads a stack's frames as {@link JfrStacks} makes them. */
    private Frame[] readStack(JfrMetadata.Type type) throws JfrFormatException {
        boolean truncated = false;
        Frame[] frames = NO_FRAMES;
        for (JfrMetadata.Field f : type.fields()) {
            if (f.name().equals("truncated") && !f.constantPool() && !f.array()
                    && f.type().kind() == JfrMetadata.Kind.BYTE) {
                truncated = in.readByte() != 0;
            } else if (f.name().equals("frames") && f.array() && !f.constantPool()) {
                frames = new Frame[in.readCount()];
                for (int i = 0; i < frames.length; i++) frames[i] = frame(f.type());
            } else {
                in.skip(f);
            }
        }
        return JfrStacks.stack(frames, truncated);
    }

    /** Reads one frame written in place. */
    private Frame frame(JfrMetadata.Type type) throws JfrFormatException {
        JfrMetadata.Type methodType = null;
        long methodKey = 0;
        int line = -1;
        for (JfrMetadata.Field f : type.fields()) {
            if (f.name().equals("method")) {
                if (!f.constantPool() || f.array()) throw new JfrFormatException("a frame's method is not a constant");
                methodType = f.type();
                methodKey = in.readLong();
            } else if (f.name().equals("lineNumber")) {
                number(f, OTHER);
                line = in.readInt();
            } else {
                in.skip(f);
            }
        }
        int method = methodType == null ? LongIntMap.ABSENT : pools.ordinal(methodType, methodKey);
        // The JDK's parser hands JfrStacks a frame without a method, which it cannot read either.
        if (method == LongIntMap.ABSENT) throw new JfrFormatException("a frame without its method");
        long methodLine = (long) method << 32 | (line & 0xFFFFFFFFL);
        int known = frameOfMethodLine.get(methodLine);
        if (known != LongIntMap.ABSENT) return frames.get(known);
        MethodNames names = constantAt(methodType, method, asMethodNames);
        Frame frame = JfrStacks.frame(names.className(), names.name(), names.descriptor(), line);
        frameOfMethodLine.put(methodLine, frames.size());
        frames.add(frame);
        return frame;
    }

    private MethodNames readMethod(JfrMetadata.Type type) throws JfrFormatException {
        String className = null, name = null, descriptor = null;
        for (JfrMetadata.Field f : type.fields()) {
            switch (f.name()) {
                case "type" -> {
                    if (!f.constantPool() || f.array()) {
                        throw new JfrFormatException("a method's class is not a constant");
                    }
                    className = constant(f.type(), in.readLong(), asClassName);
                }
                case "name" -> name = string(f);
                case "descriptor" -> descriptor = string(f);
                default -> in.skip(f);
            }
        }
        return new MethodNames(className, name, descriptor);
    }

    /** Reads field {@code fieldName} of a constant as a string; null when its type has no such field. */
    private String readStringField(JfrMetadata.Type type, String fieldName) throws JfrFormatException {
        for (JfrMetadata.Field f : type.fields()) {
            if (f.name().equals(fieldName)) return string(f);
            in.skip(f);
        }
        return null;
    }

    /** Returns a class's binary name (dots, as {@code RecordedClass.getName()} gives it). */
    private static String binaryName(String internalName) {
        return internalName == null ? null : internalName.replace('/', '.');
    }

    /**
     * Reads a string-valued field at the input's position: a string, a key of the string pool, or a key of a type
     * with one field that is a string (as JFR's symbols are).
     */
    private String string(JfrMetadata.Field f) throws JfrFormatException {
        if (f.array()) throw new JfrFormatException("field " + f.name() + " is an array, not a string");
        JfrMetadata.Type type = f.type();
        if (type.kind() == JfrMetadata.Kind.STRING) {
            return f.constantPool() ? pools.string(in.readLong()) : in.readString(pools);
        }
        if (type.kind() == JfrMetadata.Kind.STRUCT && type.fields().length == 1 && f.constantPool()) {
            return constant(type, in.readLong(), asOnlyString);
        }
        throw new JfrFormatException("field " + f.name() + " is not a string");
    }
}
