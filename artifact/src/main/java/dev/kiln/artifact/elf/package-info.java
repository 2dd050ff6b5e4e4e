/**
 * The {@code .cwasm} container: an ELF64 little-endian relocatable object whose {@code .text} holds
 * every compiled function in FuncKey order, beside Kiln's own sections, and ends with the seal
 * ({@link dev.kiln.artifact.seal}). {@link dev.kiln.artifact.elf.CwasmWriter} assembles it from
 * linked text ({@link dev.kiln.artifact.elf.TextImage}, written as the file reaches it) plus the
 * tables, into an array or streamed to disk; {@link dev.kiln.artifact.elf.CwasmFile} checks and opens one over a
 * mapped {@link java.lang.foreign.MemorySegment} without copying: the seal first, then the layout
 * ({@link dev.kiln.artifact.elf.SectionTable}), which admits only what the writer produces; {@link
 * dev.kiln.artifact.elf.ArtifactFileWriter} puts one on disk by atomic rename, so a process running
 * the old file keeps running, following only symbolic links this user or root owns ({@link
 * dev.kiln.artifact.elf.TrustedLinkWalk}). ELF was chosen so standard tools ({@code readelf
 * -S}, {@code objdump -d}) work on artifacts; the structures follow the System V gABI (ELF-64 Object
 * File Format, "ELF Header", "Sections", "Symbol Table"). Layout and the reasons behind it:
 * docs/cwasm-format.md.
 */
package dev.kiln.artifact.elf;
