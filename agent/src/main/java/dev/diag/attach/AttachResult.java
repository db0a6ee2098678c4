package dev.diag.attach;

import java.util.ArrayList;
import java.util.List;

/**
 * The target's answer to one attach request, carried back to the CLI as the system property
 * {@link AgentProperties#ATTACH_RESULT}: the request's id, the outcome, and the lines to print.
 *
 * <p>{@code VirtualMachine.loadAgent} returns only when {@code agentmain} has returned, so the CLI reads the property
 * right after it. The id (sent ahead of the options as {@code @ID OPTIONS}) tells the CLI that the answer is to its
 * own request and not to another attach that ran at the same moment.
 */
public record AttachResult(String requestId, Outcome outcome, List<String> lines) {
    /** What happened to the request. */
    public enum Outcome {
        /** Applied; every feature asked for runs. */
        OK,
        /** Applied, but a feature asked for is off (the lines say why). */
        FAILED,
        /** Not applied (a bad or unchangeable option); the running configuration is unchanged. */
        REJECTED
    }

    private static final char ID_MARK = '@';

    /** Returns the agent argument string for a request: {@code @ID OPTIONS}. */
    public static String requestArgs(String requestId, String options) {
        return ID_MARK + requestId + " " + options;
    }

    /** Returns the request id in agent arguments, or "" when they carry none (an agent loaded by another tool). */
    public static String requestId(String agentArgs) {
        if (agentArgs == null || agentArgs.isEmpty() || agentArgs.charAt(0) != ID_MARK) return "";
        int space = agentArgs.indexOf(' ');
        return space < 0 ? agentArgs.substring(1) : agentArgs.substring(1, space);
    }

    /** Returns the options part of agent arguments, with any request id removed. */
    public static String options(String agentArgs) {
        if (agentArgs == null || agentArgs.isEmpty() || agentArgs.charAt(0) != ID_MARK) return agentArgs;
        int space = agentArgs.indexOf(' ');
        return space < 0 ? "" : agentArgs.substring(space + 1);
    }

    /** Publishes this result in the target for the CLI to read. */
    public void publish() {
        publish(AgentProperties.ATTACH_RESULT);
    }

    /** Publishes this result under the system property {@code key} (a window's answer: {@link WindowRequest}). */
    public void publish(String key) {
        System.setProperty(key, encode());
    }

    String encode() {
        StringBuilder sb = new StringBuilder(requestId).append('\n').append(outcome.name());
        for (String line : lines) sb.append('\n').append(line);
        return sb.toString();
    }

    /** Returns the result published as {@code text}, or null when it is missing or malformed. */
    public static AttachResult decode(String text) {
        if (text == null) return null;
        String[] parts = text.split("\n", -1);
        if (parts.length < 2) return null;
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) lines.add(parts[i]);
        return new AttachResult(parts[0], outcome, lines);
    }
}
