package dev.kiln.runtime;

import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.runtime.HostCallNesting;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.sys.NativeHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * Every public entry point of the embedding API, attempted at every stack depth over a window near
 * the end of the thread's stack (issue 35, red teams 21 and 22): a recursion runs into a {@code
 * StackOverflowError}, and on its way back each level attempts one operation with a little more
 * stack than the level below it, so the overflow lands at each frame of the operation's path that
 * needs more stack than everything before it. Each operation is swept twice: the first sweep links
 * and initialises what its path uses for the first time, which takes more stack than anything after
 * it, so only the second reaches the frames beyond.
 *
 * <p>Each attempt has a store of its own, made at the top. After a batch of attempts, back at the
 * top, every store must be usable by its own thread again (its next claim pays what an overflow left
 * it owing), with its GC heap as a collection leaves it ({@code HeapVerifier}); a store of any thread
 * must then be usable by another thread; an instance whose close was interrupted must be freed by
 * its next close; and every store must close. Once all are closed, what Kiln holds of the process
 * (C-heap blocks, guard registrations, reserved address space, free pool slots, host calls in
 * progress on the thread) must be what it held before. At the end every operation must still work
 * at the top: a class first initialised at the end of a stack stays erroneous for the JVM's life
 * (red team 22 F4: {@code StringConcatFactory}, and every concatenation not yet linked with it).
 *
 * <p>Run in a JVM of its own ({@link StackOverflowInCallTest}): the counts are the process's, and
 * the JVM must not have initialised the API's paths before the sweep. {@code StackEndSweep
 * default|confined on-demand|pooled OPERATION...} prints one {@code ok OPERATION} line per
 * operation, one {@code FAIL ...} line per failure (the first few of each operation, then their
 * number) and {@code done} at the end; {@code StackEndSweep paths on-demand|pooled OPERATION...}
 * makes each operation once at the top, for {@link CallPathClassesTest}.
 */
final class StackEndSweep {
  /** Stack the fixture's own root set uses when a collection relocates it, well within ThreadStack.STEP. */
  private static final long ROOT_STACK_BYTES = 12 * 1024;
  /** The argument the host function refuses with an exception. */
  private static final int REFUSED = 99;
  /** The argument that has the host function recurse to the stack's end ({@link Operation#HOST_CALLBACK_INSIDE}). */
  private static final int INSIDE = 98;
  /** Attempts made on one way back from an overflow, each with a store of its own. */
  private static final int BATCH = 16;
  /** An operation's window ends after a batch in which no attempt overflowed. */
  private static final int MAX_ATTEMPTS = 8_000;
  /** Slots of the pooled engine: each store of a batch holds at most three instances. */
  private static final int POOL_SLOTS = 3 * BATCH + 4;

  static final String WAT = """
      (module
        (import "host" "cb" (func $cb (param i32) (result i32)))
        (import "host" "caller" (func $caller (param i32) (result i32)))
        (type $s (struct (field i32)))
        (memory (export "memory") 1)
        (table (export "table") 2 funcref)
        (tag $e (export "e") (param i32))
        (global $g (export "g") (mut i32) (i32.const 7))
        (func (export "f0") (result i64) (i64.const 42))
        (func (export "f1") (param i64) (result i64) (local.get 0))
        (func (export "f2") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
        (func (export "f3") (param i64 i64 i64) (result i64)
          (i64.add (i64.add (local.get 0) (local.get 1)) (local.get 2)))
        (func (export "f4") (param i64 i64 i64 i64) (result i64)
          (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (local.get 3))))
        (func (export "f5") (param i64 i64 i64 i64 i64) (result i64)
          (i64.add (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (local.get 3)))
            (local.get 4)))
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "viaHost") (param i32) (result i32) (call $cb (local.get 0)))
        (func (export "viaCaller") (param i32) (result i32) (call $caller (local.get 0)))
        (func (export "throws") (throw $e (i32.const 3)))
        (func (export "trap") (result i32) unreachable)
        (func (export "make") (result (ref null $s)) (struct.new $s (i32.const 5)))
        (func (export "read") (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0))))
      """;

  /**
   * A module whose instances are freed at their close: no function of it can have left it (an
   * exported function's reference may reach Java, and pins its instance until the store closes).
   */
  static final String PLAIN_WAT = """
      (module (memory 1) (data (i32.const 0) "x") (global $h (export "h") (mut i32) (i32.const 3)))
      """;

