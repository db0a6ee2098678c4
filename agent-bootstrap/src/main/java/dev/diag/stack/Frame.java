package dev.diag.stack;

/**
 * One Java stack frame as profiles show it: the method, its JVM descriptor, its source file and line.
 *
 * <p>Immutable; equality covers every field, so two frames of the same method at different lines are
 * different (pprof has one Location per method and line). Written by hand rather than as a record: this
 * class is loaded by the bootstrap loader and used from hooks inside JDK methods, where an invokedynamic
 * bootstrap (records' equals/hashCode) could re-enter the hooked method while it links.
 */
public final class Frame {
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final String fileName;
    private final int line;
    private final int hash;
    private String sourcePath; // computed on first use; a racy recompute yields an equal string

    /**
     * @param className  binary name, {@code java.util.concurrent.locks.ReentrantLock}
     * @param methodName {@code lock}
     * @param descriptor JVM method descriptor {@code ()V}, or null when the source does not give it
     * @param fileName   source file name, or null when unknown
     * @param line       source line, or 0 when unknown
     */
    public Frame(String className, String methodName, String descriptor, String fileName, int line) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.fileName = fileName;
        this.line = Math.max(line, 0);
        int h = className.hashCode();
        h = 31 * h + methodName.hashCode();
        h = 31 * h + (descriptor == null ? 0 : descriptor.hashCode());
        h = 31 * h + (fileName == null ? 0 : fileName.hashCode());
        this.hash = 31 * h + this.line;
    }

    public String className() { return className; }

    public String methodName() { return methodName; }

    /** Returns the JVM descriptor, or null when the source of the frame did not give one. */
    public String descriptor() { return descriptor; }

    /** Returns the source file name, or null. */
    public String fileName() { return fileName; }

    /**
     * Returns the source file's path under its source root, {@code java/util/concurrent/locks/ReentrantLock.java}, or
     * null when the file name is unknown: Go's profiles name files by path, and {@code go tool pprof -source_path}
     * and editors find a Java file only by its package directory.
     */
    public String sourcePath() {
        String p = sourcePath;
        if (p == null && fileName != null) sourcePath = p = sourcePath(className, fileName);
        return p;
    }

    /** Returns {@code fileName} under the package directory of {@code className} (nested classes share it). */
    public static String sourcePath(String className, String fileName) {
        int lastDot = className.lastIndexOf('.');
        if (lastDot < 0 || fileName.indexOf('/') >= 0) return fileName;
        // StringBuilder, not '+': this class runs inside hooked JDK methods, where an indy concat could re-enter them.
        StringBuilder path = new StringBuilder(lastDot + 1 + fileName.length()).append(className, 0, lastDot + 1);
        for (int i = 0; i <= lastDot; i++) {
            if (path.charAt(i) == '.') path.setCharAt(i, '/');
        }
        return path.append(fileName).toString();
    }

    /** Returns the source line, or 0 when unknown. */
    public int line() { return line; }

    /** Returns the name pprof shows, Go style: {@code java.util.concurrent.locks.ReentrantLock.lock}. */
    public String functionName() {
        return className + '.' + methodName;
    }

    /** Returns the name with its descriptor, pprof's {@code system_name}. */
    public String systemName() {
        return descriptor == null ? functionName() : functionName() + descriptor;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Frame)) return false;
        Frame f = (Frame) o;
        return hash == f.hash && line == f.line && className.equals(f.className) && methodName.equals(f.methodName)
                && equalOrNull(descriptor, f.descriptor) && equalOrNull(fileName, f.fileName);
    }

    private static boolean equalOrNull(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    @Override
    public int hashCode() { return hash; }

    @Override
    public String toString() {
        return functionName() + '(' + (fileName == null ? "Unknown Source" : fileName) + ':' + line + ')';
    }
}
