package dev.kiln.wasm.module;

import java.util.Collections;
import java.util.HashMap;
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

  // Copied into HashMaps, not Map.copyOf: the indices are the guest's (any increasing u32s), and the
  // JDK's immutable maps probe linearly from hash mod table size, so 2^15 indices 2^16 apart all start
  // at one slot and building the map costs n^2/2 probes (red team 6, F2's pattern). HashMap spreads
  // the hash and keeps a bin of Comparable Integer keys as a tree.
  public NameSection {
    functionNames = Collections.unmodifiableMap(new HashMap<>(functionNames));
    localNames = Collections.unmodifiableMap(new HashMap<>(localNames));
  }
}
