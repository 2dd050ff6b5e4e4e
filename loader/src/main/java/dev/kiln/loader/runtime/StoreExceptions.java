package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Supplier;

/**
 * One store's side of WebAssembly 3.0 exception handling: the exception objects its code makes
 * ({@link dev.kiln.artifact.vm.Builtin#EXCEPTION_NEW}, laid out as {@link ExceptionLayout}, from the
 * C heap, freed when the store closes) and the unwinder the throw stub calls ({@link
 * dev.kiln.artifact.vm.Builtin#THROW}).
 *
 * <p>Objects live until the store closes: an {@code exnref} may sit in a local, global or table and
 * be thrown again by {@code throw_ref} after any catch, and nothing tracks those copies, so no
 * object is freed earlier. What bounds a guest that throws in a loop is the store's memory limit
 * ({@code StoreLimits#maxMemoryBytes}, the budget linear memories, tables' host memory and the GC
 * heap share) and, with no limit set, {@link #MAX_BYTES}: each object's bytes and its entry in the
 * list below are taken from it, and an allocation that does not fit returns 0, on which the {@code throw} traps with {@code
 * exception_memory_exhausted}.
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
 * <p>Both entries are upcalls: nothing may escape them (an exception would stop the JVM), so a
 * failure of the allocation returns 0, which compiled code traps on, and a failure of the walk
 * counts as no handler.
 */
public final class StoreExceptions {
  /** Every address, for reading the native stack's frame records. */
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  private static final class Handles {
    static final MethodHandle NEW;
    static final MethodHandle UNWIND;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        NEW = lookup.findVirtual(StoreExceptions.class, "allocate", UpcallShape.TYPE);
        UNWIND = lookup.findVirtual(StoreExceptions.class, "unwind", UpcallShape.TYPE);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Handles() {}
  }

  private final MemorySegment context;
  private final Supplier<List<CodeRegion>> regions;
  /**
   * The bytes a live object holds besides its own: its address in {@link #objects}, whose capacity
   * doubles, so at most two slots an object.
   */
  static final long BOOKKEEPING_BYTES = 2 * Long.BYTES;

  /**
   * The most bytes one store's exception objects take whatever its memory limit: a store made with
   * no limit ({@code StoreLimits.DEFAULTS}) would otherwise let a guest throwing in a loop grow the
   * C heap without end. The GC heap's cap ({@link ObjectLayout#MAX_HEAP_BYTES}), for the same reason.
   */
  static final long MAX_BYTES = ObjectLayout.MAX_HEAP_BYTES;

  /**
   * What the Java heap holds for one host-thrown exception's origin ({@link #origins}: the host's
   * own exception with its stack trace and payload), charged to the store with its object while
   * the origin is kept: about 1 KiB, measured (red team 10 F3: 100,000 caught host throws kept
   * about 100 MiB). Without the charge a guest catching host throws in a loop grew the Java heap
   * by that much for each ~48 bytes the store's memory limit saw.
   */
  static final long ORIGIN_BYTES = 1024;

  private final StoreResources.Budget memory;
  /**
   * The store's tags: an object keeps its tag there until the store closes ({@link
   * TagRegistry#carry}), since reading the object (a collection, the host) needs the tag's types.
   */
  private final TagRegistry tags;
  /** Every object's address, until the store frees them all. */
  private long[] objects = new long[16];
  private int objectCount;
  /**
   * The C-heap blocks the objects are cut from: objects live until the store closes, so they are
   * bump-allocated from chunks that grow from {@link #FIRST_CHUNK_BYTES} to {@link
   * #LAST_CHUNK_BYTES} and are freed together, instead of one {@code calloc} and {@code free} per
   * throw (issue 38's throw loop spent a tenth of its Java time there and in freeing). The unused
   * tail of the current chunk is the only memory not charged to the store, at most {@link
   * #LAST_CHUNK_BYTES}.
   */
  private MemorySegment[] chunks = new MemorySegment[4];
  private int chunkCount;
  private long chunkCursor;
  private long chunkEnd;
  static final long FIRST_CHUNK_BYTES = 1024;
  static final long LAST_CHUNK_BYTES = 64 * 1024;
  private long bytes;
  private Executor installedFor;
  /**
   * Holds the upcall stubs whose addresses the store context has: an automatic arena frees them once
   * nothing references it, so this field must (a local would let the collector free the stubs while
   * compiled code still calls them).
   */
  private Arena upcalls;
  private long uncaught;
  /**
   * What a host function threw, by the address of the object made for it ({@link #throwFromHost}):
   * at most one entry per object, each charged {@link #ORIGIN_BYTES} to the store's memory limit
   * and the cap until it reaches Java ({@link #takeThrown}) or the store closes.
   */
  private final Map<Long, Object> origins = new HashMap<>();

