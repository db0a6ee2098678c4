/**
 * Lock-free bounded rings that carry events from hooks on application threads to diag's one drainer thread.
 *
 * <p>This is what Go's runtime does with its per-P buffers: the thread that blocks pays a few nanoseconds to note the
 * event, and a background goroutine turns notes into profiles. Here a record is eight longs ({@link
 * dev.diag.ring.RingDescriptor}: type, stack id, thread, timestamp, duration, object, two spare longs) in a
 * {@link dev.diag.ring.MpscRing}; {@link dev.diag.ring.StripedRing} stripes rings by thread so that the total
 * memory is bounded however many (virtual) threads there are; {@link dev.diag.ring.EventRing#SHARED} is the one the
 * hooks use. A full ring drops the record and counts it: a hook never waits.
 *
 * <p>Method naming follows JCTools: {@code lv} volatile load, {@code lp} plain load, {@code so} ordered (release)
 * store, {@code sp} plain store, {@code cas} compare-and-set. Each ring class opens with its ordering rules.
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,block.rate=1 -jar app.jar    # hooks write here; prof/block.pb.gz at exit
 * </pre>
 */
package dev.diag.ring;
