package dev.kiln.wasm.validate;

import dev.kiln.wasm.module.Module;

/** Validates a decoded module (spec 3). */
public final class Validator {
  private Validator() {}

  public static void validate(Module module) {
    throw new UnsupportedOperationException("validator not written yet");
  }
}