  /**
   * A WASI guest: {@code rand} calls {@code random_get}; {@code down(n, call)} recurses {@code n}
   * levels and at the bottom calls it if {@code call} is 1, so that its first call (and the first
   * link of the WASI code's call sites) can be made at the deepest point compiled code lets a guest
   * reach ({@link Operation#WASI_AT_WASM_DEPTH}).
   */
  static final String WASI_WAT = """
      (module
        (import "wasi_snapshot_preview1" "random_get" (func $rg (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "rand") (result i32) (call $rg (i32.const 16) (i32.const 8)))
        (func $down (export "down") (param i32 i32) (result i32)
          (if (result i32) (local.get 0)
            (then (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)) (local.get 1))))
            (else (if (result i32) (local.get 1) (then (call $rg (i32.const 16) (i32.const 8))) (else (i32.const 0)))))))
      """;

  /** One entry point of the API, attempted on a fixture at some depth. */
  enum Operation {
    DIRECT_0,
    DIRECT_1,
    DIRECT_2,
    DIRECT_3,
    DIRECT_4,
    DIRECT_ARRAY,
    DIRECT_MADE_THERE,
    TYPED,
    TYPED_MADE_THERE,
    FUNC_CALL,
    GLOBAL,
    HOST_CALLBACK,
    /** Once at the top: the host function itself recurses to the stack's end and uses the store at every level back. */
    HOST_CALLBACK_INSIDE,
    TRAP,
    HOST_FAILURE,
    GC_COLLECT,
    GC_OBJECT,
    INSTANTIATE,
    INSTANCE_CLOSE,
    STORE_CLOSE,
    NEW_STORE,
    // red team 23's (F1: Memory.write and Table.grow broken for the JVM's life when first run here)
    MEMORY_READ,
    MEMORY_WRITE,
    MEMORY_GROW,
    MEMORY_SIZE,
    TABLE_GET,
    TABLE_SET,
    TABLE_GROW,
    TABLE_SIZE,
    GLOBAL_TYPE,
    INSTANCE_EXPORTS,
    LINKER_DEFINE,
    LINKER_FUNC,
    CALLER_ACCESS,
    WASM_THROW,
    COMPILE,
    DESERIALIZE,
    MODULE_TYPES,
    WASI_INSTANTIATE,
    WASI_CALL,
    /** Once at the top: a guest recurses to the deepest point it may reach and calls WASI there. */
    WASI_AT_WASM_DEPTH,
    GC_STATISTICS;

    /**
     * The operation on {@code f}. A switch on an enum and plain calls only: nothing here may link a
     * call site of the test's own at the end of the stack.
     */
    void attempt(Fixture f) {
      switch (this) {
        case DIRECT_0 -> f.d0.call();
        case DIRECT_1 -> f.d1.call(1);
        case DIRECT_2 -> f.d2.call(1, 2);
        case DIRECT_3 -> f.d3.call(1, 2, 3);
        case DIRECT_4 -> f.d4.call(1, 2, 3, 4);
        case DIRECT_ARRAY -> f.d5.call(f.args5, f.out1);
        case DIRECT_MADE_THERE -> f.instance.func("f1").direct().call(3);
        case TYPED -> f.add.applyAsInt(1, 2);
        case TYPED_MADE_THERE -> f.instance.func("add", IntBinaryOperator.class).applyAsInt(1, 2);
        case FUNC_CALL -> f.f2.call(f.one, f.two);
        case GLOBAL -> f.g.set(f.g.get());
        case HOST_CALLBACK -> f.viaHost.call(f.oneI32);
        case HOST_CALLBACK_INSIDE -> f.viaHost.call(f.insideI32);
        case TRAP -> {
          try {
            f.trap.call();
          } catch (Trap expected) {
            // the trap's path is what is attempted
          }
        }
        case HOST_FAILURE -> {
          try {
            f.viaHost.call(f.refusedI32);
          } catch (Trap expected) {
            // the host function's failure, as a trap
          }
        }
        case GC_COLLECT -> f.store.internal().collectGarbage(f.noWords, false);
        case GC_OBJECT -> {
          f.read.call(f.object);
          f.store.gcStatistics();
        }
        case INSTANTIATE -> f.made = f.linker.instantiate(f.sweep.module);
        case INSTANCE_CLOSE -> f.plain.close();
        case STORE_CLOSE -> f.store.close();
        case NEW_STORE -> f.madeStore = new Store(f.sweep.engine);
        case MEMORY_READ -> f.memory.read(0, 4);
        case MEMORY_WRITE -> f.memory.write(8, f.bytes);
        case MEMORY_GROW -> f.memory.grow(0);
        case MEMORY_SIZE -> f.memory.byteSize();
        case TABLE_GET -> f.table.get(0);
        case TABLE_SET -> f.table.set(1, f.nullFunc);
        case TABLE_GROW -> f.table.grow(0, f.nullFunc);
        case TABLE_SIZE -> f.table.size();
        case GLOBAL_TYPE -> f.g.type();
        case INSTANCE_EXPORTS -> f.instance.exports();
        case LINKER_DEFINE -> f.linker.define("again", "g" + f.defined++, f.g);
        case LINKER_FUNC -> f.linker.func("again", "f" + f.defined++, IntUnaryOperator.class, f.identity);
        case CALLER_ACCESS -> f.viaCaller.call(f.oneI32);
        case WASM_THROW -> {
          try {
            f.throwing.call();
          } catch (WasmThrow expected) {
            // the exception's way out to Java is what is attempted
          }
        }
        case COMPILE -> f.madeModule = WasmModule.compile(f.sweep.engine, f.sweep.plainWasm);
        case DESERIALIZE -> f.madeModule = WasmModule.deserialize(f.sweep.engine, f.sweep.plainArtifact);
        case MODULE_TYPES -> {
          f.sweep.module.imports();
          f.sweep.module.exports();
        }
        case WASI_INSTANTIATE -> new Linker(f.store).wasi(f.sweep.wasiOptions).instantiate(f.sweep.wasiModule);
        case WASI_CALL -> f.wasiRand.call();
        case WASI_AT_WASM_DEPTH -> f.wasiDown.call(f.zeroI32, f.oneI32);
        case GC_STATISTICS -> f.store.gcStatistics();
      }
    }
  }

