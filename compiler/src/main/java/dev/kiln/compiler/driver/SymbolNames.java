package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import dev.kiln.wasm.module.NameSection;
import java.util.Objects;

/**
 * The symbol name of each function in the artifact, for {@code .symtab}, {@code kiln objdump} and
 * profilers: a defined function's name from the wasm "name" section when it has one ({@code fac}),
 * its array-to-wasm trampoline that name plus {@code ::array_to_wasm_trampoline}, everything else
 * the FuncKey's own description ({@code wasm[0]::function[3]}, {@code
 * builtin[1]::wasm_to_builtin_trampoline}). A name that cannot be an ELF symbol (empty, or holding
 * NUL) falls back to the key's description.
 */
public final class SymbolNames {
  private final NameSection names;
  private final int importedFunctions;

  public SymbolNames(NameSection names, int importedFunctions) {
    this.names = Objects.requireNonNull(names, "names");
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

  private String nameOf(int definedIndex) {
    String n = names.functionNames().get(importedFunctions + definedIndex);
    return n == null || n.isEmpty() || n.indexOf('\0') >= 0 ? null : n;
  }
}
