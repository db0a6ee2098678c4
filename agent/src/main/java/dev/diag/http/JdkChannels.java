package dev.diag.http;

import com.sun.net.httpserver.HttpServer;
import dev.diag.base.Log;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;

/**
 * Finds the socket of a request the JDK's server hands to its executor, so that diag can see a client go away while a
 * window runs (the public API has no way). The JDK's task keeps it in a field of {@code sun.net.httpserver}, a package
 * the module does not open: diag opens it to itself only, through the agent's {@link Instrumentation}. Where that
 * fails (another JDK's layout), {@link #channelOf} answers null and windows run to their end, as before.
 */
final class JdkChannels {
    private static final String PACKAGE = "sun.net.httpserver";
    private static final String EXCHANGE_TASK = PACKAGE + ".ServerImpl$Exchange";

    private final Field channel;

    private JdkChannels(Field channel) {
        this.channel = channel;
    }

    /** Opens the JDK server's package to diag and finds the field; never throws. */
    static JdkChannels open(Instrumentation inst) {
        try {
            Module jdk = HttpServer.class.getModule();
            Module diag = JdkChannels.class.getModule();
            if (inst != null && !jdk.isOpen(PACKAGE, diag)) {
                inst.redefineModule(jdk, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(diag)), Set.of(), Map.of());
            }
            Field f = Class.forName(EXCHANGE_TASK, false, HttpServer.class.getClassLoader()).getDeclaredField("chan");
            if (f.getType() != SocketChannel.class) throw new NoSuchFieldException("chan is a " + f.getType());
            f.setAccessible(true);
            return new JdkChannels(f);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debug("http: cannot see clients go away (the JDK server's connections are hidden): " + e);
            return new JdkChannels(null);
        }
    }

    /** Returns the socket of the JDK's exchange task, or null when unknown. */
    SocketChannel channelOf(Runnable exchangeTask) {
        if (channel == null || !channel.getDeclaringClass().isInstance(exchangeTask)) return null;
        try {
            return (SocketChannel) channel.get(exchangeTask);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
