package dev.kiln.artifact.index;

import dev.kiln.artifact.index.KeySets.Placed;
import java.util.List;

/**
 * {@link WasmtimeTableSize} for the tests' laid-out keys, with a plausible file offset per defined
 * function body (0x100 + 40 i), since synthetic keys come from no wasm file.
 */
final class WasmtimeTableSizeModel {
  private WasmtimeTableSizeModel() {}

  static WasmtimeTableSize.Size of(List<Placed> placed) {
    return WasmtimeTableSize.of(java.util.stream.IntStream.range(0, placed.size())
        .mapToObj(i -> new WasmtimeTableSize.Function(placed.get(i).key(), placed.get(i).start(),
            placed.get(i).length(), 0x100 + 40L * i))
        .toList());
  }
}
