package io.opentelemetry.instrumentation.annotations;

import io.opentelemetry.api.trace.SpanKind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stand-in for OpenTelemetry's annotation of the same name (same package, name and {@code value}), so the tests prove
 * that diag recognises {@code @WithSpan} by name without an OpenTelemetry dependency. It has the real one's
 * {@code kind} and {@code inheritContext} too, which OpenTelemetry's Java agent reads from it to make the method's span
 * ({@code TraceLabelsIT}); a JVM without the OpenTelemetry API never reads them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface WithSpan {
    String value() default "";

    SpanKind kind() default SpanKind.INTERNAL;

    boolean inheritContext() default true;
}