  private final Engine engine;
  private final WasmModule module;
  private final WasmModule plainModule;
  private final boolean confined;
  private final ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "other-thread"));
  private final List<String> failures = new ArrayList<>();

  /** {@link #PLAIN_WAT} as wasm and as an artifact, for {@link Operation#COMPILE} and {@link Operation#DESERIALIZE}. */
  private final byte[] plainWasm;
  private final byte[] plainArtifact;
  private final WasmModule wasiModule;
  private final WasiOptions wasiOptions = WasiOptions.builder().build();
  /** The operation being swept: its fixtures make at the top what it needs. */
  private Operation current;
  /**
   * {@code first-links} mode: each operation swept once, in a JVM where nothing ran it before, at
   * {@link #recurseCoarsely}'s levels (for {@code StackOverflowInCallTest.eachOperationInAJvmOfItsOwn}).
   */
  private boolean firstLinks;

  private StackEndSweep(Engine engine, WasmModule module, boolean confined) {
    this.engine = engine;
    this.module = module;
    this.plainWasm = dev.kiln.wat.Wat.toBinaryWithNames(PLAIN_WAT, "plain.wat");
    this.plainModule = WasmModule.compile(engine, plainWasm);
    this.plainArtifact = plainModule.serialize();
    this.wasiModule = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(WASI_WAT, "wasi.wat"));
    this.confined = confined;
  }

  /** What one attempt works on: a store of its own, an instance and handles, made at the top. */
  static final class Fixture {
    final StackEndSweep sweep;
    final Store store;
    final Linker linker;
    final Instance instance;
    /** An instance freed at its close ({@link #PLAIN_WAT}). */
    final Instance plain;
    final Global g;
    final Func f2;
    final Func viaHost;
    final Func trap;
    final Func make;
    final Func read;
    final DirectCall d0;
    final DirectCall d1;
    final DirectCall d2;
    final DirectCall d3;
    final DirectCall d4;
    final DirectCall d5;
    final IntBinaryOperator add;
    final long[] args5 = {1, 2, 3, 4, 5};
    final long[] out1 = new long[1];
    final Val one = Val.i64(1);
    final Val two = Val.i64(2);
    final Val oneI32 = Val.i32(1);
    final Val refusedI32 = Val.i32(REFUSED);
    final Val insideI32 = Val.i32(INSIDE);
    /** Structs made at the top, for the collections (two: one moved before the other) and conversions at depth. */
    final Val object;
    final Val another;
    /** Uses of the store inside the host function that overflowed ({@link Operation#HOST_CALLBACK_INSIDE}). */
    final int[] overflowedInside = {0};
    final long[] noWords = new long[0];
    final Memory memory;
    final Table table;
    final Func viaCaller;
    final Func throwing;
    final byte[] bytes = {1, 2, 3, 4};
    final Val nullFunc = Val.nullRef(ValType.FUNCREF);
    final Val zeroI32 = Val.i32(0);
    final IntUnaryOperator identity = x -> x;
    /** Names {@link Operation#LINKER_DEFINE} and {@link Operation#LINKER_FUNC} have defined. */
    int defined;
    /** What {@link Operation#COMPILE} or {@link Operation#DESERIALIZE} made: closed at the top. */
    WasmModule madeModule;
    /** A WASI instance's functions, made at the top for the operations that call them. */
    final Func wasiRand;
    final Func wasiDown;
    /** What {@link Operation#INSTANTIATE} made. */
    Instance made;
    /** What {@link Operation#NEW_STORE} made: closed at the top. */
    Store madeStore;
    /** The attempt's outcome: null, or what it threw. */
    Throwable thrown;

    Fixture(StackEndSweep sweep) {
      this.sweep = sweep;
      store = sweep.confined ? Store.builder(sweep.engine).confined().build() : new Store(sweep.engine);
      DirectCall[] nested = {null};
      Global[] global = {null};
      // The host function reads a global of its caller's instance and calls back into wasm: a
      // nested claim and a nested entry inside the host call.
      int[] overflowed = overflowedInside;
      Linker withCaller = new Linker(store).func("host", "caller",
          new FuncType(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
            // a host function's use of its caller's exports, at whatever depth the guest called it
            Memory callers = caller.memory("memory").orElseThrow();
            callers.write(0, new byte[] {7});
            return List.of(Val.i32(callers.read(0, 1)[0] + (caller.func("add").isPresent() ? 1 : 0)));
          });
      linker = withCaller.func("host", "cb", IntUnaryOperator.class, x -> {
        if (x == REFUSED) {
          throw new IllegalStateException("the host function refuses");
        }
        if (x == INSIDE) {
          overflowed[0] += usesAtEveryDepth(global[0], nested[0]);
          return 0;
        }
        return (int) (((Val.I32) global[0].get()).value() + nested[0].call(x));
      });
      instance = linker.instantiate(sweep.module);
      plain = linker.instantiate(sweep.plainModule);
      g = instance.global("g");
      memory = instance.memory("memory");
      table = instance.table("table");
      viaCaller = instance.func("viaCaller");
      throwing = instance.func("throws");
      if (sweep.current == Operation.WASI_CALL || sweep.current == Operation.WASI_AT_WASM_DEPTH) {
        Instance wasi = new Linker(store).wasi(sweep.wasiOptions).instantiate(sweep.wasiModule);
        wasiRand = wasi.func("rand");
        wasiDown = wasi.func("down");
      } else {
        wasiRand = null;
        wasiDown = null;
      }
      f2 = instance.func("f2");
      viaHost = instance.func("viaHost");
      trap = instance.func("trap");
      make = instance.func("make");
      read = instance.func("read");
      d0 = instance.func("f0").direct();
      d1 = instance.func("f1").direct();
      d2 = f2.direct();
      d3 = instance.func("f3").direct();
      d4 = instance.func("f4").direct();
      d5 = instance.func("f5").direct();
      add = instance.func("add", IntBinaryOperator.class);
      nested[0] = d1;
      global[0] = g;
      object = make.call().getFirst();
      another = make.call().getFirst();
      // A root set whose relocation needs more stack than the collection had needed before it (an
      // instance's lazily initialised tables, say): an overflow there comes after it moved an
      // object, so a collection begun without room to finish would leave the heap half moved.
      // Read and registered under one claim: a collection may move the object once it is let go.
      store.internal().exclusive("register a root", () -> {
        long[] word = {((Val.Gc) another).object().word(store.internal())};
        return store.internal().registerGcRoots(relocate -> {
          word[0] = relocate.applyAsLong(word[0]);
          deeperBy(dev.kiln.loader.sys.ThreadStack.pointer() - ROOT_STACK_BYTES);
        });
      });
    }

    /** Recurses until the stack pointer is below {@code target}. */
    private static long deeperBy(long target) {
      return dev.kiln.loader.sys.ThreadStack.pointer() < target ? 0 : 1 + deeperBy(target);
    }
  }

  /** Initialised where the call and close paths begin ({@code paths} mode): its line in -Xlog:class+init marks it. */
  static final class PathsBegin {
    static final long AT = System.nanoTime();

    private PathsBegin() {}
  }

  /** What Kiln holds of the process; each count is one that a store or instance not freed moves. */
  record Footprint(long nativeBlocks, long reservedAddressSpace, int guardedMemories, int freeSlots,
      int hostCallsInProgress) {
    static Footprint of(Engine engine) {
      InstancePool pool = engine.poolOrNull();
      return new Footprint(NativeHeap.liveBlocks(), StoreResources.processReservedAddressSpace(),
          WasmFaults.registeredMemories(), pool == null ? -1 : pool.freeSlots(), HostCallNesting.depth());
    }
  }

  // ---------------------------------------------------------------- the recursion

  /**
   * Recurses until the stack overflows, then, on the way back, has the level {@code k} levels above
   * the deepest one attempt {@code batch[k - first]} for {@code first <= k < first + batch.length}.
   * Only field accesses and calls of methods linked before: nothing here links at the stack's end.
   *
   * @return the number of levels
   */
  private static int recurse(Fixture[] batch, Operation operation, int first, int[] fromBottom) {
    try {
      return 1 + recurse(batch, operation, first, fromBottom);
    } catch (StackOverflowError overflow) {
      attemptOnTheWayBack(batch, operation, first, fromBottom);
      throw overflow;
    }
  }

  /** The attempt of the level {@code fromBottom[0]} above the deepest, if it is in the batch; counts the level. */
  private static void attemptOnTheWayBack(Fixture[] batch, Operation operation, int first, int[] fromBottom) {
    int i = fromBottom[0]++ - first;
    if (i >= 0 && i < batch.length) {
      Fixture f = batch[i];
      try {
        operation.attempt(f);
      } catch (Throwable t) {
        f.thrown = t;
      }
    }
  }

  /**
   * {@link #recurse} with levels about ten times as deep (24 longs live across the call, in the
   * frame compiled or interpreted), for {@link #firstLinks}: a first link needs kilobytes more than
   * it has to fail, so a level every few hundred bytes still lands in that range, with a tenth of
   * the attempts.
   */
  private static int recurseCoarsely(Fixture[] batch, Operation operation, int first, int[] fromBottom) {
    long p0 = first;
    long p1 = p0 * 31 + 1;
    long p2 = p1 * 31 + 2;
    long p3 = p2 * 31 + 3;
    long p4 = p3 * 31 + 4;
    long p5 = p4 * 31 + 5;
    long p6 = p5 * 31 + 6;
    long p7 = p6 * 31 + 7;
    long p8 = p7 * 31 + 8;
    long p9 = p8 * 31 + 9;
    long p10 = p9 * 31 + 10;
    long p11 = p10 * 31 + 11;
    long p12 = p11 * 31 + 12;
    long p13 = p12 * 31 + 13;
    long p14 = p13 * 31 + 14;
    long p15 = p14 * 31 + 15;
    long p16 = p15 * 31 + 16;
    long p17 = p16 * 31 + 17;
    long p18 = p17 * 31 + 18;
    long p19 = p18 * 31 + 19;
    long p20 = p19 * 31 + 20;
    long p21 = p20 * 31 + 21;
    long p22 = p21 * 31 + 22;
    long p23 = p22 * 31 + 23;
    int levels;
    try {
      levels = 1 + recurseCoarsely(batch, operation, first, fromBottom);
    } catch (StackOverflowError overflow) {
      attemptOnTheWayBack(batch, operation, first, fromBottom);
      throw overflow;
    }
    if (levels < 0) {
      sink = p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10 + p11 + p12 + p13 + p14 + p15 + p16 + p17 + p18 + p19 + p20 + p21 + p22 + p23;
    }
    return levels;
  }

  /** What {@link #recurseCoarsely} keeps its values live for. */
  static volatile long sink;

  /**
   * Inside a host function: recurses until the stack overflows and, at every level on the way back,
   * reads a global of the calling instance (a nested claim) and calls into wasm (a nested entry).
   *
   * @return how many of those uses overflowed
   */
  static int usesAtEveryDepth(Global global, DirectCall nested) {
    int[] overflowed = {0};
    try {
      usesOnTheWayBack(global, nested, overflowed);
    } catch (StackOverflowError theRecursionsOwn) {
      // every level has had its turn
    }
    return overflowed[0];
  }

  private static void usesOnTheWayBack(Global global, DirectCall nested, int[] overflowed) {
    try {
      usesOnTheWayBack(global, nested, overflowed);
    } catch (StackOverflowError overflow) {
      try {
        global.get();
        nested.call(1);
      } catch (StackOverflowError inUse) {
        overflowed[0]++;
      } catch (Trap nearTheEnd) {
        // compiled code's stack check: "call stack exhausted"
      }
      throw overflow;
    }
  }

  // ---------------------------------------------------------------- the sweep of one operation

  private void sweep(Operation operation) throws Exception {
    current = operation;
    if (operation == Operation.HOST_CALLBACK_INSIDE) {
      sweepInsideTheHostFunction();
      return;
    }
    if (operation == Operation.WASI_AT_WASM_DEPTH) {
      sweepWasiAtTheDeepestWasm();
      return;
    }
    Footprint before = Footprint.of(engine);
    int attempts = 0;
    int overflowed = 0;
    int window = -1;
    java.util.Set<String> overflowedIn = new java.util.TreeSet<>();
    List<Fixture> refused = new ArrayList<>();
    for (int first = 0; first < MAX_ATTEMPTS; first += BATCH) {
      Fixture[] batch = new Fixture[BATCH];
      for (int i = 0; i < BATCH; i++) {
        // A fixture whose attempt the API's check refused is as it was made: it serves again
        batch[i] = refused.isEmpty() ? new Fixture(this) : refused.removeLast();
      }
      int[] fromBottom = {0};
      try {
        if (firstLinks) {
          recurseCoarsely(batch, operation, first, fromBottom);
        } else {
          recurse(batch, operation, first, fromBottom);
        }
        failures.add("FAIL " + operation + ": the recursion did not overflow");
        return;
      } catch (StackOverflowError expected) {
        // every level has had its turn
      }
      int overflowedHere = 0;
      for (int i = 0; i < BATCH; i++) {
        Fixture f = batch[i];
        attempts++;
        if (f.thrown instanceof StackOverflowError || refusedByTheCheck(f.thrown)) {
          overflowedHere++;
          overflowedIn.add(innermostKilnFrame(f.thrown));
        } else if (f.thrown != null && !causedByOverflow(f.thrown)) {
          failures.add("FAIL " + operation + " level " + (first + i) + ": " + describe(f.thrown));
        }
        if (refusedByTheCheck(f.thrown)) {
          f.thrown = null;
          refused.add(f);
        } else {
          checkUsableAndClose(operation, first + i, f);
        }
      }
      // and the operation at the top on a fixture of its own, once a batch: an attempt that linked
      // a call site at the stack's end must not have broken it (red team 23 F1)
      checkWorksAtTheTop(operation);
      overflowed += overflowedHere;
      Footprint after = Footprint.of(engine);
      // (fixtures kept for the next batch hold their stores: compared once they are closed)
      if (refused.isEmpty() && !after.equals(before)) {
        failures.add("FAIL " + operation + " levels " + first + "-" + (first + BATCH - 1) + ": footprint " + after
            + ", before " + before);
        before = after;
      }
      if (overflowedHere == 0 && first >= BATCH) {
        window = first;
        break;
      }
    }
    for (Fixture f : refused) {
      checkUsableAndClose(operation, -1, f);
    }
    Footprint after = Footprint.of(engine);
    if (!after.equals(before)) {
      failures.add("FAIL " + operation + ": footprint " + after + ", before " + before);
    }
    if (overflowed == 0) {
      failures.add("FAIL " + operation + ": no attempt overflowed (the sweep reached no frame of the path)");
    }
    if (window < 0) {
      failures.add("FAIL " + operation + ": still overflowing after " + attempts + " attempts");
    }
    System.out.println("swept " + operation + " attempts=" + attempts + " overflowed=" + overflowed
        + " in " + overflowedIn.size() + " methods of Kiln's: " + String.join(" ", overflowedIn));
  }

  /**
   * Whether {@code t} is the overflow {@code ThreadStack.requireRoomToLink} throws, the first step of
   * an API operation ({@code FirstLinkGuardTest}), before the operation changed anything.
   */
  private static boolean refusedByTheCheck(Throwable t) {
    if (t == null) {
      return false;
    }
    StackTraceElement[] frames = t.getStackTrace();
    if (frames.length == 0) {
      return false;
    }
    // a StackOverflowError from the check, or a call into wasm refused as "call stack exhausted"
    return t instanceof StackOverflowError && frames[0].getClassName().equals("dev.kiln.loader.sys.ThreadStack")
        && frames[0].getMethodName().equals("requireRoomToLink")
        || t instanceof Trap && frames.length > 1 && frames[1].getClassName().equals("dev.kiln.runtime.Failures")
        && frames[1].getMethodName().equals("requireRoomToCall");
  }

  /** The innermost frame of Kiln's main code where {@code t} was thrown (the JDK's frames above it skipped). */
  private static String innermostKilnFrame(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith("dev.kiln.") && !frame.getClassName().contains("StackEndSweep")) {
        return frame.getClassName().replaceAll(".*\\.", "") + "." + frame.getMethodName() + ":" + frame.getLineNumber();
      }
    }
    return "(the sweep's own)";
  }

  /** {@link Operation#HOST_CALLBACK_INSIDE}: one call at the top, whose host function sweeps. */
  private void sweepInsideTheHostFunction() throws Exception {
    Footprint before = Footprint.of(engine);
    Fixture f = new Fixture(this);
    try {
      Operation.HOST_CALLBACK_INSIDE.attempt(f);
    } catch (Throwable t) {
      f.thrown = t;
      failures.add("FAIL " + Operation.HOST_CALLBACK_INSIDE + ": the call failed: " + describe(t));
    }
    if (f.overflowedInside[0] == 0) {
      failures.add("FAIL " + Operation.HOST_CALLBACK_INSIDE + ": no use inside the host function overflowed");
    }
    checkUsableAndClose(Operation.HOST_CALLBACK_INSIDE, 0, f);
    Footprint after = Footprint.of(engine);
    if (!after.equals(before)) {
      failures.add("FAIL " + Operation.HOST_CALLBACK_INSIDE + ": footprint " + after + ", before " + before);
    }
    System.out.println("swept " + Operation.HOST_CALLBACK_INSIDE + " overflowed=" + f.overflowedInside[0]);
  }

  /**
   * {@link Operation#WASI_AT_WASM_DEPTH}: on a thread whose stack is small enough that the stack
   * floor, not the wasm stack budget, bounds the guest, a guest recurses to the deepest level that
   * does not trap and calls WASI there, the first call of the JVM; then at every level above it up
   * to a window; then at the top. Host calls begin no deeper than compiled code lets a guest go,
   * which leaves {@code ThreadStack.LINK} bytes for the first links of the WASI code's call sites.
   */
  private void sweepWasiAtTheDeepestWasm() throws Exception {
    Footprint before = Footprint.of(engine);
    Fixture f = new Fixture(this);
    Throwable[] failed = {null};
    int[] deepest = {0};
    Thread small = new Thread(null, () -> {
      try {
        // the deepest level that does not trap, found without calling WASI (call = 0)
        int low = deepestWithoutTrap(n -> f.wasiDown.call(Val.i32(n), Val.i32(0)));
        deepest[0] = low;
        for (int n = low; n > low - 400 && n >= 0; n--) {
          try {
            f.wasiDown.call(Val.i32(n), Val.i32(1));
          } catch (Trap exhausted) {
            if (!exhausted.reason().equals("call stack exhausted")) {
              throw exhausted;
            }
          }
        }
      } catch (Throwable t) {
        failed[0] = t;
      }
    }, "small-stack", 640 * 1024);
    small.start();
    small.join();
    if (failed[0] != null) {
      failures.add("FAIL " + Operation.WASI_AT_WASM_DEPTH + ": " + describe(failed[0]));
    }
    try {
      f.wasiRand.call();
      f.wasiDown.call(Val.i32(3), Val.i32(1));
    } catch (Throwable t) {
      failures.add("FAIL " + Operation.WASI_AT_WASM_DEPTH + " at the top, after the sweep: " + describe(t));
    }
    checkUsableAndClose(Operation.WASI_AT_WASM_DEPTH, 0, f);
    Footprint after = Footprint.of(engine);
    if (!after.equals(before)) {
      failures.add("FAIL " + Operation.WASI_AT_WASM_DEPTH + ": footprint " + after + ", before " + before);
    }
    System.out.println("swept " + Operation.WASI_AT_WASM_DEPTH + " from " + deepest[0] + " levels");
  }

  /**
   * The largest {@code n} below 2^20 for which {@code call} completes without a trap (the wasm stack
   * check's, as it recurses {@code n} levels), by bisection.
   */
  static int deepestWithoutTrap(java.util.function.IntConsumer call) {
    int low = 0;
    int high = 1 << 20;
    while (high - low > 1) {
      int mid = (low + high) >>> 1;
      try {
        call.accept(mid);
        low = mid;
      } catch (Trap exhausted) {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Whether {@code t} is a failure the overflow made: a trap or an exception whose cause is one, or
   * the trap compiled code's stack check raises near the stack's end ({@code call stack exhausted}).
   */
  private static boolean causedByOverflow(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StackOverflowError || c instanceof Trap trap && trap.reason().equals("call stack exhausted")) {
        return true;
      }
    }
    return false;
  }

  /** {@code t} and the frames where it was thrown, the innermost first. */
  private static String thrownAt(Throwable t) {
    StringBuilder at = new StringBuilder(t.toString());
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 8); i++) {
      at.append(" < ").append(frames[i].getClassName().replaceAll(".*\\.", "")).append('.')
          .append(frames[i].getMethodName()).append(':').append(frames[i].getLineNumber());
    }
    return at.toString();
  }

  private static String describe(Throwable t) {
    java.io.StringWriter text = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(text));
    String[] lines = text.toString().split("\n");
    return String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 12)));
  }

  /**
   * Back at the top: another thread can use the fixture's store (a store of any thread; a leaked
   * claim refuses it), and the store closes (a confined store's leaked depth refuses it).
   */
  private void checkUsableAndClose(Operation operation, int level, Fixture f) throws Exception {
    String where = operation + " level " + level + " (" + (f.thrown == null ? "completed" : thrownAt(f.thrown)) + ")";
    if (f.madeStore != null) {
      closeOrFail(where + ", the store it made", f.madeStore);
    }
    if (operation != Operation.STORE_CLOSE && operation != Operation.WASI_AT_WASM_DEPTH
        && operation != Operation.HOST_CALLBACK_INSIDE && !f.store.internal().isClosed()) {
      // The same operation again, at the top: an overflow where its path first linked a call site
      // must not have broken that site for the JVM's life (red team 23 F1)
      try {
        operation.attempt(f);
      } catch (Throwable t) {
        failures.add("FAIL " + where + ": the operation fails at the top afterwards: " + describe(t));
      }
      if (f.madeStore != null) {
        closeOrFail(where + ", the store it made at the top", f.madeStore);
      }
    }
    if (f.madeModule != null) {
      f.madeModule.close();
    }
    if (operation == Operation.INSTANCE_CLOSE && !f.store.internal().isClosed()) {
      // A close that an overflow interrupted is finished by the next: the instance is freed then,
      // not only once the store closes (closed but not released, it would keep its slot till then).
      try {
        f.plain.close();
      } catch (Throwable t) {
        failures.add("FAIL " + where + ": the instance does not close again: " + describe(t));
      }
      if (f.plain.internal().lifetime().isAlive()) {
        failures.add("FAIL " + where + ": the instance is closed but not freed");
      }
    }
    if (!f.store.internal().isClosed()) {
      // This thread's next claim first pays what an overflow left it owing: a release whose own
      // frame overflowed leaves a store of any thread claimed until then (docs/SECURITY.md, section
      // 9). And a collection interrupted half way would have left the heap's words half moved.
      try {
        f.store.internal().exclusive("check the heap", () -> f.store.internal().verifyHeap(f.noWords));
      } catch (Throwable t) {
        failures.add("FAIL " + where + ": the thread cannot use its store again: " + describe(t));
      }
    }
    if (!confined && !f.store.internal().isClosed()) {
      try {
        other.submit(() -> {
          Instance instance = f.linker.instantiate(module);
          instance.func("f1").direct().call(1);
          instance.close();
          return null;
        }).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failures.add("FAIL " + where + ": another thread cannot use the store: " + describe(e.getCause()));
      }
    }
    closeOrFail(where, f.store);
    if (!f.store.internal().isClosed()) {
      failures.add("FAIL " + where + ": the store is not closed after close()");
    }
  }

  private void closeOrFail(String where, Store store) {
    try {
      store.close();
    } catch (Throwable t) {
      failures.add("FAIL " + where + ": the store does not close: " + describe(t));
    }
  }

  /** Every operation at the top, on a fresh fixture: whatever was linked at the stack's end works. */
  private void checkWorksAtTheTop(Operation operation) {
    current = operation;
    Fixture f = new Fixture(this);
    try {
      operation.attempt(f);
    } catch (Throwable t) {
      failures.add("FAIL " + operation + " at the top, after the sweep: " + describe(t));
    }
    if (f.madeStore != null) {
      closeOrFail(operation + " at the top", f.madeStore);
    }
    if (f.madeModule != null) {
      f.madeModule.close();
    }
    closeOrFail(operation + " at the top", f.store);
  }

  public static void main(String[] args) throws Exception {
    boolean confined = args[0].equals("confined"); // "paths": each operation once, at the top
    Engine.Builder builder = Engine.builder().target(Target.X86_64);
    if (args[1].equals("pooled")) {
      builder.pooling(PoolingAllocation.ofInstances(POOL_SLOTS).withMaxMemoryBytes(1 << 16));
    }
    Engine engine = builder.build();
    WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(WAT, "sweep.wat"));
    StackEndSweep sweep = new StackEndSweep(engine, module, confined);
    sweep.firstLinks = args[0].equals("first-links");
    if (args[0].equals("paths")) {
      // Each operation once at the top, for CallPathClassesTest's -Xlog:class+init: what the
      // operations initialise after the first instance is made is what the marker's line follows.
      StackEndSweep paths = new StackEndSweep(engine, module, false);
      new Fixture(paths).store.close();
      System.out.println("paths begin at " + PathsBegin.AT);
      for (int i = 2; i < args.length; i++) {
        paths.checkWorksAtTheTop(Operation.valueOf(args[i]));
      }
      paths.failures.forEach(System.out::println);
      System.out.println("done");
      return;
    }
    List<Operation> operations = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      operations.add(Operation.valueOf(args[i]));
    }
    Throwable[] failed = {null};
    // A stack of a known size: the window's levels are counted from its end.
    Thread sweeper = new Thread(null, () -> {
      try {
        for (Operation operation : operations) {
          int before = sweep.failures.size();
          // Twice: the first time links and initialises what the path uses for the first time, which
          // costs more stack than anything after it, so only the second reaches the frames beyond.
          sweep.sweep(operation);
          if (!sweep.firstLinks) {
            sweep.sweep(operation);
          }
          if (sweep.failures.size() == before) {
            System.out.println("ok " + operation);
          }
        }
        for (Operation operation : operations) {
          sweep.checkWorksAtTheTop(operation);
        }
      } catch (Throwable t) {
        failed[0] = t;
      }
    }, "sweeper", 1 << 20);
    sweeper.start();
    sweeper.join();
    sweep.other.shutdownNow();
    if (failed[0] != null) {
      System.out.println("FAIL the sweep itself: " + describe(failed[0]));
    }
    java.util.Map<String, Integer> shown = new java.util.HashMap<>();
    for (String failure : sweep.failures) {
      // the first few of each operation: one cause usually fails every level after it
      String operation = failure.split(" ")[1];
      if (shown.merge(operation, 1, Integer::sum) <= 4) {
        System.out.println(failure);
      }
    }
    shown.forEach((operation, count) -> System.out.println("FAIL " + operation + ": " + count + " failures in all"));
    System.out.println("done");
  }
}
