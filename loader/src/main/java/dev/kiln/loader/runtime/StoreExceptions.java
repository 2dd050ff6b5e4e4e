package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.UpcallShape;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * One store's side of WebAssembly 3.0 exception handling: the unwinder the throw stub calls ({@link
 * dev.kiln.artifact.vm.Builtin#THROW}), the objects of exceptions a host function throws into wasm,
 * and what reaches Java of an exception no wasm frame caught.
 *
 * <p>Exception objects ({@link ExceptionLayout}) are objects of the store's GC heap ({@link
 * GcHeap}): compiled code allocates a {@code throw}'s object as it allocates a struct, by bumping
 * the heap's top (the heap's slow path, which may collect, past the accounted end), and the
 * collector traces and moves them like any object, so one is reclaimed at the first collection
 * that no longer reaches it. An {@code exnref} is a GC reference wherever the collector finds roots:
 * the frames' stack maps (a legacy {@code catch} clause's exception for {@code rethrow} among them),
 * globals, tables, the handles Java holds ({@code runtime.ExnRef}), and here the exception of the
 * last uncaught trap ({@link #roots}; the objects whose host origin is kept are followed, not
 * kept). The store's memory limit bounds the heap; an object that does not fit after a collection
 * is the heap's {@code gc_heap_exhausted} trap. A throw caught in its own function calls nothing
 * (its code branches to the handler's dispatch, {@code compiler.translate.ExceptionHandlers}); any
 * other calls into Java once, for the unwinder's walk; the allocation's slow path adds an upcall
 * per 64 KiB of objects ({@code ObjectLayout.CHUNK}).
 *
 * <p>Reading an object for Java needs its tag even after the instances that held it are gone: the
 * store's {@link TagRegistry} keeps a tag while a live object names it, as each collection finds
 * ({@link TagRegistry#collected}), so nothing here tracks where an object goes.
 *
 * <p>The unwinder walks the frame-pointer chain every wasm frame keeps (the record at the top of the
 * frame: the caller's frame pointer at {@code fp}, the return address into the caller at {@code fp
 * + 8}, on both targets), from the throwing frame up to the innermost entry from the host. Each
 * frame's return address is looked up in its module's handler table ({@code .kiln.handlers}): the
 * first frame with an entry catches, and the throw stub resumes it at the landing pad with its own
 * frame pointer and the stack pointer its body keeps, the entry's frame depth below that frame
 * pointer. Not the stack pointer the frame below it started from: under callee-pops a caller
 * reserves its outgoing stack arguments again only after the call returns, and a tail call may have
 * grown the argument area in place, so what lies above a callee's frame record says nothing about
 * the caller's stack pointer. The landing pad's code then tries the {@code try_table}'s clauses, and throws the
 * exception on (from that frame) when none matches. With no handler up to the entry, the stub raises
 * the {@code uncaught_exception} trap, and {@link #takeThrown} gives the exception's tag and
 * payload to the trap that reports it. Only return addresses inside a registered module's code are looked up, and the walk
 * stops unless each caller's frame pointer lies above the one before, so a damaged chain ends the
 * walk instead of looping.
 *
 * <p>The unwinder is an upcall: nothing may escape it (an exception would stop the JVM), so a
 * failure of the walk counts as no handler.
 */
public final class StoreExceptions {
  /** Every address, for reading the native stack's frame records. */
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  private static final class Handles {
    /** The unwinder's upcall; a failed call answers 0, no handler. */
    static final GuardedUpcall UNWIND;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        UNWIND = GuardedUpcall.of(lookup.findStatic(StoreExceptions.class, "enter", UpcallShape.TYPE), 0);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Handles() {}
  }

  private final MemorySegment context;
  private final Supplier<List<CodeRegion>> regions;
  /**
   * What the Java heap holds for one host-thrown exception's origin ({@link #origins}: the host's
   * own exception with its stack trace and payload), charged to the store with its object while
   * the origin is kept: about 1 KiB, measured (red team 10 F3: 100,000 caught host throws kept
   * about 100 MiB). Without the charge a guest catching host throws in a loop grew the Java heap
   * by that much for each ~48 bytes the store's memory limit saw.
   */
  static final long ORIGIN_BYTES = 1024;

  private final StoreResources.Budget memory;
  /** What host throws allocate their objects with ({@link #throwFromHost}). */
  private final HostAllocation heap;
  private Executor installedFor;
  private long uncaught;
  /**
   * What a host function threw, by the address of the object made for it ({@link #throwFromHost}):
   * at most one entry per object, each charged {@link #ORIGIN_BYTES} to the store's memory limit
   * until it reaches Java ({@link #takeThrown}), its object dies (a guest caught it and kept no
   * exnref: the collection that finds it unreachable drops the entry, {@link #roots}) or the store
   * closes.
   */
  private Map<Long, Object> origins = new HashMap<>();

  /** How a host's throw gets its object from the store's GC heap. */
  interface HostAllocation {
    /**
     * The address of {@code bytes} zeroed bytes of the heap (collecting first if it must, with
     * {@code held}'s words among the roots, rewritten in place), or 0 when they do not fit.
     */
    long allocate(long bytes, long[] held);

    /**
     * Collects now if the store can (its activations can be walked), {@code held}'s words among
     * the roots, rewritten in place: the kept origins of dead objects go back to the memory limit.
     */
    void collect(long[] held);
  }

  StoreExceptions(MemorySegment context, Supplier<List<CodeRegion>> regions, StoreResources.Budget memory,
      HostAllocation heap) {
    this.context = context;
    this.regions = regions;
    this.memory = memory;
    this.heap = heap;
  }

  /**
   * Points the store context's unwinder entry at the upcall of code that {@code executor} runs
   * (once per store), which finds this object through {@code upcalls}, the store's entry in {@link
   * UpcallRegistry}. A store runs exception-handling code of one target: the context holds one
   * pointer per entry. The stub is the executor's, for every store, its target static: one bound to
   * this object was a JNI global root that kept the store for the JVM's life (red team 24 F1).
   *
   * @throws IllegalStateException if the entries were installed for another executor
   */
  synchronized void install(Executor executor, StoreUpcalls upcalls) {
    if (installedFor == executor) {
      return;
    }
    if (installedFor != null) {
      throw new IllegalStateException("this store already runs exception-handling code of another target;"
          + " a store runs such code of one target");
    }
    upcalls.exceptions(this);
    context.set(JAVA_LONG, StoreLayout.EXCEPTION_THROW,
        executor.staticHostFunction(Handles.UNWIND).address());
    installedFor = executor;
  }

  /**
   * Makes the object of an exception a host function throws into its wasm caller ({@code
   * codegen.abi.HostCallFailure}) and leaves it in the store context's {@code pending_exception},
   * where the host function's trampoline takes it from: allocated in the GC heap ({@link
   * HostAllocation}, the payload's references held across a collection), tag and payload written
   * as compiled code writes them ({@link ExceptionLayout}). {@code origin} is remembered with the
   * object, charged {@link #ORIGIN_BYTES}: if no wasm frame catches it, {@link #takeThrown} gives it
   * back, so the host's exception reaches Java as itself.
   *
   * @return false when the heap or the memory limit has no room for the object
   */
  boolean throwFromHost(ExceptionTag tag, List<WasmValue> payload, Object origin) {
    long[] words = new long[payload.size()];
    int references = 0;
    for (int i = 0; i < words.length; i++) {
      words[i] = payload.get(i).bits();
      references += payload.get(i) instanceof WasmValue.Ref ? 1 : 0;
    }
    // Only the references' words are held across the allocation, whose collection may move their
    // objects: a number is no root, and one that happened to equal an object's address would be
    // rewritten to the object's new address.
    long[] held = new long[references];
    for (int i = 0, r = 0; i < words.length; i++) {
      if (payload.get(i) instanceof WasmValue.Ref) {
        held[r++] = words[i];
      }
    }
    long exception = heap.allocate(ExceptionLayout.size(payload.size()), held);
    if (exception == 0) {
      return false;
    }
    for (int i = 0, r = 0; i < words.length; i++) {
      if (payload.get(i) instanceof WasmValue.Ref) {
        words[i] = held[r++];
      }
    }
    MemorySegment object = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.size(payload.size()));
    object.set(JAVA_INT, ExceptionLayout.TYPE_ID, tag.typeId());
    object.set(JAVA_INT, ExceptionLayout.COUNT, ObjectLayout.exceptionWord(payload.size()));
    object.set(JAVA_LONG, ExceptionLayout.TAG, tag.identity());
    for (int i = 0; i < words.length; i++) {
      object.set(JAVA_LONG, ExceptionLayout.value(i), words[i]);
      object.set(JAVA_LONG, ExceptionLayout.value(i) + 8, payload.get(i) instanceof WasmValue.V128 x ? x.high() : 0);
    }
    if (origin != null) {
      if (!memory.tryTake(ORIGIN_BYTES)) {
        // the limit may be full of the origins of objects that died: a collection gives them back
        long[] self = {exception};
        heap.collect(self);
        exception = self[0];
        if (!memory.tryTake(ORIGIN_BYTES)) {
          return false;
        }
      }
      synchronized (this) {
        origins.put(exception, origin);
      }
    }
    context.set(JAVA_LONG, StoreLayout.PENDING_EXCEPTION, exception);
    return true;
  }

  /**
   * The upcall, the throw stub's question for every store: {@link #unwind} of the store whose
   * context {@code vmctx} names ({@link UpcallRegistry}), or 0 (no handler: the uncaught-exception
   * trap) when no open store's is named; its guard answers 0 for whatever it throws.
   */
  private static long enter(long vmctx, long exception, long unused1, long unused2, long unused3) {
    StoreExceptions runtime = UpcallRegistry.exceptionsOf(vmctx);
    return runtime == null ? 0 : runtime.unwind(vmctx, exception, unused1, unused2, unused3);
  }

  /**
   * The throw stub's question ({@code int unwind(vmctx, exception)}): 1 when a frame catches, with
   * the {@code resume_*} fields and {@code caught_exception} written; 0 when none does up to the
   * innermost entry.
   */
  long unwind(long vmctx, long exception, long unused1, long unused2, long unused3) {
    try {
      long pc = context.get(JAVA_LONG, StoreLayout.TRAP_PC);
      long fp = context.get(JAVA_LONG, StoreLayout.TRAP_FP);
      long entryFp = context.get(JAVA_LONG, StoreLayout.ENTRY_FP);
      List<CodeRegion> modules = regions.get();
      while (true) {
        CodeRegion.Resume landing = landingPad(modules, pc);
        if (landing != null) {
          context.set(JAVA_LONG, StoreLayout.RESUME_PC, landing.pc());
          context.set(JAVA_LONG, StoreLayout.RESUME_SP, fp - landing.frameBelowFp());
          context.set(JAVA_LONG, StoreLayout.RESUME_FP, fp);
          context.set(JAVA_LONG, StoreLayout.CAUGHT_EXCEPTION, exception);
          return 1;
        }
        long callerFp = ALL.get(JAVA_LONG, fp);
        if (callerFp == entryFp || Long.compareUnsigned(callerFp, fp) <= 0) {
          break;
        }
        pc = ALL.get(JAVA_LONG, fp + 8);
        fp = callerFp;
      }
    } catch (Throwable t) {
      // no handler: the uncaught-exception trap reports the exception
    }
    synchronized (this) {
      uncaught = exception;
    }
    return 0;
  }

  private static CodeRegion.Resume landingPad(List<CodeRegion> modules, long returnAddress) {
    for (int i = 0; i < modules.size(); i++) { // indexed: no iterator for each frame of each throw
      CodeRegion.Resume landing = modules.get(i).landingPad(returnAddress);
      if (landing != null) {
        return landing;
      }
    }
    return null;
  }

  /** The exception of the last {@code uncaught_exception} trap (its object's address), and forgets it. */
  private synchronized long takeUncaught() {
    long e = uncaught;
    uncaught = 0;
    return e;
  }

  /**
   * The exception of the last {@code uncaught_exception} trap as its tag and payload (read now:
   * nothing keeps the object once this forgets it); null when there is none, its header is not an
   * exception's ({@link ObjectLayout#kindOf}), its tag is not one of {@code tags}' (no code of the
   * store throws such an object) or its count is not the tag's.
   */
  ThrownException takeThrown(TagRegistry tags, NativeStore store) {
    long exception = takeUncaught();
    if (exception == 0) {
      return null;
    }
    return takeThrown(exception, tags, store);
  }

  /**
   * The exception object at {@code exception} (one of this store's) as its tag and payload, null
   * under the conditions of {@link #takeThrown(TagRegistry, NativeStore)}; its origin is forgotten.
   */
  ThrownException takeThrown(long exception, TagRegistry tags, NativeStore store) {
    MemorySegment header = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.PAYLOAD);
    int kindWord = header.get(JAVA_INT, ExceptionLayout.COUNT);
    if (ObjectLayout.kindOf(kindWord) != ObjectLayout.Kind.EXCEPTION) {
      return null;
    }
    ExceptionTag tag = tags.tag(header.get(JAVA_LONG, ExceptionLayout.TAG)).orElse(null);
    if (tag == null) {
      return null;
    }
    List<ValType> types = tag.type().params();
    int count = kindWord & ObjectLayout.EXCEPTION_COUNT_MASK;
    if (count != types.size()) {
      return null;
    }
    MemorySegment object = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.size(count));
    List<WasmValue> payload = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long offset = ExceptionLayout.value(i);
      payload.add(WasmValue.ofBits(types.get(i), object.get(JAVA_LONG, offset), object.get(JAVA_LONG, offset + 8)));
    }
    Object origin;
    synchronized (this) {
      origin = origins.remove(exception);
      if (origin != null) {
        // no longer kept: the exception reached Java, which now holds the origin itself
        memory.release(ORIGIN_BYTES);
      }
    }
    return new ThrownException(tag, payload, store, origin);
  }

  /** What a collection must know of this object: {@link Roots}. */
  Roots roots() {
    return new Roots();
  }

  /**
   * The exception of the last uncaught trap, a root until Java takes it; and the objects whose host
   * origin is kept, followed but not kept alive: an entry whose object died is dropped and its
   * charge given back, so a guest catching host throws in a loop keeps nothing of them.
   */
  final class Roots implements GcRoots, GcWeakRoots {
    @Override
    public void relocate(LongUnaryOperator relocate) {
      synchronized (StoreExceptions.this) {
        uncaught = relocate.applyAsLong(uncaught);
      }
    }

    @Override
    public void retain(LongUnaryOperator survivor) {
      synchronized (StoreExceptions.this) {
        if (origins.isEmpty()) {
          return;
        }
        // The new map is made whole before anything changes: an OutOfMemoryError while it fills
        // (this runs inside the collection) leaves the origins and their charges as they were.
        Map<Long, Object> moved = HashMap.newHashMap(origins.size());
        int died = 0;
        for (Map.Entry<Long, Object> entry : origins.entrySet()) {
          long now = survivor.applyAsLong(entry.getKey());
          if (now == 0) {
            died++;
          } else {
            moved.put(now, entry.getValue());
          }
        }
        origins = moved;
        memory.release(died * ORIGIN_BYTES);
      }
    }
  }

  /** Forgets the kept origins (the store is closing: its heap and budget go with it). */
  synchronized void free() {
    origins.clear();
  }
}
