/**
 * What {@code /debug/requests} and {@code /debug/events} show, as Go's {@code golang.org/x/net/trace} keeps it:
 * request families with latency buckets and recent requests per bucket ({@link dev.diag.requests.RequestFamilies}),
 * and event families of long-lived objects with their recent log lines ({@link dev.diag.requests.EventFamilies}).
 * Written by the public API ({@code dev.diag.api.Requests}, {@code dev.diag.api.Events}) and by {@code @Traced}
 * methods and trace tasks through {@link dev.diag.hook.RequestHook}; read by diag's HTTP endpoint. Lives in the
 * bootstrap loader so that there is one copy. Every structure is bounded; what does not fit is counted in
 * {@link dev.diag.requests.Counters}.
 */
package dev.diag.requests;
