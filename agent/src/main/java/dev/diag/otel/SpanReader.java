package dev.diag.otel;

import dev.diag.base.Log;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the span of a context through one copy of the OpenTelemetry API: {@code Span.fromContext},
 * {@code getSpanContext} and the span context's ids, as method handles looked up once, in the class loader of that
 * copy's {@code Context} and with its package prefix (none, or the Java agent's {@code io.opentelemetry.javaagent.shaded.}).
 * The local root's name needs the SDK's {@code ReadableSpan} ({@code getName}, {@code getParentSpanContext}), found
 * per span class (the Java agent's SDK is not relocated, so there it is found without the prefix); spans of other
 * implementations have no name here.
 *
 * <p>Speed: a method handle in an instance field is an indirect call the JIT cannot inline, and a span made current
 * reads five to nine of them. The first copy read (most applications have one) and the first span class it meets have
 * their handles in {@code static final} fields too ({@link First}, {@link FirstRootName}), which the JIT treats as
 * constants and inlines like direct calls; other copies take the instance fields.
 */
final class SpanReader {
    private static final String CONTEXT = "io.opentelemetry.context.Context";
    private static final String READABLE_SPAN = "io.opentelemetry.sdk.trace.ReadableSpan";
    private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);
    private static final MethodType OBJECT_TO_STRING = MethodType.methodType(String.class, Object.class);
    private static final MethodType OBJECT_TO_BOOLEAN = MethodType.methodType(boolean.class, Object.class);

    private final String prefix;
    private final MethodHandle fromContext;
    private final MethodHandle getSpanContext;
    private final MethodHandle isValid;
    private final MethodHandle isRemote;
    private final MethodHandle getTraceId;
    private final MethodHandle getSpanId;
    /** Whether this is {@link First#READER}: then its handles are also constants. Set before it is published. */
    private boolean first;
    private static boolean firstTaken;
    /**
     * The reader {@link First} takes its constants from, set before {@code First} is first touched: a static field of
     * {@code First} itself would initialize it, with nothing staged yet, at the first write.
     */
    private static SpanReader staged;
    private final ClassValue<RootName> rootNames = new ClassValue<>() {
        @Override
        protected RootName computeValue(Class<?> spanClass) {
            return RootName.forSpanClass(spanClass, prefix);
        }
    };

    private SpanReader(String prefix, Class<?> context, Class<?> span, Class<?> spanContext)
            throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.prefix = prefix;
        fromContext = lookup.findStatic(span, "fromContext", MethodType.methodType(span, context))
                .asType(OBJECT_TO_OBJECT);
        getSpanContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext))
                .asType(OBJECT_TO_OBJECT);
        isValid = lookup.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class))
                .asType(OBJECT_TO_BOOLEAN);
        isRemote = lookup.findVirtual(spanContext, "isRemote", MethodType.methodType(boolean.class))
                .asType(OBJECT_TO_BOOLEAN);
        getTraceId = lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class))
                .asType(OBJECT_TO_STRING);
        getSpanId = lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class))
                .asType(OBJECT_TO_STRING);
    }

    /**
     * Returns the reader for contexts of this class, or null when it implements no OpenTelemetry {@code Context} or
     * the API's trace classes cannot be found beside it (then its attaches change no labels; said once, in debug).
     */
    static SpanReader forContextClass(Class<?> contextClass) {
        Class<?> context = contextInterface(contextClass);
        if (context == null) return null;
        String prefix = context.getName().substring(0, context.getName().length() - CONTEXT.length());
        try {
            Class<?> span = load(prefix + "io.opentelemetry.api.trace.Span", context, contextClass);
            Class<?> spanContext = Class.forName(prefix + "io.opentelemetry.api.trace.SpanContext", false,
                    span.getClassLoader());
            return takeFirst(new SpanReader(prefix, context, span, spanContext));
        } catch (Throwable e) {
            Log.debug("OpenTelemetry contexts of " + contextClass.getName() + " carry no span labels: " + e);
            return null;
        }
    }

    /** Makes {@code reader} the {@link First} one when there is none yet; returns it. */
    private static synchronized SpanReader takeFirst(SpanReader reader) {
        if (!firstTaken) {
            firstTaken = true;
            staged = reader;
            reader.first = First.READER == reader; // initializes First, whose constants are this reader's handles
        }
        return reader;
    }

    /**
     * The first reader's handles as constants: initialized once, when {@link #takeFirst} has set {@link #staged}, and
     * read only through a reader whose {@code first} is true.
     */
    private static final class First {
        static final SpanReader READER = staged;
        static final MethodHandle FROM_CONTEXT = READER.fromContext;
        static final MethodHandle GET_SPAN_CONTEXT = READER.getSpanContext;
        static final MethodHandle IS_VALID = READER.isValid;
        static final MethodHandle IS_REMOTE = READER.isRemote;
        static final MethodHandle GET_TRACE_ID = READER.getTraceId;
        static final MethodHandle GET_SPAN_ID = READER.getSpanId;
    }

    /** Returns the OpenTelemetry {@code Context} interface the class implements (any package prefix), or null. */
    private static Class<?> contextInterface(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().endsWith(CONTEXT)) return i;
                Class<?> inherited = contextInterface(i);
                if (inherited != null) return inherited;
            }
        }
        return null;
    }

    /** Loads a class of the API from the loader of its {@code Context}, else from that of the context's class. */
    private static Class<?> load(String name, Class<?> context, Class<?> contextClass) throws ClassNotFoundException {
        try {
            return Class.forName(name, false, context.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Class.forName(name, false, contextClass.getClassLoader());
        }
    }

    Object span(Object context) throws Throwable {
        if (first) return (Object) First.FROM_CONTEXT.invokeExact(context);
        return (Object) fromContext.invokeExact(context);
    }

    Object spanContext(Object span) throws Throwable {
        if (first) return (Object) First.GET_SPAN_CONTEXT.invokeExact(span);
        return (Object) getSpanContext.invokeExact(span);
    }

    boolean isValid(Object spanContext) throws Throwable {
        if (first) return (boolean) First.IS_VALID.invokeExact(spanContext);
        return (boolean) isValid.invokeExact(spanContext);
    }

    private boolean isRemote(Object spanContext) throws Throwable {
        if (first) return (boolean) First.IS_REMOTE.invokeExact(spanContext);
        return (boolean) isRemote.invokeExact(spanContext);
    }

    String traceId(Object spanContext) throws Throwable {
        if (first) return (String) First.GET_TRACE_ID.invokeExact(spanContext);
        return (String) getTraceId.invokeExact(spanContext);
    }

    String spanId(Object spanContext) throws Throwable {
        if (first) return (String) First.GET_SPAN_ID.invokeExact(spanContext);
        return (String) getSpanId.invokeExact(spanContext);
    }

    /** Returns the span's name when it is a local root (no parent, or a remote one), else null; null when unknown. */
    String localRootName(Object span) throws Throwable {
        RootName r = rootNames.get(span.getClass());
        if (r == null) return null;
        Object parent = r.parentSpanContext(span);
        if (parent != null && isValid(parent) && !isRemote(parent)) return null;
        return r.name(span);
    }

    /** The SDK's {@code ReadableSpan} accessors for one span class. */
    private static final class RootName {
        final MethodHandle getName;
        final MethodHandle getParentSpanContext;
        /** Whether this is {@link FirstRootName#ROOT_NAME}: then its handles are also constants. */
        private boolean first;
        private static boolean firstTaken;
        /** As {@link SpanReader#staged}, for {@link FirstRootName}. */
        private static RootName staged;

        private RootName(MethodHandle getName, MethodHandle getParentSpanContext) {
            this.getName = getName;
            this.getParentSpanContext = getParentSpanContext;
        }

        String name(Object span) throws Throwable {
            if (first) return (String) FirstRootName.GET_NAME.invokeExact(span);
            return (String) getName.invokeExact(span);
        }

        Object parentSpanContext(Object span) throws Throwable {
            if (first) return (Object) FirstRootName.GET_PARENT_SPAN_CONTEXT.invokeExact(span);
            return (Object) getParentSpanContext.invokeExact(span);
        }

        /** As {@link SpanReader#takeFirst}, for the first span class met. */
        private static synchronized RootName takeFirst(RootName r) {
            if (!firstTaken) {
                firstTaken = true;
                staged = r;
                r.first = FirstRootName.ROOT_NAME == r;
            }
            return r;
        }

        /** Returns the accessors when the class implements the SDK's {@code ReadableSpan}, else null. */
        static RootName forSpanClass(Class<?> spanClass, String prefix) {
            // The Java agent relocates the API but not its SDK: its spans implement an unprefixed ReadableSpan.
            Class<?> readable = implemented(spanClass, prefix + READABLE_SPAN);
            if (readable == null && !prefix.isEmpty()) readable = implemented(spanClass, READABLE_SPAN);
            if (readable == null) return null;
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> spanContext = readable.getMethod("getParentSpanContext").getReturnType();
                return takeFirst(new RootName(
                        lookup.findVirtual(readable, "getName", MethodType.methodType(String.class))
                                .asType(OBJECT_TO_STRING),
                        lookup.findVirtual(readable, "getParentSpanContext", MethodType.methodType(spanContext))
                                .asType(OBJECT_TO_OBJECT)));
            } catch (Throwable e) {
                Log.debug("spans of " + spanClass.getName() + " carry no span_name: " + e);
                return null;
            }
        }

        private static Class<?> implemented(Class<?> type, String name) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().equals(name)) return i;
                    Class<?> inherited = implemented(i, name);
                    if (inherited != null) return inherited;
                }
            }
            return null;
        }
    }

    /** The first span class's accessors as constants, as {@link First}. */
    private static final class FirstRootName {
        static final RootName ROOT_NAME = RootName.staged;
        static final MethodHandle GET_NAME = ROOT_NAME.getName;
        static final MethodHandle GET_PARENT_SPAN_CONTEXT = ROOT_NAME.getParentSpanContext;
    }
}
