package dev.diag.push;

import java.util.ArrayDeque;

/**
 * The windows waiting to be sent, bounded by count and by bytes. When full, the oldest window is dropped to make room:
 * a continuous profiler's newest data is the most useful, and a server that was down for an hour gets the last
 * windows, not the first. Thread-safe; the recording thread offers, the push thread peeks and removes.
 */
public final class WindowQueue {
    private final int maxWindows;
    private final long maxBytes;
    private final ArrayDeque<Window> windows = new ArrayDeque<>();
    private long bytes;
    private long dropped;

    public WindowQueue(int maxWindows, long maxBytes) {
        this.maxWindows = maxWindows;
        this.maxBytes = maxBytes;
    }

    /** Adds a window, dropping the oldest ones while over a bound; returns how many were dropped. Never blocks. */
    public synchronized int offer(Window w) {
        windows.addLast(w);
        bytes += w.body().length;
        int droppedNow = 0;
        while (windows.size() > 1 && (windows.size() > maxWindows || bytes > maxBytes)) {
            bytes -= windows.removeFirst().body().length;
            droppedNow++;
        }
        dropped += droppedNow;
        notifyAll();
        return droppedNow;
    }

    /** Returns the oldest window without removing it, waiting up to {@code millis} for one; null when none came. */
    public synchronized Window peek(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (windows.isEmpty()) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return null;
            wait(left);
        }
        return windows.peekFirst();
    }

    /** Removes {@code w} once sent, unless it was dropped meanwhile. */
    public synchronized void remove(Window w) {
        if (windows.peekFirst() == w) {
            windows.removeFirst();
            bytes -= w.body().length;
        }
    }

    public synchronized int size() {
        return windows.size();
    }

    /** Windows dropped because the queue was full, since it was made. */
    public synchronized long dropped() {
        return dropped;
    }
}
