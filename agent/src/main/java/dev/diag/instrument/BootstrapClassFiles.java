package dev.diag.instrument;

import net.bytebuddy.dynamic.ClassFileLocator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Class files of diag's bootstrap classes for Byte Buddy's type pool. They are defined straight into the boot loader
 * from a nested jar, so no loader can serve them as resources, and Byte Buddy silently drops annotations whose type it
 * cannot read: without this locator, {@code @dev.diag.api.Traced} on an application method would be invisible.
 */
final class BootstrapClassFiles {
    private static final String RESOURCE = "/META-INF/diag/bootstrap.jar";

    private BootstrapClassFiles() {}

    /** Returns a locator of the bootstrap jar's classes, or {@link ClassFileLocator.NoOp} when it is missing. */
    static ClassFileLocator locator() {
        try (InputStream in = BootstrapClassFiles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return ClassFileLocator.NoOp.INSTANCE;
            Map<String, byte[]> files = new HashMap<>();
            try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(in.readAllBytes()))) {
                for (JarEntry e; (e = jar.getNextJarEntry()) != null; ) {
                    if (e.getName().endsWith(".class")) files.put(e.getName(), jar.readAllBytes());
                }
            }
            return ClassFileLocator.Simple.ofResources(files);
        } catch (IOException e) {
            return ClassFileLocator.NoOp.INSTANCE;
        }
    }
}
