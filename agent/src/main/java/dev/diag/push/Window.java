package dev.diag.push;

/**
 * One recorded window of one profile, ready to send: its bounds in Unix seconds, the request body in the target's
 * format, and the sampling rate in Hz for the profiles that are sampled on a clock (cpu, wall; 0 for the others).
 */
public record Window(String profile, long fromSeconds, long untilSeconds, byte[] body, long sampleRateHz) {}
