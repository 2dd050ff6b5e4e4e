/**
 * Names shared by every part of a {@code .cwasm}: {@link dev.kiln.artifact.FuncKey} (what a
 * compiled function is), {@link dev.kiln.artifact.Target}, {@link dev.kiln.artifact.TextRange}, and
 * the two failures an artifact can have: {@link dev.kiln.artifact.CorruptArtifactException} (the
 * bytes do not have the documented structure) and {@link
 * dev.kiln.artifact.IncompatibleArtifactException} (well formed, but compiled for another target or
 * with other settings). They live here, not in the compiler or loader, because both sides must agree
 * on them bit for bit; see docs/cwasm-format.md.
 */
package dev.kiln.artifact;
