package dev.kiln.runtime;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.driver.FunctionCompileException;
import dev.kiln.compiler.driver.UnsupportedInitialiserException;
import dev.kiln.compiler.link.LinkException;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.loader.exec.ExecutorException;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.ThrownException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.wasi.ProcExit;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.WasmException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The internal modules' exceptions as the API's: a trap becomes a {@link Trap} (or a {@link
 * WasiExit} when WASI's proc_exit ended the guest, a {@link WasmThrow} when a wasm exception no
 * frame caught did), a module Kiln cannot compile, load or link a
 * {@link KilnException} with a one-line message. Misuse ({@link IllegalArgumentException}, {@link
 * IllegalStateException}) passes through as it is.
 */
final class Failures {
  private Failures() {}

  /** Runs {@code body}, translating what it throws. */
  static <T> T translated(Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  /**
   * The API's exception for {@code failure}. Its own call sites (a pattern switch, the backtrace's
   * stream) may not be linked yet, and a direct call's trap comes back here at whatever depth the
   * embedder made the call: near the stack's end the translation is refused with a {@link
   * StackOverflowError} before it reaches them (issue 35, {@code ThreadStack#requireRoomToLink}).
   */
  static RuntimeException translate(RuntimeException failure) {
    if (!ThreadStack.roomToLinkAfter(0)) {
      // No lambda, switch or stream here: the stack's own exhaustion, as the trap it is (its
      // backtrace left out); anything else cannot be translated so deep
      if (failure instanceof dev.kiln.loader.runtime.TrapException trap && trap.code() == TrapCode.STACK_OVERFLOW) {
        return stackExhausted(trap);
      }
      throw new StackOverflowError("translating a failure: fewer than " + ThreadStack.LINK + " bytes of stack are left");
    }
    return switch (failure) {
      case dev.kiln.loader.runtime.TrapException trap -> ProcExit.in(trap)
          .<RuntimeException>map(exit -> new WasiExit(exit.code(), exit))
          .orElseGet(() -> trap(trap));
      case ArtifactException e -> new KilnException(e.getMessage(), e);
      case ImportLinkException e -> new KilnException(e.getMessage(), e);
      case ModuleInstantiationException e -> new KilnException(e.getMessage(), e);
      case ResourceLimitException e -> new KilnException(e.getMessage(), e);
      case MalformedException e -> new KilnException("malformed: " + e.getMessage(), e);
      case InvalidException e -> new KilnException("invalid: " + e.getMessage(), e);
      case WasmException e -> new KilnException("rejected: " + e.getMessage(), e);
      case UnsupportedFeatureException e -> unsupported(e);
      case UnsupportedInitialiserException e -> unsupported(e);
      case FunctionCompileException e -> new KilnException(e.getMessage(), e);
      case CompileTimeoutException e -> new CompileTimeout(e.getMessage(), e);
      case LinkException e -> unsupported(e);
      case ExecutorException e -> new KilnException(e.executor() + ": " + e.getMessage(), e);
      default -> failure;
    };
  }

  /**
   * Refuses a call into wasm, before it starts, unless {@code ThreadStack.LINK} bytes of stack are
   * left (its path may link call sites, which near the stack's end could fail for the JVM's life,
   * issue 35), with the trap wasm's own stack check raises: "call stack exhausted". A host function
   * that lets it through passes it on as that trap, as a nested entry's own refusal is.
   */
  static void requireRoomToCall() {
    if (!ThreadStack.roomToLinkAfter(0)) {
      throw stackExhausted(new dev.kiln.loader.runtime.TrapException(TrapCode.STACK_OVERFLOW, 0, new long[0]));
    }
  }

  /** The trap for {@code origin}, a stack exhaustion, made without linking anything (no frames). */
  private static Trap stackExhausted(dev.kiln.loader.runtime.TrapException origin) {
    return new Trap(origin.code().message(), origin.getMessage(), List.of(), null, origin);
  }

  private static KilnException unsupported(RuntimeException e) {
    return new KilnException("unsupported: " + e.getMessage(), e);
  }

  /**
   * The trap with its frames resolved now, while the code they point into is certainly mapped; the
   * cause is the host function's exception, not the internal trap.
   */
  private static KilnException trap(dev.kiln.loader.runtime.TrapException trap) {
    List<Frame> frames = trap.backtrace().stream().filter(WasmFrame::isWasmFunction)
        .map(f -> new Frame(f.name(), f.wasmOffset(), f.toString())).toList();
    if (trap.thrown().isPresent()) {
      ThrownException thrown = trap.thrown().get();
      if (thrown.origin() instanceof WasmThrow inner) {
        // A host function threw it into wasm and no frame caught it: it reaches Java as the same
        // exception, with the wasm frames it passed after the host's own (a nested call's).
        List<Frame> all = new java.util.ArrayList<>(inner.backtrace());
        all.addAll(frames);
        return new WasmThrow(inner.tag(), inner.payload(), all, trap);
      }
      // the payload as the store converted it under the claim that read it (Store: thrownViews)
      @SuppressWarnings("unchecked")
      List<Val> payload = (List<Val>) thrown.view();
      return new WasmThrow(new Tag(thrown.tag(), thrown.store().types()), payload, frames, trap);
    }
    if (trap.getCause() instanceof WasmThrow inner) {
      // A host function let a nested call's exception out: it goes on to Java as the same
      // exception, with this call's frames after the nested call's.
      List<Frame> all = new java.util.ArrayList<>(inner.backtrace());
      all.addAll(frames);
      return new WasmThrow(inner.tag(), inner.payload(), all, trap);
    }
    return new Trap(trap.code().message(), trap.getMessage(), frames, trap.getCause(), trap);
  }
}
