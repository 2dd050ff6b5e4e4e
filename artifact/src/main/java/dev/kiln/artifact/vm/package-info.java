/**
 * The VMContext layout: the one native block per instance that compiled code reaches through its
 * {@code vmctx} parameter (docs/ARCHITECTURE.md section 4). The compiler's function environment
 * reads offsets from {@link dev.kiln.artifact.vm.VmLayout}; the loader allocates and fills the
 * block with the same offsets, so the two sides are tied by code rather than by convention. Offsets
 * depend only on counts ({@link dev.kiln.artifact.vm.VmShape}), never on the wasm front end, which
 * this module must not depend on. {@code StoreLayout} (the store context the first field points to)
 * lives beside it. {@link dev.kiln.artifact.vm.Builtin} lists the runtime functions whose pointers
 * the block holds.
 *
 * <p>Layout, hot fields first (memory 0 is read by every load and store), all naturally aligned,
 * 8-byte pointers, total size rounded up to 16:
 *
 * <pre>
 *   offset                      field                                 size
 *   0                           store context pointer                 8    (fixed, STORE_CONTEXT)
 *   8                           memories, index-space order:
 *                                 imported: pointer to the owner's
 *                                   {base, length, max_length}        8 each
 *                                 defined: {base u64, length u64,     24 each
 *                                   max_length u64}
 *   (8-aligned)                 globals:
 *                                 imported: pointer to the value      8 each
 *   (16-aligned)                  defined: value slot                 16 each (value at +0, LE)
 *   (8-aligned)                 tables:
 *                                 imported: pointer to {base, length} 8 each
 *                                 defined: {base, length u64}         16 each
 *                               builtin function pointers             8 each, Builtin order
 *                               imported function records             24 each
 *                                 +0 wasm_call  +8 array_call  +16 vmctx
 *                               VMFuncRefs (escaping functions)       32 each
 *                                 +0 array_call +8 wasm_call +16 type_id (u32, 4 pad) +24 vmctx
 *                               type ids (u32)                        4 each
 *   (8-aligned)                 element segment records               16 each
 *                                 +0 base (slot values) +8 length (u64, 0 once dropped)
 *                               data segment records                  16 each
 *                                 +0 base (bytes)       +8 length (u64, 0 once dropped)
 *   size()                      (rounded up to a multiple of 16)
 * </pre>
 *
 * <p>For example a module with one defined memory, two defined globals and no imports places
 * memory 0's base at 8, length at 16 and max_length at 24, global 0 at 32 and global 1 at 48; {@code
 * VmLayoutTest} checks such shapes field by field.
 *
 * <p>Imported memories, tables and globals are reached through a pointer because they belong to
 * another instance (or the host) that may grow or set them: one definition, many readers. An
 * imported function's record is copied in at instantiation instead, since it never changes.
 *
 * <p>{@link dev.kiln.artifact.vm.ExecutionLimits} defines the two compile settings that let an
 * embedder stop running code (epoch deadline, fuel): what the code checks, where, and the store
 * context fields it reads; {@link dev.kiln.artifact.vm.MemoryGuard} the setting that leaves the
 * bounds checks of 32-bit memory accesses to a guard region the loader reserves.
 */
package dev.kiln.artifact.vm;
