/**
 * Garbage-collection events as Go prints them: {@code gctrace=1} is Go's {@code GODEBUG=gctrace=1}, one line per
 * collection on stderr in Go's layout, filled from the JVM's GC notifications, with the collector and its cause after
 * Go's fields:
 *
 * <pre>java -javaagent:diag.jar=gctrace=1 -jar app.jar 2&gt;&amp;1 | grep '^gc '</pre>
 */
package dev.diag.gc;
