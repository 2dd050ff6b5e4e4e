package dev.kiln.artifact.vm;

import java.util.List;

/**
 * Runtime functions compiled code calls through the VMContext. The ordinal is the builtin's index:
 * the index of its {@code builtin(i)} pointer slot in the VMContext and of its {@link
 * dev.kiln.artifact.FuncKey#wasmToBuiltinTrampoline} and {@link dev.kiln.artifact.FuncKey#builtin}
 * keys. The numbering is part of the artifact format: never renumber, only add at the end.
 *
 * <p>Compiled wasm code never calls a builtin's pointer directly: it calls the builtin's
 * WASM_TO_BUILTIN trampoline (a PC-relative call inside {@code .text}) with the wasm calling
 * convention {@code (callee vmctx, caller vmctx, params...)}; the trampoline loads the pointer from
 * {@link VmLayout#builtin(Builtin)} and calls it with the platform C ABI as
 * {@code results f(vmctx, params...)}. Wasm instructions cheap enough to inline (memory.size is a
 * load and a shift) have no builtin.
 *
 * <p>Every builtin has this one shape, vmctx first, also those that do not need the vmctx (the bulk
 * memory moves): one trampoline shape per ISA, and the loader supplies every pointer the same way
 * (an upcall or compiled code, through the executor when the code runs emulated). A pointer
 * straight to libc {@code memmove}/{@code memset} would need a second trampoline shape that drops
 * both vmctx arguments ({@code (dst, src, n)} in the first C argument registers); it is not used.
 */
public enum Builtin {
  /**
   * {@code memory.grow} (spec 4.4.7): {@code (vmctx, memory index: i32, delta pages: i64) -> i64},
   * the old size in pages, or -1 when the memory cannot grow by {@code delta} (the memory keeps its
   * size). Updates the memory's {@code length} field in the VMContext; the base never moves
   * (ARCHITECTURE.md section 4: memories are reservations committed on grow).
   */
  MEMORY_GROW("memory_grow", List.of(ValueKind.I32, ValueKind.I64), List.of(ValueKind.I64)),
  /**
   * Raises a trap from compiled code that has no inline trap stub:
   * {@code (vmctx, trap code: i32) -> ()}, never returns; records the code (an {@code
   * artifact.tables.TrapCode} byte) in the store context and unwinds to the innermost entry.
   */
  TRAP("trap", List.of(ValueKind.I32), List.of()),
  /**
   * The byte move behind {@code memory.copy} and {@code memory.init} (spec 4.4.7.11-12):
   * {@code (vmctx, destination address: i64, source address: i64, length: i64) -> ()}, copying
   * {@code length} bytes as if through a temporary buffer (overlap in either direction is allowed,
   * memmove semantics). The addresses are absolute (a memory's base plus the wasm address, or a
   * data segment record's base plus the offset): compiled code has already checked both ranges
   * against their lengths (trapping before any byte is written), so the builtin never fails, and
   * one builtin serves copies between any two memories and from any segment.
   */
  MEMORY_COPY("memory_copy", List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of()),
  /**
   * The byte store behind {@code memory.fill} (spec 4.4.7.10):
   * {@code (vmctx, destination address: i64, byte: i32, length: i64) -> ()}, storing the low 8 bits
   * of {@code byte} into {@code length} bytes. Range already checked by compiled code, as for
   * {@link #MEMORY_COPY}.
   */
  MEMORY_FILL("memory_fill", List.of(ValueKind.I64, ValueKind.I32, ValueKind.I64), List.of());

  /** How many builtins exist: the size of the VMContext's builtin array. */
  public static final int COUNT = values().length;

  private static final Builtin[] VALUES = values();

  /** The machine-level type of a builtin parameter or result. */
  public enum ValueKind {
    I32,
    I64
  }

  private final String text;
  private final List<ValueKind> params;
  private final List<ValueKind> results;

  Builtin(String text, List<ValueKind> params, List<ValueKind> results) {
    this.text = text;
    this.params = params;
    this.results = results;
  }

  /** The name used in symbols and diagnostics ({@code memory_grow}). */
  public String text() {
    return text;
  }

  /** The builtin index: VMContext slot and FuncKey index. */
  public int index() {
    return ordinal();
  }

  /** Parameters after the leading vmctx pointer, which every builtin takes first. */
  public List<ValueKind> params() {
    return params;
  }

  public List<ValueKind> results() {
    return results;
  }

  /** The builtin of {@code index}, or throws for an index no builtin has. */
  public static Builtin ofIndex(int index) {
    if (index < 0 || index >= VALUES.length) {
      throw new IllegalArgumentException("no builtin has index " + index);
    }
    return VALUES[index];
  }
}
