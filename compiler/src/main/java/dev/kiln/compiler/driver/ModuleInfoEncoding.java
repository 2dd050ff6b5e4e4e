package dev.kiln.compiler.driver;

import dev.kiln.wasm.module.Module;

/**
 * Module info ({@code .kiln.info}) for a module. Its encoding is {@code dev.kiln.artifact.info}'s,
 * which is not committed yet; until then the section is written empty.
 */
final class ModuleInfoEncoding {
  private ModuleInfoEncoding() {}

  static byte[] encode(Module module) {
    return new byte[0];
  }
}
