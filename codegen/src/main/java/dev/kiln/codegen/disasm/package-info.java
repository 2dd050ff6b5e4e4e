/**
 * Disassembly of machine code, the oracle for encoder tests and the engine behind {@code kiln objdump}.
 * {@link dev.kiln.codegen.disasm.Disassembler} is the contract; {@link
 * dev.kiln.codegen.disasm.CapstoneDisassembler} implements it over Capstone 4 through the FFM API: a
 * system {@code libcapstone.so.4} (Debian's {@code libcapstone4}) decodes both ISAs; without one, the
 * library bundled in Maven Central's {@code com.github.zhkl0228:capstone} decodes AArch64.
 * x86-64 text is AT&amp;T syntax, AArch64 text is Capstone's standard ARM syntax.
 */
package dev.kiln.codegen.disasm;
