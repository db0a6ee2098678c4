package dev.diag.heap;

import dev.diag.pprof.StackValueTable;

import java.util.List;

/** Where the application allocates, per stack {@code [alloc_objects, alloc_space]}, since diag started. */
interface Allocations {
    /** Starts recording; returns false, after one {@code diag:} line, when this source cannot run. */
    boolean start();

    /** Counts every allocation sample taken until now (a snapshot, and a delta of two, holds all of them). */
    void catchUp() throws InterruptedException;

    /** At the JVM's exit, once it has waited for the source: counts what is still held. */
    void finish();

    /** The allocations so far: per stack, {@code [objects, bytes]}. */
    StackValueTable table();

    /** The profile comments that say how the values were made. */
    List<String> comments();
}
