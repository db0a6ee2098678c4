package io.opentelemetry.instrumentation.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stand-in for OpenTelemetry's annotation of the same name (same package, name and {@code value}), so the tests prove
 * that diag recognises {@code @WithSpan} by name without an OpenTelemetry dependency.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface WithSpan {
    String value() default "";
}