  StoreExceptions(MemorySegment context, Supplier<List<CodeRegion>> regions, StoreResources.Budget memory,
      TagRegistry tags) {
    this.context = context;
    this.regions = regions;
    this.memory = memory;
    this.tags = tags;
  }

  /**
   * Points the store context's exception entries at this object's upcalls for code that {@code
   * executor} runs (once per store). A store runs exception-handling code of one target: the
   * context holds one pointer per entry.
   *
   * @throws IllegalStateException if the entries were installed for another executor
   */
  synchronized void install(Executor executor) {
    if (installedFor == executor) {
      return;
    }
    if (installedFor != null) {
      throw new IllegalStateException("this store already runs exception-handling code of another target;"
          + " a store runs such code of one target");
    }
    upcalls = Arena.ofAuto(); // the upcalls live as long as this object, which the store holds
    context.set(JAVA_LONG, StoreLayout.EXCEPTION_NEW,
        executor.hostFunction(Handles.NEW.bindTo(this), UpcallShape.DESCRIPTOR, upcalls).address());
    context.set(JAVA_LONG, StoreLayout.EXCEPTION_THROW,
        executor.hostFunction(Handles.UNWIND.bindTo(this), UpcallShape.DESCRIPTOR, upcalls).address());
    installedFor = executor;
  }

  /**
   * {@code exception_new(vmctx, tag identity, payload count)}: a zeroed object with its tag and
   * count set, or 0 when the store's memory limit or the C heap has no room for it.
   */
  long allocate(long vmctx, long tag, long count, long unused1, long unused2) {
    return allocate(tag, (int) count, 0);
  }

  /**
   * An object as {@link #allocate(long, long, long, long, long)} makes it, charging {@code extra}
   * bytes besides, and {@link TagRegistry#RETAINED_BYTES} when it is the first to carry its tag,
   * which then stays in the registry until the store closes.
   */
  private long allocate(long tag, int n, long extra) {
    try {
      synchronized (this) {
        boolean firstCarrier = tags.firstCarrier(tag);
        long charge = ExceptionLayout.size(n) + BOOKKEEPING_BYTES + extra
            + (firstCarrier ? TagRegistry.RETAINED_BYTES : 0);
        if (bytes > MAX_BYTES - charge || !memory.tryTake(charge)) {
          return 0;
        }
        MemorySegment object;
        try {
          if (objectCount == objects.length) {
            objects = Arrays.copyOf(objects, objectCount * 2);
          }
          object = carve(ExceptionLayout.size(n));
        } catch (Throwable t) {
          memory.release(charge);
          return 0;
        }
        object.set(JAVA_LONG, ExceptionLayout.TAG, tag);
        object.set(JAVA_INT, ExceptionLayout.COUNT, n);
        objects[objectCount++] = object.address();
        bytes += charge;
        if (firstCarrier) {
          tags.carry(tag);
        }
        return object.address();
      }
    } catch (Throwable t) {
      return 0;
    }
  }

