package dev.kiln.wasm;

import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.UnscannedModule;
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
   *
   * <p>Each body's instructions are read once: the decoder leaves them to validation ({@link
   * #decodeUnscanned}), which notes what the decoder's scan would have found ({@link
   * #validateUnscanned}). A body validation accepts is one the scan accepts (the validator reads
   * every instruction with the same reader, and checks the structure the binary format fixes: {@code
   * else} only in an {@code if}, the final {@code end} where the body's size ends), so a module that
   * loads this way is the one {@link #decode} and {@link #validate} give. For a module that does not,
   * the spec decodes the whole module before it validates any of it, so a malformed body after an
   * invalid one, or before a malformed later section, is the error: such a module is decoded again
   * with the scan, which throws that. One the scan accepts is the module validation refused (only
   * the facts, which validation does not read, differ), so that refusal stands. A compile deadline
   * that passes ends either way as it is.
   */
  public static Module load(byte[] bytes, Features features, int threads) {
    try {
      return validateUnscanned(decodeUnscanned(bytes, features), features, threads);
    } catch (CompileTimeoutException timeout) {
      throw timeout;
    } catch (RuntimeException notLoadable) {
      decode(bytes, features);
      throw notLoadable;
    }
  }

  /**
   * {@link #load}'s first step: decodes all but the function bodies' instructions ({@link
   * Decoder#decodeUnscanned}, whose errors need not be {@link #decode}'s).
   */
  public static UnscannedModule decodeUnscanned(byte[] bytes, Features features) {
    return Decoder.decodeUnscanned(bytes, features);
  }

  /**
   * {@link #load}'s second step: validates what {@link #decodeUnscanned} gave, reading the bodies'
   * instructions ({@link Validator#validateUnscanned}, whose errors need not be {@link #validate}'s);
   * returns the module {@link #decode} gives.
   */
  public static Module validateUnscanned(UnscannedModule unscanned, Features features, int threads) {
    return Validator.validateUnscanned(unscanned, features, threads);
  }
}
