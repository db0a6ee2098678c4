/**
 * What every part of the agent may use and nothing else: the options and their parsing, the {@code diag:} log,
 * diag's own threads, whether the JVM is exiting, and whole-or-absent files. It names no other {@code dev.diag}
 * package, so any package can import it without making a cycle ({@code PackageDependenciesTest}).
 */
package dev.diag.base;
