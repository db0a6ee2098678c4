package dev.diag.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes every call of the annotated method a trace region, as if its body were wrapped in
 * {@code try (Region r = Trace.region(name)) { ... }}. diag's agent adds the region when it loads the class;
 * without the agent the annotation does nothing. OpenTelemetry's {@code @WithSpan} is treated the same way. While
 * diag serves {@code /debug/requests}, each call is also a request of the family named as the region (see
 * {@link Requests}); one that throws counts as an error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Traced {
    /** The region name; empty means {@code SimpleClassName.methodName}. */
    String value() default "";
}
