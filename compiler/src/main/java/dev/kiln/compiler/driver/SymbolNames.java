package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbol name of each function in the artifact, for {@code .symtab}, {@code kiln objdump} and
 * profilers: a defined function's name from the wasm "name" section when it has one ({@code fac}),
 * else its first export name (most release builds strip the name section but keep exports),
 * its array-to-wasm trampoline that name plus {@code ::array_to_wasm_trampoline}, everything else
 * the FuncKey's own description ({@code wasm[0]::function[3]}, {@code
 * builtin[1]::wasm_to_builtin_trampoline}). A name that cannot be an ELF symbol (empty, or holding
 * NUL) falls back to the key's description.
 */
public final class SymbolNames {
  private final Map<Integer, String> functionNames;
  private final int importedFunctions;

  /**
   * @param functionNames names by wasm function index (imports first), e.g. from the name section
   *     or from an artifact's module info
   * @param importedFunctions how many functions the module imports
   */
  public SymbolNames(Map<Integer, String> functionNames, int importedFunctions) {
    this.functionNames = Collections.unmodifiableMap(new HashMap<>(functionNames)); // the guest's indices: see NameSection
    this.importedFunctions = importedFunctions;
  }

  public String of(FuncKey key) {
    String wasmName = switch (key.kind()) {
      case DEFINED_WASM_FUNCTION -> nameOf(key.index());
      case ARRAY_TO_WASM_TRAMPOLINE -> {
        String n = nameOf(key.index());
        yield n == null ? null : n + "::array_to_wasm_trampoline";
      }
      default -> null;
    };
    return wasmName == null ? key.toString() : wasmName;
  }

  /**
   * Names by function index: the name section's, and for functions it does not name, the first
   * export of the function.
   *
   * @param nameSection names from the name section
   * @param functionExports (export name, function index) pairs in export order
   */
  public static SymbolNames of(Map<Integer, String> nameSection, List<Map.Entry<String, Integer>> functionExports,
      int importedFunctions) {
    Map<Integer, String> names = new HashMap<>(nameSection);
    for (Map.Entry<String, Integer> export : functionExports) {
      names.putIfAbsent(export.getValue(), export.getKey());
    }
    return new SymbolNames(names, importedFunctions);
  }

  private String nameOf(int definedIndex) {
    String n = functionNames.get(importedFunctions + definedIndex);
    return n == null || n.isEmpty() || n.indexOf('\0') >= 0 ? null : n;
  }
}
