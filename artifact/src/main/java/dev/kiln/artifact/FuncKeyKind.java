package dev.kiln.artifact;

/**
 * What kind of compiled function a {@link FuncKey} names. The kind occupies the top four bits of
 * the key's namespace ({@code namespace = kind << 28 | module}), so keys of one kind sort together
 * and the text section, laid out in key order, groups them: all wasm functions first, then the
 * trampolines, then builtins (docs/ARCHITECTURE.md section 3). Wasmtime's {@code FuncKeyKind} uses
 * the same four-bit field (KIND_BITS = 4 since its PR 12133); Kiln's numbering is its own.
 *
 * <p>The bit values are part of the file format: never renumber, only add.
 */
public enum FuncKeyKind {
  /** A function defined in the module; module-scoped; index = defined-function index. */
  DEFINED_WASM_FUNCTION(0, true),
  /**
   * Entry from the host (array calling convention) into a defined function; module-scoped; index =
   * defined-function index. Only escaping functions (exported, in a table, {@code ref.func}) get one,
   * so this kind is usually sparse.
   */
  ARRAY_TO_WASM_TRAMPOLINE(1, true),
  /** Call from wasm into a host function of one signature; index = type index. */
  WASM_TO_ARRAY_TRAMPOLINE(2, false),
  /** Call from wasm into a runtime builtin through the VMContext; index = builtin index. */
  WASM_TO_BUILTIN_TRAMPOLINE(3, false),
  /** A builtin compiled into {@code .text} itself (e.g. lazy funcref-table init); index = builtin index. */
  BUILTIN(4, false);

  /** Width of the kind field at the top of the namespace. */
  public static final int KIND_BITS = 4;
  /** Shift of the kind field inside the namespace. */
  public static final int KIND_SHIFT = Integer.SIZE - KIND_BITS;
  /** Mask of the module field inside the namespace. */
  public static final int MODULE_MASK = (1 << KIND_SHIFT) - 1;

  private static final FuncKeyKind[] BY_BITS = new FuncKeyKind[1 << KIND_BITS];

  static {
    for (FuncKeyKind k : values()) {
      BY_BITS[k.bits] = k;
    }
  }

  private final int bits;
  private final boolean moduleScoped;

  FuncKeyKind(int bits, boolean moduleScoped) {
    this.bits = bits;
    this.moduleScoped = moduleScoped;
  }

  /** The value of the four-bit kind field. */
  public int bits() {
    return bits;
  }

  /** Whether keys of this kind carry a module index; otherwise the module field must be 0. */
  public boolean moduleScoped() {
    return moduleScoped;
  }

  /** The namespace for this kind and module: {@code bits << 28 | module}. */
  public int namespace(int module) {
    if (module < 0 || module > MODULE_MASK) {
      throw new IllegalArgumentException("module index out of range: " + module);
    }
    if (!moduleScoped && module != 0) {
      throw new IllegalArgumentException(this + " keys have no module, got module " + module);
    }
    return bits << KIND_SHIFT | module;
  }

  /** The kind encoded in a namespace, or null if those bits name no kind. */
  public static FuncKeyKind ofNamespaceOrNull(int namespace) {
    return BY_BITS[namespace >>> KIND_SHIFT];
  }

  /** Whether {@code namespace} is one a {@link FuncKey} can have (known kind, module 0 if unscoped). */
  public static boolean isValidNamespace(int namespace) {
    FuncKeyKind kind = ofNamespaceOrNull(namespace);
    return kind != null && (kind.moduleScoped || (namespace & MODULE_MASK) == 0);
  }

  /**
   * The name of the key of this kind in {@code module} at {@code index}. Concatenated rather than
   * formatted: the linker names every function the name section does not (a module of 400,000
   * unnamed functions spent 1.3% of its compile in String.format), and concatenation writes ASCII
   * digits whatever the default locale, as symbol names in an artifact must be.
   */
  String describe(int module, int index) {
    long i = Integer.toUnsignedLong(index);
    return switch (this) {
      case DEFINED_WASM_FUNCTION -> "wasm[" + module + "]::function[" + i + "]";
      case ARRAY_TO_WASM_TRAMPOLINE -> "wasm[" + module + "]::array_to_wasm_trampoline[" + i + "]";
      case WASM_TO_ARRAY_TRAMPOLINE -> "signatures[" + i + "]::wasm_to_array_trampoline";
      case WASM_TO_BUILTIN_TRAMPOLINE -> "builtin[" + i + "]::wasm_to_builtin_trampoline";
      case BUILTIN -> "builtin[" + i + "]";
    };
  }
}
