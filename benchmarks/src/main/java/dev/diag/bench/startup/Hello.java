package dev.diag.bench.startup;

/** The shortest command there is: one line out, exit. */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
