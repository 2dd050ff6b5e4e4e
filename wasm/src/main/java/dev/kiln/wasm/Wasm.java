package dev.kiln.wasm;

import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.validate.Validator;

/** Entry points of the front end: decode a module, validate it, or both. */
public final class Wasm {
  private Wasm() {}

  /**
   * Decodes {@code bytes} (spec 5).
   *
   * @throws MalformedException if the bytes are not a module in the binary format
   */
  public static Module decode(byte[] bytes) {
    return Decoder.decode(bytes);
  }

  /**
   * Validates a decoded module (spec 3), including every function body.
   *
   * @throws InvalidException at the first rule the module breaks
   */
  public static void validate(Module module) {
    Validator.validate(module);
  }

  /** Decodes and validates; the module every later stage may rely on. */
  public static Module load(byte[] bytes) {
    Module module = decode(bytes);
    validate(module);
    return module;
  }
}
