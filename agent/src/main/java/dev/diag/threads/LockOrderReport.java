package dev.diag.threads;

import dev.diag.hook.LockOrderHook;
import dev.diag.lockorder.HeldLocks;
import dev.diag.lockorder.LockOrderGraph;
import dev.diag.stack.Frame;
import dev.diag.stack.StackKey;
import dev.diag.stack.StackTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of {@code /debug/pprof/lockorder} and {@code out=/lockorder.txt}: every cycle in the lock-order graph (two
 * locks taken in opposite orders, or a longer ring, up to {@value #MAX_CYCLE} locks), each order with the thread that
 * first took it and both stacks: where the outer lock was taken, and where the inner one was taken while holding it.
 * The cycles are searched here, on the reader's thread, never on a lock's path.
 */
public final class LockOrderReport {
    /** Longest cycle searched for; a longer one is still reported through any shorter cycle it contains. */
    static final int MAX_CYCLE = 4;
    /** Most cycles written; the count line says how many more there were. */
    static final int MAX_CYCLES = 100;
    /** Bound on the search's steps, so that a dense graph cannot make a request slow. */
    private static final int MAX_STEPS = 1_000_000;
    private static final String LETTERS = "ABCD";

    private LockOrderReport() {}

    /** One order in a cycle: the edge from → to, by its index in {@link LockOrderGraph}. */
    record Order(int from, int to, int edge) {}

    /** Returns the text for the graph as it is now. */
    public static String write() {
        List<List<Order>> cycles = cycles(LockOrderGraph.edges());
        StringBuilder sb = new StringBuilder();
        if (cycles.isEmpty()) {
            sb.append("no potential deadlock: no locks were taken in opposite orders\n");
        } else {
            sb.append("lockorder: ").append(cycles.size()).append(cycles.size() >= MAX_CYCLES ? " or more" : "")
                    .append(cycles.size() == 1 ? " potential deadlock" : " potential deadlocks")
                    .append(": locks taken in opposite orders (a deadlock needs only the orders to overlap in time)\n");
        }
        for (int c = 0; c < cycles.size(); c++) appendCycle(sb, c + 1, cycles.get(c));
        sb.append("\nfollowed: ").append(LockOrderGraph.nodes()).append(" locks taken nested, ")
                .append(LockOrderGraph.edges().length).append(" orders; not followed: ")
                .append(LockOrderGraph.nodesDropped()).append(" locks and ").append(LockOrderGraph.edgesDropped())
                .append(" orders (tables full), ").append(LockOrderHook.untracked())
                .append(" acquisitions by a thread already holding ").append(HeldLocks.CAPACITY).append('\n');
        return sb.toString();
    }

    /**
     * Returns the elementary cycles of the graph of {@code edges} ({@code [from, to, edge]}), each once, starting at
     * its lowest node, shortest first; at most {@value #MAX_CYCLES}.
     */
    static List<List<Order>> cycles(int[][] edges) {
        Map<Integer, List<Order>> out = new HashMap<>();
        for (int[] e : edges) out.computeIfAbsent(e[0], k -> new ArrayList<>()).add(new Order(e[0], e[1], e[2]));
        List<List<Order>> found = new ArrayList<>();
        int[] steps = {0};
        for (int length = 2; length <= MAX_CYCLE; length++) {
            for (int start : new java.util.TreeSet<>(out.keySet())) {
                search(out, start, start, new ArrayList<>(), length, found, steps);
                if (found.size() >= MAX_CYCLES) return found;
            }
        }
        return found;
    }

    /** Extends {@code path} from {@code node} through nodes above {@code start} until it returns to start at length. */
    private static void search(Map<Integer, List<Order>> out, int start, int node, List<Order> path, int length,
                               List<List<Order>> found, int[] steps) {
        for (Order o : out.getOrDefault(node, List.of())) {
            if (found.size() >= MAX_CYCLES || ++steps[0] > MAX_STEPS) return;
            if (path.size() + 1 == length) {
                if (o.to() == start) {
                    path.add(o);
                    found.add(List.copyOf(path));
                    path.remove(path.size() - 1);
                }
            } else if (o.to() > start && !visits(path, o.to())) {
                path.add(o);
                search(out, start, o.to(), path, length, found, steps);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean visits(List<Order> path, int node) {
        for (Order o : path) if (o.from() == node) return true;
        return false;
    }

    private static void appendCycle(StringBuilder sb, int number, List<Order> cycle) {
        sb.append("\npotential deadlock ").append(number).append(": ").append(cycle.size())
                .append(" locks, each taken while holding the one before it\n");
        for (int i = 0; i < cycle.size(); i++) {
            sb.append("lock ").append(LETTERS.charAt(i)).append(": ").append(describe(cycle.get(i).from())).append('\n');
        }
        for (int i = 0; i < cycle.size(); i++) {
            Order o = cycle.get(i);
            char from = LETTERS.charAt(i);
            char to = LETTERS.charAt((i + 1) % cycle.size());
            sb.append('\n').append(from).append(" then ").append(to).append(", first by goroutine ")
                    .append(LockOrderGraph.edgeThreadId(o.edge())).append(" \"")
                    .append(LockOrderGraph.edgeThreadName(o.edge())).append("\":\n");
            int outer = LockOrderGraph.edgeOuterSite(o.edge());
            if (outer != 0) {
                sb.append(from).append(" taken at:\n");
            } else {
                outer = LockOrderGraph.nodeSite(o.from());
                sb.append(from).append(" taken at (where it was first seen taken, maybe by another thread):\n");
            }
            appendStack(sb, outer);
            sb.append(to).append(" taken while holding ").append(from).append(" at:\n");
            appendStack(sb, LockOrderGraph.edgeInnerSite(o.edge()));
        }
    }

    private static String describe(int node) {
        String name = LockOrderGraph.nodeName(node);
        int identity = LockOrderGraph.nodeIdentity(node);
        return (name == null ? "?" : name) + (identity == 0 ? " (collected)" : "@" + Integer.toHexString(identity));
    }

    /** Writes a stack as {@code goroutine?debug=2} does, or a line saying why there is none. */
    private static void appendStack(StringBuilder sb, int stackId) {
        StackKey stack = stackId == 0 || stackId == StackTable.OVERFLOW_ID ? null : StackTable.SHARED.stack(stackId);
        if (stack == null) {
            sb.append("\t(no stack: ").append(stackId == StackTable.OVERFLOW_ID ? "the stack table is full"
                    : "the lock was first taken before it was seen nested; its next acquisition is kept").append(")\n");
            return;
        }
        for (Frame f : stack.frames()) {
            sb.append(f.functionName()).append("(...)\n\t").append(f.fileName() == null ? "?" : f.fileName())
                    .append(':').append(Math.max(0, f.line())).append('\n');
        }
    }
}
