/**
 * From VCode to bytes: register allocation (and, in tests or with {@code -Dkiln.regalloc.check},
 * its checker), frame layout, prologue with the stack-limit check, the allocator's moves around
 * each instruction, epilogues, out-of-line trap blocks with their trap sites, the address map and
 * the relocations of calls, packaged as a {@link dev.kiln.codegen.CompiledFunction}. The walk over
 * the blocks (labels, the allocator's edits around each instruction, the address map) and the
 * allocation with its optional checker are the shared {@link
 * dev.kiln.codegen.emit.FunctionEmission}; this package adds what is x86-64's.
 */
package dev.kiln.codegen.x64.emit;
