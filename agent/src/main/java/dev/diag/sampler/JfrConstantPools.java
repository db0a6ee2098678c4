package dev.diag.sampler;

import java.util.Arrays;

/**
 * The constant pools of one JFR chunk, indexed rather than parsed: where each constant's value starts in the file, by
 * type and key, and room for what a reader made of it, so that each constant is decoded at most once per chunk and
 * only when an event refers to it.
 */
final class JfrConstantPools {
    private static final long CHECKPOINT_EVENT = 1;

    /** One type's constants: key → ordinal, and by ordinal the value's position and what it was resolved to. */
    private static final class Pool {
        final LongIntMap ordinals = new LongIntMap(64);
        int[] positions = new int[64];
        Object[] resolved = new Object[64];
        int size;

        void add(long key, int position) {
            int ordinal = ordinals.get(key);
            if (ordinal == LongIntMap.ABSENT) {
                if (size == positions.length) {
                    positions = Arrays.copyOf(positions, size * 2);
                    resolved = Arrays.copyOf(resolved, size * 2);
                }
                ordinal = size++;
                ordinals.put(key, ordinal);
            }
            positions[ordinal] = position;
        }
    }

    private final JfrInput in;
    private final LongIntMap poolOfType = new LongIntMap(32);
    private Pool[] pools = new Pool[16];
    private int poolCount;
    private final long stringTypeId;

    private JfrConstantPools(JfrInput in, long stringTypeId) {
        this.in = in;
        this.stringTypeId = stringTypeId;
    }

    /**
     * Indexes the checkpoint events of the chunk that starts at {@code chunkStart}: the first at
     * {@code firstCheckpoint}, each one's delta leading to the next, a delta of 0 ending the chain.
     */
    static JfrConstantPools index(JfrInput in, JfrMetadata metadata, int chunkStart, int chunkEnd, int firstCheckpoint)
            throws JfrFormatException {
        long stringTypeId = -1;
        for (JfrMetadata.Type t : metadata.types()) {
            if (t.kind() == JfrMetadata.Kind.STRING) stringTypeId = t.id();
        }
        JfrConstantPools pools = new JfrConstantPools(in, stringTypeId);
        long checkpoint = firstCheckpoint;
        for (int hops = 0; ; hops++) {
            if (checkpoint < chunkStart || checkpoint >= chunkEnd || hops > chunkEnd - chunkStart) {
                throw new JfrFormatException("checkpoint at " + checkpoint + " outside its chunk");
            }
            in.position = (int) checkpoint;
            int size = in.readCount();
            if (in.readLong() != CHECKPOINT_EVENT) throw new JfrFormatException("no checkpoint event at " + checkpoint);
            in.readLong(); // start time
            in.readLong(); // duration
            long delta = in.readLong();
            in.readByte(); // the kind of checkpoint (a flush's or the chunk's)
            int count = in.readCount();
            for (int i = 0; i < count; i++) {
                long typeId = in.readLong();
                JfrMetadata.Type type = metadata.type(typeId);
                if (type == null) throw new JfrFormatException("constants of undeclared type " + typeId);
                Pool pool = pools.pool(typeId, true);
                for (int n = in.readCount(); n > 0; n--) {
                    long key = in.readLong();
                    pool.add(key, in.position);
                    in.skip(type);
                }
            }
            if (in.position != checkpoint + size) {
                throw new JfrFormatException("checkpoint at " + checkpoint + " is not its size");
            }
            if (delta == 0) return pools;
            checkpoint += delta;
        }
    }

    private Pool pool(long typeId, boolean create) {
        int index = poolOfType.get(typeId);
        if (index != LongIntMap.ABSENT) return pools[index];
        if (!create) return null;
        if (poolCount == pools.length) pools = Arrays.copyOf(pools, poolCount * 2);
        Pool p = new Pool();
        pools[poolCount] = p;
        poolOfType.put(typeId, poolCount++);
        return p;
    }

    /**
     * Returns the ordinal of constant {@code key} of {@code type}, to ask for its {@link #position} and
     * {@link #resolved} value; {@link LongIntMap#ABSENT} when the chunk has no such constant.
     */
    int ordinal(JfrMetadata.Type type, long key) {
        Pool p = pool(type.id(), false);
        return p == null ? LongIntMap.ABSENT : p.ordinals.get(key);
    }

    int position(JfrMetadata.Type type, int ordinal) {
        return pool(type.id(), false).positions[ordinal];
    }

    Object resolved(JfrMetadata.Type type, int ordinal) {
        return pool(type.id(), false).resolved[ordinal];
    }

    void resolve(JfrMetadata.Type type, int ordinal, Object value) {
        pool(type.id(), false).resolved[ordinal] = value;
    }

    /** Returns the string constant {@code key}, or null when the chunk has none. */
    String string(long key) throws JfrFormatException {
        Pool p = pool(stringTypeId, false);
        int ordinal = p == null ? LongIntMap.ABSENT : p.ordinals.get(key);
        if (ordinal == LongIntMap.ABSENT) return null;
        if (p.resolved[ordinal] == null) {
            int saved = in.position;
            in.position = p.positions[ordinal];
            p.resolved[ordinal] = in.readString(this);
            in.position = saved;
        }
        return (String) p.resolved[ordinal];
    }
}
