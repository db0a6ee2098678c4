package dev.diag.it.workloads;

import dev.diag.api.CustomProfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a custom profile {@code example.com/openfiles} (Go's {@code pprof.NewProfile}) of handles it opens:
 * {@code openForRead} opens 5 and closes 2 of them, {@code openForWrite} opens 3; then prints
 * {@code truth read=3 write=3 duplicate=<what a second add of one handle threw>} and stays alive {@code args[0]} ms.
 * With {@code args[1]}, a file: once it exists, {@code openAfterSignal} opens 2 more and prints {@code after}.
 */
public final class OpenFilesWorkload {
    static final CustomProfile OPEN_FILES = CustomProfile.create("example.com/openfiles");

    public static void main(String[] args) throws Exception {
        List<Object> read = new ArrayList<>();
        for (int i = 0; i < 5; i++) read.add(openForRead());
        OPEN_FILES.remove(read.remove(0));
        OPEN_FILES.remove(read.remove(0));
        for (int i = 0; i < 3; i++) openForWrite();
        String duplicate;
        try {
            OPEN_FILES.add(read.get(0));
            duplicate = "none";
        } catch (IllegalArgumentException e) {
            duplicate = e.getClass().getSimpleName();
        }
        System.out.println("truth read=" + read.size() + " write=3 duplicate=" + duplicate);
        System.out.flush();
        long end = System.currentTimeMillis() + Long.parseLong(args[0]);
        if (args.length > 1) {
            Path signal = Path.of(args[1]);
            while (!Files.exists(signal) && System.currentTimeMillis() < end) Thread.sleep(10);
            for (int i = 0; i < 2; i++) openAfterSignal();
            System.out.println("after");
            System.out.flush();
        }
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
    }

    static Object openAfterSignal() {
        Object handle = new Object();
        OPEN_FILES.add(handle);
        return handle;
    }

    static Object openForRead() {
        Object handle = new Object();
        OPEN_FILES.add(handle);
        return handle;
    }

    static Object openForWrite() {
        Object handle = new Object();
        OPEN_FILES.add(handle);
        return handle;
    }
}
