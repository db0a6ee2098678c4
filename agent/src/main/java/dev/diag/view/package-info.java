/**
 * Seeing a profile without Go: speedscope's web app (vendored into diag.jar at build time, see agent/pom.xml and
 * NOTICE) serves {@code /debug/pprof/ui/} and {@code java -jar diag.jar view cpu.pb.gz}, which writes one HTML file
 * that opens offline from {@code file://}, as {@code go tool pprof -http} does with a browser and Go installed. Its
 * page picks any sample type and label value ({@code -sample_index}, {@code -tagfocus}) from profiles made for each
 * by {@link dev.diag.view.ProfileFocus}.
 * Nothing here is loaded by the agent's start-up path; the classes run only when a person asks for a view.
 */
package dev.diag.view;
