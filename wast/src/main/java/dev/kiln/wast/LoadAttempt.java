package dev.kiln.wast;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.WatSyntaxException;

/**
 * What happened when the front end was given a module's bytes: loaded, rejected with a verdict from
 * the error taxonomy, or crashed (any other exception: a Kiln bug, never a verdict on the input).
 */
sealed interface LoadAttempt {
  record Loaded(Module module) implements LoadAttempt {}

  record Rejected(WasmException error) implements LoadAttempt {}

  record Crashed(Throwable error) implements LoadAttempt {}

  /** A {@code module quote} whose text is not a module (spec 6): malformed before any decoding. */
  record NotAModuleText(WatSyntaxException error) implements LoadAttempt {}

  static LoadAttempt of(FrontEnd frontEnd, byte[] bytes, Features features) {
    try {
      return new Loaded(frontEnd.load(bytes, features));
    } catch (WasmException e) {
      return new Rejected(e);
    } catch (RuntimeException | StackOverflowError e) {
      // A crash on one module must not end the run: it is that case's failure.
      return new Crashed(e);
    }
  }

  /** One line for reports: {@code ok}, {@code malformed: at 0x8: reason}, {@code crash: ...}. */
  default String describe() {
    return switch (this) {
      case Loaded _ -> "ok (decoded and validated)";
      case Rejected r -> verdict(r.error()) + ": " + r.error().getMessage();
      case Crashed c -> "crash: " + c.error();
      case NotAModuleText t -> "malformed text: " + t.error().getMessage();
    };
  }

  /** The failure class's name in the spec's words. */
  static String verdict(WasmException e) {
    return switch (e) {
      case MalformedException _ -> "malformed";
      case InvalidException _ -> "invalid";
      default -> e.getClass().getSimpleName();
    };
  }
}
