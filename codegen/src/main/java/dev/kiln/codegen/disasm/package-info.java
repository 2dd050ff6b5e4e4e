/**
 * Disassembly of machine code, the oracle for encoder tests and the engine behind {@code kiln objdump}.
 * {@link dev.kiln.codegen.disasm.Disassembler} is the contract; {@link
 * dev.kiln.codegen.disasm.CapstoneDisassembler} implements it over Debian's {@code libcapstone4}
 * (Capstone 4.0.x, {@code libcapstone.so.4}) through the FFM API, so no Java binding library is needed.
 * x86-64 text is AT&amp;T syntax, AArch64 text is Capstone's standard ARM syntax.
 */
package dev.kiln.codegen.disasm;
