package dev.diag.cli;

import dev.diag.base.OptionKey;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar diag.jar COMMAND}: the command-line face of diag.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "help": case "-h": case "--help":
                printHelp(System.out);
                break;
            case "demo":
                System.exit(Demo.run(rest));
                break;
            case "list":
                System.exit(dev.diag.attach.ListCommand.run(rest, System.out, System.err));
                break;
            case "attach":
                System.exit(dev.diag.attach.AttachCommand.run(rest, System.out, System.err));
                break;
            case "status":
                System.exit(dev.diag.attach.StatusCommand.run(rest, System.out, System.err));
                break;
            case "profile":
                System.exit(dev.diag.attach.ProfileCommand.run(rest, System.out, System.err));
                break;
            case "view":
                System.exit(dev.diag.view.ViewCommand.run(rest, System.out, System.err));
                break;
            default:
                System.err.println("diag: unknown command \"" + command + "\" (try: java -jar diag.jar help)");
                System.exit(2);
        }
    }

    static void printHelp(PrintStream out) {
        out.println("diag: Go's diagnostics for the JVM (pprof profiles, /debug/pprof, execution traces)");
        out.println();
        out.println("Usage:");
        out.println("  java -javaagent:diag.jar=OPTIONS -jar app.jar   profile an application from its start");
        out.println("  java -jar diag.jar demo [DIR]                    profile a bundled demo workload into DIR");
        out.println("  java -jar diag.jar list                          JVMs on this machine: pid, Java, diag version, main");
        out.println("  java -jar diag.jar attach PID [OPTIONS]          load diag into a running JVM, or change its options");
        out.println("  java -jar diag.jar profile PID|-- JAVA-CMD... [-d 10s] [-e EVENT] [-o FILE]");
        out.println("                                                   record one profile (a JVM, or a command started under");
        out.println("                                                   diag) into FILE (default EVENT-PID.pb.gz; .html: a flame");
        out.println("                                                   graph); EVENT: cpu, wall, alloc, lock, block, mutex,");
        out.println("                                                   goroutine (also heap, allocs, threadcreate)");
        out.println("  java -jar diag.jar status PID                    diag's version, options and counters in a JVM");
        out.println("  java -jar diag.jar view FILE|URL [-o OUT.html]   a pprof file or URL as one offline HTML page (flame graph);");
        out.println("         [-sample_type NAME] [-tagfocus KEY=VALUE] the sample type and label value it opens on");
        out.println("  java -jar diag.jar help                          this text");
        out.println();
        out.println("OPTIONS is key=value,key=value (or config=FILE with one key=value per line):");
        for (OptionKey k : OptionKey.values()) {
            String def = k.defaultValue().isEmpty() ? "off" : k.defaultValue();
            // A help text that names its own default (duration: the interval) must not get a second one.
            String text = k.help().contains("(default: ") ? k.help() : k.help() + " (default: " + def + ")";
            out.printf("  %-16s %s%n", k.key(), text);
        }
        out.println();
        out.println("Example: java -javaagent:diag.jar=http=6060,out=prof,profiles=cpu,heap,block -jar app.jar");
        out.println("         go tool pprof -top prof/cpu.pb.gz");
    }
}
