/**
 * Java stacks for profiles: captured on application threads by the hooks, interned to small ids that ring records
 * carry, turned back into frames by the drainer.
 *
 * <p>Go records a stack with every block, mutex and threadcreate event (32 frames for block and mutex); so does diag,
 * through one path, {@link dev.diag.stack.StackCapture}: a {@code StackWalker} walk reading only each frame's class
 * and bytecode index, looked up in an exact, bounded cache ({@code StackCache}); a stack seen for the first time is
 * built into {@link dev.diag.stack.Frame}s (names, descriptors, lines), trimmed of synchronization plumbing for wait
 * sites ({@code WaitSiteTrim}: the top frame is the {@code java.util.concurrent} method the application called, as Go
 * shows {@code sync.(*Mutex).Lock}) and interned in {@link dev.diag.stack.StackTable#SHARED}, bounded, with its frames
 * shared with every other kept stack ({@link dev.diag.stack.FrameTable}).
 *
 * <pre>
 * java -javaagent:diag.jar=out=prof,profiles=block,mutex -jar app.jar && go tool pprof -traces prof/block.pb.gz
 * </pre>
 */
package dev.diag.stack;
