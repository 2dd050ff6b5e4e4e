/**
 * Names shared by every part of a {@code .cwasm}: {@link dev.kiln.artifact.FuncKey} (what a
 * compiled function is), {@link dev.kiln.artifact.Target}, {@link dev.kiln.artifact.TextRange}, and
 * the one failure type of every artifact check, {@link dev.kiln.artifact.ArtifactException}, with
 * its two cases: {@link dev.kiln.artifact.CorruptArtifactException} (the bytes are damaged,
 * unauthenticated or do not have the documented structure; it says which section and file offset)
 * and {@link dev.kiln.artifact.IncompatibleArtifactException} (well formed, but compiled for
 * another target or with other settings). They live here, not in the compiler or loader, because both sides must agree
 * on them bit for bit; see docs/cwasm-format.md.
 */
package dev.kiln.artifact;
