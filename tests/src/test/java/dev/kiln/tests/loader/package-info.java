/**
 * The loader on artifacts made without the compiler ({@link dev.kiln.tests.loader.HandBuiltArtifact}:
 * module info and hand-assembled x86-64 under Kiln's calling convention): a {@code .cwasm} mapped,
 * instantiated and run, {@code kiln run} on it, and the load's budget on its whole-table checks.
 */
package dev.kiln.tests.loader;
