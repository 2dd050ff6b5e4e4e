package dev.kiln.artifact;

/**
 * The name of one compiled function in a {@code .cwasm}: two u32s, {@code namespace = kind << 28 |
 * module} and {@code index} (docs/ARCHITECTURE.md section 3). Ordering is that of the 64-bit value
 * {@code namespace << 32 | index} compared unsigned, so a kind with its top bit set still sorts
 * after the smaller kinds. The text section is laid out in this order and the function index
 * depends on it.
 *
 * @param namespace kind and module, as stored in the function index
 * @param index the meaning depends on the kind (see {@link FuncKeyKind}); unsigned
 */
public record FuncKey(int namespace, int index) implements Comparable<FuncKey> {
  public FuncKey {
    if (!FuncKeyKind.isValidNamespace(namespace)) {
      throw new IllegalArgumentException("not a FuncKey namespace: 0x" + Integer.toHexString(namespace));
    }
  }

  // equals and hashCode written out: the record's generated ones go through an invokedynamic
  // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and this record
  // keys hash maps per relocation the linker resolves. The hash is the generated one's formula (31 x h(previous) + h(next)
  // component), so maps iterate as before.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof FuncKey k && k.namespace == namespace && k.index == index;
  }

  @Override
  public int hashCode() {
    return 31 * namespace + index;
  }

  /** A key of {@code kind} in {@code module} (0 for kinds without one). */
  public static FuncKey of(FuncKeyKind kind, int module, int index) {
    return new FuncKey(kind.namespace(module), index);
  }

  public static FuncKey definedWasmFunction(int module, int definedIndex) {
    return of(FuncKeyKind.DEFINED_WASM_FUNCTION, module, definedIndex);
  }

  public static FuncKey arrayToWasmTrampoline(int module, int definedIndex) {
    return of(FuncKeyKind.ARRAY_TO_WASM_TRAMPOLINE, module, definedIndex);
  }

  public static FuncKey wasmToArrayTrampoline(int typeIndex) {
    return of(FuncKeyKind.WASM_TO_ARRAY_TRAMPOLINE, 0, typeIndex);
  }

  public static FuncKey wasmToBuiltinTrampoline(int builtinIndex) {
    return of(FuncKeyKind.WASM_TO_BUILTIN_TRAMPOLINE, 0, builtinIndex);
  }

  public static FuncKey builtin(int builtinIndex) {
    return of(FuncKeyKind.BUILTIN, 0, builtinIndex);
  }

  /** The key whose {@link #raw()} is {@code raw}. */
  public static FuncKey fromRaw(long raw) {
    return new FuncKey((int) (raw >>> 32), (int) raw);
  }

  /** {@code namespace << 32 | index} as one unsigned 64-bit value. */
  public long raw() {
    return (long) namespace << 32 | Integer.toUnsignedLong(index);
  }

  public FuncKeyKind kind() {
    return FuncKeyKind.ofNamespaceOrNull(namespace);
  }

  /** The module field (0 for kinds that have none). */
  public int module() {
    return namespace & FuncKeyKind.MODULE_MASK;
  }

  @Override
  public int compareTo(FuncKey other) {
    return Long.compareUnsigned(raw(), other.raw());
  }

  /** E.g. {@code wasm[0]::function[3]} or {@code signatures[2]::wasm_to_array_trampoline}. */
  @Override
  public String toString() {
    return kind().describe(module(), index);
  }
}
