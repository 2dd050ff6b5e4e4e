/**
 * Little-endian byte plumbing shared by the section writers and readers: {@link
 * dev.kiln.artifact.internal.ByteSink} (growable buffer for writers) and {@link
 * dev.kiln.artifact.internal.SectionReader} (bounds-checked reads of a mapped segment that fail with
 * {@code CorruptArtifactException}, never with an index exception). Not exported: the byte
 * encodings are an implementation detail of the module's public readers and writers.
 */
package dev.kiln.artifact.internal;
