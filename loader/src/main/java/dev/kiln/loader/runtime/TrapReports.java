package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a failed entry into a store ends with: the trap the trap stub recorded in the store context,
 * a host function's failure recorded on the way out of its upcall, or a wasm exception a host
 * function threw (WebAssembly 3.0 section 4.5.3), made into the {@link TrapException} the entry
 * throws. Only the thread holding the store's claim records and takes these.
 */
final class TrapReports {
  private final NativeStore store;
  private final StoreContext context;
  private final StoreGc gc;
  private final ReferenceChecks references;
  /** Why the innermost failing host function failed, until the entry it unwinds to reports it. */
  private Throwable hostFailure;
  /**
   * Which of a host function's throwables are wasm exceptions to throw into its wasm caller, as
   * the API names them ({@link #hostExceptions}); null: none is.
   */
  private volatile BiFunction<Throwable, NativeStore, ThrownException> hostExceptions;

  TrapReports(NativeStore store, StoreContext context, StoreGc gc, ReferenceChecks references) {
    this.store = store;
    this.context = context;
    this.gc = gc;
    this.references = references;
  }

  /**
   * Makes the embedding layer's view of an exception that reaches it ({@link #thrownViews}); null:
   * none is made.
   */
  private volatile Function<ThrownException, Object> thrownViews;

  /** {@link NativeStore#thrownViews}. */
  void thrownViews(Function<ThrownException, Object> maker) {
    thrownViews = maker;
  }

  /**
   * {@code thrown}, just read from its exception object under the claim, with its view made under
   * that same claim: its payload's GC words are current only until the claim is let go, after which
   * another thread's collection may move the objects they name.
   */
  private ThrownException withView(ThrownException thrown) {
    Function<ThrownException, Object> maker = thrownViews;
    return thrown == null || maker == null ? thrown : thrown.withView(maker.apply(thrown));
  }

  /** {@link NativeStore#hostExceptions}. */
  void hostExceptions(BiFunction<Throwable, NativeStore, ThrownException> translator) {
    hostExceptions = translator;
  }

  /** {@link NativeStore#hostFailed}. */
  void hostFailed(Throwable failure) {
    try {
      BiFunction<Throwable, NativeStore, ThrownException> translator = hostExceptions;
      ThrownException thrown = translator == null ? null : translator.apply(failure, store);
      if (thrown == null) {
        recordHostFailure(failure);
        return;
      }
      checkThrowable(thrown);
      StoreExceptions runtime;
      synchronized (store) {
        runtime = store.exceptionsIfMade();
      }
      if (runtime == null) {
        // No code of the store has a host-call trampoline, hence none that could catch it.
        recordHostFailure(failure);
      } else if (!runtime.throwFromHost(thrown.tag(), thrown.payload(), failure)) {
        recordHostFailure(new TrapException(TrapCode.GC_HEAP_EXHAUSTED, 0, new long[0]));
      }
    } catch (Throwable e) {
      recordHostFailure(e);
    }
  }

  /**
   * Refuses an exception a host function cannot throw into this store's code: its tag must be one
   * the store's {@link TagRegistry} holds, a live instance's or one an exception object may name (a tag of another store has no meaning in its handlers, and
   * its identity could match nothing or, worse, be taken for another) and its payload of the tag's
   * types. A reference is checked against the tag parameter's precise type by {@link NativeStore#checkReference},
   * the one check every reference Java hands to the store passes (an argument, a
   * global, a table slot, a host function's result): the handler that catches the exception trusts
   * that type as a function trusts its parameters' (a {@code (ref $ft)} is called without a check).
   */
  private void checkThrowable(ThrownException thrown) {
    ExceptionTag known = store.tagRegistry().tag(thrown.tag().identity()).orElse(null);
    if (known == null) {
      throw new IllegalArgumentException("a host function threw a wasm exception of a tag of another store"
          + " or of a freed instance; a host function throws only tags its store still holds");
    }
    List<dev.kiln.artifact.info.ValType> types = known.type().params();
    List<WasmValue> payload = thrown.payload();
    if (payload.size() != types.size()) {
      throw new IllegalArgumentException("a host function threw a wasm exception of " + payload.size()
          + " values for a tag of " + types.size());
    }
    for (int i = 0; i < types.size(); i++) {
      if (payload.get(i).type() != types.get(i)) {
        // the precise type, not the representations (funcref for a struct type is Kiln's own)
        throw new IllegalArgumentException("a host function threw a wasm exception whose value " + i
            + " does not fit its tag's parameter " + i + ", a " + store.types().paramType(known.typeId(), i));
      }
      if (payload.get(i) instanceof WasmValue.Ref ref) {
        references.checkReference(ref.type(), ref.bits(), store.types().paramType(known.typeId(), i));
      }
    }
  }

