package dev.diag.ring;

/** Receives drained records, on the one draining thread. */
public interface RecordHandler {
    /**
     * Handles one record. The view is only valid during this call. A throwing handler loses that record only: the
     * ring frees the slot in {@code finally} and goes on.
     */
    void onRecord(RingRecord record);
}
