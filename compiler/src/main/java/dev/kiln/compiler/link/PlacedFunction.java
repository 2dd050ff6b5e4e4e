package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import java.util.Objects;

/**
 * Where the linker put one function in {@code .text}.
 *
 * @param key the function's key
 * @param start text offset of its first byte (a multiple of the target's function alignment)
 * @param size its code size, without the padding that follows it
 * @param symbolName the name tools show for it ({@code fac}, {@code wasm[0]::function[3]})
 */
public record PlacedFunction(FuncKey key, int start, int size, String symbolName) {
  public PlacedFunction {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(symbolName, "symbolName");
    if (start < 0 || size <= 0) {
      throw new IllegalArgumentException(key + ": bad placement start=" + start + " size=" + size);
    }
  }

  public int end() {
    return start + size;
  }
}
