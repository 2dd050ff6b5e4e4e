/**
 * How much memory a compile holds (issue 40, "bounded memory"), checked by counting bytes rather
 * than timing: a module whose compile fits a small heap only when no whole-module copy of the code
 * or of the side tables is made ({@link dev.kiln.tests.memory.CompileMemoryTest}), and file reads
 * and writes that copy through the JDK's native buffers a slice at a time ({@link
 * dev.kiln.tests.memory.NativeCopyBufferTest}).
 */
package dev.kiln.tests.memory;
