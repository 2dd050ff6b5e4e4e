/**
 * The ISA-neutral half of code emission, after Cranelift's {@code MachBuffer} ({@code
 * cranelift/codegen/src/machinst/buffer.rs}).
 *
 * <p>An ISA encoder writes bytes into a {@link dev.kiln.codegen.CodeBuffer} in one pass. A branch or
 * PC-relative load whose target is not known yet is emitted with a placeholder and recorded as a
 * <em>label use</em>: an offset, a {@link dev.kiln.codegen.Label} and the ISA's
 * {@link dev.kiln.codegen.LabelUse}, which knows the field's reach and how to patch it. When the
 * function is complete, {@link dev.kiln.codegen.CodeBuffer#finish()} patches every use; a use whose
 * target is out of reach is either bridged by a veneer (ISAs whose uses support one, as AArch64's
 * 19-bit conditional branches will) or reported with the offsets involved. Before that, in a
 * function body's buffer ({@link dev.kiln.codegen.CodeBuffer#shorteningBranches}), the long
 * branches the encoder marked ({@link dev.kiln.codegen.CodeBuffer#allowShortForm}, x86-64's jcc and
 * jmp rel32) take their short forms where those reach ({@link dev.kiln.codegen.BranchShortening}),
 * and everything after moves back; alignment paddings are laid out again, and the offsets an
 * emitter recorded itself are mapped with {@link dev.kiln.codegen.CodeBuffer#finalOffset}.
 *
 * <pre>
 *   encoder ──put8/16/32/64──▶ CodeBuffer ──finish()──▶ FinishedCode
 *           ──useLabel(off, L, use)─┘   patches uses, appends veneers,     (bytes, relocs, trap sites)
 *           ──bind(L)───────────────┘   fails on unbound / out-of-range
 *           ──addTrap / addReloc────┘
 * </pre>
 *
 * <p>What the buffer does not resolve is handed on: {@link dev.kiln.codegen.TrapSite}s (text offset and
 * trap code, for the artifact's trap table) and {@link dev.kiln.codegen.Reloc}s (calls to other
 * functions, resolved by the linker once every function's place in {@code .text} is known).
 */
package dev.kiln.codegen;