  /** {@link NativeStore#recordHostFailure}. */
  void recordHostFailure(Throwable failure) {
    if (hostFailure == null) {
      hostFailure = failure;
    }
  }

  /** {@link NativeStore#recordedTrap}. */
  TrapException recordedTrap() {
    Throwable failure = hostFailure;
    hostFailure = null;
    // Consumed at every failed entry: a wasm exception a host function threw is the pending one
    // only until its trampoline takes it; one no trampoline took must not be thrown by the next.
    long pending = context.takePendingException();
    if (!context.trapRecorded()) {
      return hostCalledFromJavaFailed(pending, failure);
    }
    TrapException raw = context.takeRawTrap();
    FrameWalkException walkFailure = gc.takeFrameWalkFailure();
    if (raw.code() == TrapCode.GC_HEAP_EXHAUSTED && walkFailure != null) {
      // the slow path returned 0 because its frame walk failed, not for want of memory
      return new TrapException(TrapCode.GC_FRAME_WALK_FAILED, raw.pc(), raw.callers(), store.codeRegions(), walkFailure);
    }
    if (raw.code() == TrapCode.GC_HEAP_EXHAUSTED && gc.heapDamaged()) {
      // the slow path returned 0 because its collection failed half way (or an earlier one had)
      return new TrapException(raw.code(), raw.pc(), raw.callers(), store.codeRegions(), gc.damagedException());
    }
    if (raw.code() == TrapCode.HOST_FUNCTION_FAILED && failure instanceof TrapException nested) {
      // The nested entry's trap, with the frames of this entry appended after its own: the host
      // function's trampoline (where this entry's trap was raised) and the wasm frames below it.
      long[] inner = nested.callers();
      long[] outer = raw.callers();
      long[] callers = new long[inner.length + 1 + outer.length];
      System.arraycopy(inner, 0, callers, 0, inner.length);
      callers[inner.length] = raw.pc();
      System.arraycopy(outer, 0, callers, inner.length + 1, outer.length);
      return new TrapException(nested.code(), nested.pc(), callers, store.codeRegions(), nested.getCause(),
          nested.thrown().orElse(null), nested.hostCallLevels() + 1);
    }
    StoreExceptions exceptions = store.exceptionsIfMade();
    ThrownException thrown = raw.code() == TrapCode.UNCAUGHT_EXCEPTION && exceptions != null
        ? withView(exceptions.takeThrown(store.tagRegistry(), store)) : null;
    return new TrapException(raw.code(), raw.pc(), raw.callers(), store.codeRegions(),
        raw.code() == TrapCode.HOST_FUNCTION_FAILED ? failure : null, thrown);
  }

  /**
   * The failure of an entry whose callee is a host function (an imported function re-exported,
   * called from Java): it returned false without any trampoline or trap stub, so it ends with what
   * the host function threw, a wasm exception as one no frame caught ({@code UNCAUGHT_EXCEPTION},
   * its origin the host's own exception), anything else as the host function's failure.
   */
  private TrapException hostCalledFromJavaFailed(long pending, Throwable failure) {
    StoreExceptions exceptions = store.exceptionsIfMade();
    ThrownException thrown = pending == 0 || exceptions == null ? null
        : withView(exceptions.takeThrown(pending, store.tagRegistry(), store));
    if (thrown != null) {
      return new TrapException(TrapCode.UNCAUGHT_EXCEPTION, 0, new long[0], store.codeRegions(), null, thrown);
    }
    return new TrapException(TrapCode.HOST_FUNCTION_FAILED, 0, new long[0], store.codeRegions(), failure, null);
  }
}