  /**
   * {@code size} zeroed bytes (a multiple of {@link NativeHeap#ALIGNMENT}, as every object size is)
   * from the current chunk, or from a new one when it has no room: the next size up, or the
   * object's own size when that is larger.
   *
   * @throws OutOfMemoryError if the C heap has no room
   */
  private MemorySegment carve(long size) {
    if (chunkEnd - chunkCursor < size) {
      long chunkBytes = chunkCount == 0 ? FIRST_CHUNK_BYTES
          : Math.min(LAST_CHUNK_BYTES, chunks[chunkCount - 1].byteSize() * 2);
      MemorySegment chunk = NativeHeap.allocate(Math.max(chunkBytes, size));
      if (chunkCount == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunkCount * 2);
      }
      chunks[chunkCount++] = chunk;
      chunkCursor = chunk.address();
      chunkEnd = chunkCursor + chunk.byteSize();
    }
    MemorySegment object = MemorySegment.ofAddress(chunkCursor).reinterpret(size);
    chunkCursor += size;
    return object;
  }

  /**
   * Makes the object of an exception a host function throws into its wasm caller ({@code
   * codegen.abi.HostCallFailure}) and leaves it in the store context's {@code pending_exception},
   * where the host function's trampoline takes it from: allocated as {@code throw} allocates (the
   * same charge against the store's memory limit), tag and payload written as compiled code writes
   * them ({@link ExceptionLayout}). {@code origin} is remembered with the object: if no wasm frame
   * catches it, {@link #takeThrown} gives it back, so the host's exception reaches Java as itself.
   *
   * @return false when the memory limit or the C heap has no room for the object
   */
  boolean throwFromHost(ExceptionTag tag, List<WasmValue> payload, Object origin) {
    long exception = allocate(tag.identity(), payload.size(), origin == null ? 0 : ORIGIN_BYTES);
    if (exception == 0) {
      return false;
    }
    MemorySegment object = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.size(payload.size()));
    for (int i = 0; i < payload.size(); i++) {
      WasmValue v = payload.get(i);
      object.set(JAVA_LONG, ExceptionLayout.value(i), v.bits());
      object.set(JAVA_LONG, ExceptionLayout.value(i) + 8, v instanceof WasmValue.V128 x ? x.high() : 0);
    }
    if (origin != null) {
      synchronized (this) {
        origins.put(exception, origin);
      }
    }
    context.set(JAVA_LONG, StoreLayout.PENDING_EXCEPTION, exception);
    return true;
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
   * The exception of the last {@code uncaught_exception} trap as its tag and payload (read now: the
   * object lives until the store closes, but nothing names it after the call ends), and forgets
   * it; null when there is none or its tag is not one of {@code tags}' (no code of the store
   * throws such an object) or its count is not the tag's.
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
    ExceptionTag tag = tags.tag(header.get(JAVA_LONG, ExceptionLayout.TAG)).orElse(null);
    if (tag == null) {
      return null;
    }
    List<ValType> types = tag.type().params();
    int count = header.get(JAVA_INT, ExceptionLayout.COUNT);
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
        bytes -= ORIGIN_BYTES;
        memory.release(ORIGIN_BYTES);
      }
    }
    return new ThrownException(tag, payload, store, origin);
  }

  /**
   * Rewrites the GC references in every exception object's payload (a collection moved the objects,
   * {@link GcRoots}): an object lives until the store closes and may be caught, held in an
   * {@code exnref} or thrown again at any time, so each is a root, the pending and caught ones
   * among them. Only the payload values whose type in the object's tag is a reference are passed
   * to {@code relocate}: an i64 that happens to look like a heap address is left alone. An object
   * whose tag {@code tags} does not know, or whose count is not its tag's, holds nothing compiled
   * code of this store made with references.
   */
  synchronized void relocatePayloads(TagRegistry tags, java.util.function.LongUnaryOperator relocate) {
    for (int o = 0; o < objectCount; o++) {
      long exception = objects[o];
      MemorySegment header = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.PAYLOAD);
      ExceptionTag tag = tags.tag(header.get(JAVA_LONG, ExceptionLayout.TAG)).orElse(null);
      if (tag == null) {
        continue;
      }
      List<ValType> types = tag.type().params();
      int count = header.get(JAVA_INT, ExceptionLayout.COUNT);
      if (count != types.size()) {
        continue;
      }
      MemorySegment object = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.size(count));
      for (int i = 0; i < count; i++) {
        if (types.get(i).isReference()) {
          long at = ExceptionLayout.value(i);
          object.set(JAVA_LONG, at, relocate.applyAsLong(object.get(JAVA_LONG, at)));
        }
      }
    }
  }

  /**
   * Whether {@code word} is the address of one of this store's live exception objects: what an
   * exnref the host hands in must be, since {@code throw_ref} and the unwinder read it as one. A
   * scan of the objects made so far (their count is bounded by the memory limit); it runs only for
   * a non-null exnref argument, never on the wasm side.
   */
  synchronized boolean holds(long word) {
    for (int i = 0; i < objectCount; i++) {
      if (objects[i] == word) {
        return true;
      }
    }
    return false;
  }

  /** Frees every exception object (the store is closing: no code of it runs again). */
  synchronized void free() {
    for (int i = 0; i < chunkCount; i++) {
      NativeHeap.free(chunks[i]);
    }
    chunks = new MemorySegment[0];
    chunkCount = 0;
    chunkCursor = 0;
    chunkEnd = 0;
    objects = new long[0];
    objectCount = 0;
    origins.clear();
    bytes = 0;
  }
}
