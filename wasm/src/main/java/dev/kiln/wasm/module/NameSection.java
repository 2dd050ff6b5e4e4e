package dev.kiln.wasm.module;

import java.util.Map;
import java.util.Optional;

/**
 * The "name" custom section (spec 7.4.1): the module name, function names and local names. Used for
 * backtraces and disassembly; a malformed name section is ignored as the spec allows.
 */
public record NameSection(
    Optional<String> moduleName,
    Map<Integer, String> functionNames,
    Map<Integer, Map<Integer, String>> localNames) {

  public static final NameSection EMPTY = new NameSection(Optional.empty(), Map.of(), Map.of());

  public NameSection {
    functionNames = Map.copyOf(functionNames);
    localNames = Map.copyOf(localNames);
  }
}
