package dev.kiln.wasm;

import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.validate.Validator;

/**
 * Entry points of the front end: decode a module, validate it, or both. Without a {@link Features}
 * argument every proposal Kiln implements is on ({@link Features#ALL}); a spec-test runner passes
 * the set a script was written for.
 */
public final class Wasm {
  private Wasm() {}

  /**
   * Decodes {@code bytes} (spec 5).
   *
   * @throws MalformedException if the bytes are not a module in the binary format
   */
  public static Module decode(byte[] bytes) {
    return decode(bytes, Features.ALL);
  }

  /** Decodes {@code bytes} accepting only the proposals in {@code features}. */
  public static Module decode(byte[] bytes, Features features) {
    return Decoder.decode(bytes, features);
  }

  /**
   * Validates a decoded module (spec 3), including every function body.
   *
   * @throws InvalidException at the first rule the module breaks
   */
  public static void validate(Module module) {
    validate(module, Features.ALL);
  }

  /** Validates {@code module} accepting only the proposals in {@code features}. */
  public static void validate(Module module, Features features) {
    Validator.validate(module, features);
  }

  /** Decodes and validates; the module every later stage may rely on. */
  public static Module load(byte[] bytes) {
    return load(bytes, Features.ALL);
  }

  /** Decodes and validates accepting only the proposals in {@code features}. */
  public static Module load(byte[] bytes, Features features) {
    return load(bytes, features, 1);
  }

  /**
   * Decodes and validates, the function bodies of a large module on up to {@code threads} threads
   * ({@link Validator#validate(Module, Features, int)}: the same outcome as one thread's).
   */
  public static Module load(byte[] bytes, Features features, int threads) {
    Module module = decode(bytes, features);
    Validator.validate(module, features, threads);
    return module;
  }
}
