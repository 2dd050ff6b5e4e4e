/**
 * Artifact integrity under damage (issue 12): {@link dev.kiln.tests.integrity.Mutation} damages
 * real {@code .cwasm} files of several modules for both targets the ways disks, copies, tools and
 * broken writers do, {@link dev.kiln.tests.integrity.MutantTrial} loads and runs each in this JVM
 * and holds it to "refused with one clear line, or exactly the right answer", and {@link
 * dev.kiln.tests.integrity.CwasmCorruptionTest} runs thousands of them by default and for as long
 * as asked with {@code scripts/fuzz-cwasm SECONDS}.
 */
package dev.kiln.tests.integrity;
