package dev.kiln.wasm.decode;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.module.Module;

/** Decodes the binary format (spec 5) into a {@link Module}. */
public final class Decoder {
  private Decoder() {}

  public static Module decode(byte[] bytes) {
    throw new MalformedException("decoder not written yet", 0);
  }
}
