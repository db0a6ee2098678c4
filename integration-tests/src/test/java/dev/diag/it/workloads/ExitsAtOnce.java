package dev.diag.it.workloads;

/** A short command: returns from {@code main} at once, with exit code {@link #EXIT_CODE}, before diag has started. */
public final class ExitsAtOnce {
    public static final int EXIT_CODE = 3;

    public static void main(String[] args) {
        System.out.println("done");
        System.exit(EXIT_CODE);
    }
}
