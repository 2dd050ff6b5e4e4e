package dev.kiln.tests.gcapi;

import dev.kiln.runtime.AnyRef;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Func;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Global;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Table;
import dev.kiln.runtime.Tag;
import dev.kiln.runtime.Trap;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.ValType;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmThrow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One sequence of the GC-API fuzzer: random operations of the public API on one or two stores of
 * the {@link GcApiGuest} module, each checked against a shadow model of what every object, global
 * and table slot holds. The model keeps, for every reference Java holds, the code the guest's
 * {@code check} must give for it ({@link Held}); every reference the API hands out (a result, a
 * global, a table element, an exception's payload, a host function's argument) is given back to
 * the guest and its code compared, and every value Java hands in (an argument, a global or table
 * write, a host function's result or thrown payload) has an expected fate: stored and read back
 * right, or refused with a documented exception. A refusal must be one line with no number that
 * looks like a host address and no {@code FUNCREF} (the module has no function references).
 *
 * <p>Optionally a second thread calls {@code churn} (which collects) on the first store in a loop,
 * refused whenever the fuzzer's thread holds the store: the interleaving of red team 14 F4, where a
 * collection falls between a heap word's read and its handle's making. The operations are decided
 * by the seed alone; the interleaving with the second thread is not, so a finding of that kind
 * replays as a sequence that meets it again with some probability, not every time.
 */
final class GcApiFuzzer {
  /** A number of ten or more digits, or a hex number of nine or more: an address, not an id. */
  private static final Pattern ADDRESS = Pattern.compile("(?<![\\w#.])(\\d{10,}|0x[0-9a-fA-F]{9,})");
  private static final String BUSY = "a store runs on one thread at a time";
  /** Ids and embedder externref values stay under this, so no legitimate number looks like an address. */
  private static final int MAX_ID = 1_000_000_000;

  /** What a value Java holds is, and so how the guest checks it. */
  enum Kind { NULL, I31, STRUCT, NODE, ARRAY, EXN, EXTERN }

  /**
   * A value Java holds, with the code the guest's {@code check} gives for it ({@code exncheck}'s for
   * an exnref: its payload's code; the value itself for an embedder's externref).
   */
  record Held(Val val, Kind kind, long code, Side owner) {
    boolean isObject() {
      return kind == Kind.STRUCT || kind == Kind.NODE || kind == Kind.ARRAY;
    }

    boolean isBase() {
      return kind == Kind.STRUCT || kind == Kind.NODE;
    }
  }

  /** What a host function does on its next call: the fuzzer decides before the call. */
  @FunctionalInterface
  private interface HostPlan {
    List<Val> run(List<Val> args) throws Exception;
  }

  private final Engine engine;
  private final WasmModule module;
  private final long seed;
  private final SplittableRandom random;
  private final boolean secondThread;
  private final List<Side> sides = new ArrayList<>();
  /** Values of stores closed during the sequence, and host-call arguments not kept: each refused. */
  private final List<Held> dead = new ArrayList<>();
  private final AtomicReference<String> threadFinding = new AtomicReference<>();
  private final AtomicLong churns = new AtomicLong();
  private long operations;
  /** The sequence's findings: a wrong value ends it, a wrong refusal or acceptance does not. */
  private final List<String> findings = new ArrayList<>();
  private static final int MAX_FINDINGS = 8;
  /** Whether this operation hands a funcref in, so a message may name FUNCREF. */
  private boolean funcrefGiven;
  /** What a host function body found wrong with its arguments (it cannot throw the finding through wasm). */
  private String hostFinding;
  private int nextId = 1;
  private String op = "start";

  GcApiFuzzer(Engine engine, WasmModule module, long seed, boolean secondThread) {
    this.engine = engine;
    this.module = module;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.secondThread = secondThread;
  }

  long operations() {
    return operations;
  }

  List<String> findings() {
    return findings;
  }

  long churns() {
    return churns.get();
  }

  /**
   * Runs {@code count} operations, or until a wrong value or {@value #MAX_FINDINGS} findings
   * ({@link #findings}: each names the seed and the operation).
   */
  void run(int count) {
    sides.add(new Side());
    if (random.nextInt(3) > 0) {
      sides.add(new Side());
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread churner = secondThread ? startChurner(sides.get(0), stop) : null;
    try {
      for (int i = 0; i < count; i++) {
        op = "#" + i;
        funcrefGiven = false;
        try {
          step();
        } catch (KilnException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
          // a documented exception where the model expected success: a finding, after which the model still
          // holds (a refused operation changed nothing), so the sequence goes on
          if (hostFinding == null) {
            soft("unexpected " + describe(e));
          }
        }
        operations++;
        if (hostFinding != null) {
          soft(hostFinding);
          hostFinding = null;
        }
        if (findings.size() >= MAX_FINDINGS) {
          return;
        }
        if (threadFinding.get() != null) {
          throw finding("the second thread: " + threadFinding.get());
        }
      }
    } catch (AssertionError e) {
      findings.add(e.getMessage());
    } catch (Throwable t) {
      findings.add(finding("unexpected " + describe(t), t).getMessage());
    } finally {
      stop.set(true);
      if (churner != null) {
        try {
          churner.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (Side side : sides) {
        side.store.close();
      }
    }
  }

  private Thread startChurner(Side side, AtomicBoolean stop) {
    Thread thread = new Thread(() -> {
      while (!stop.get()) {
        try {
          side.churn.call(Val.i32(8));
          churns.incrementAndGet();
        } catch (IllegalStateException refused) {
          // busy (the fuzzer's thread holds the store) or its instance closed: both documented
          Thread.onSpinWait();
        } catch (Throwable t) {
          threadFinding.compareAndSet(null, "churn failed: " + describe(t));
        }
      }
    }, "gcapi-churner");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void step() {
    Side side = sides.get(random.nextInt(sides.size()));
    if (side.instanceClosed) {
      side.checkClosedInstance();
      side.reinstantiate();
      return;
    }
    switch (random.nextInt(24)) {
      case 0, 1 -> side.makeObject();
      case 2 -> side.checkHeld();
      case 3 -> side.globalSet();
      case 4 -> side.globalGet();
      case 5 -> side.tableSet();
      case 6 -> side.tableGet();
      case 7 -> side.tableGrowOrFill();
      case 8 -> side.guestReadsTable();
      case 9 -> side.wrongArgument();
      case 10 -> side.throwOut();
      case 11 -> side.catchRef();
      case 12 -> side.rethrow();
      case 13, 14 -> side.viaMake();
      case 15 -> side.viaExt();
      case 16, 17 -> side.viaThrow();
      case 18 -> side.callerTableGet();
      case 19 -> side.useDead();
      case 20 -> side.churn();
      case 21 -> side.guestReadsGlobals();
      case 22 -> side.makeNode();
      default -> {
        if (random.nextInt(20) == 0 && !(secondThread && side == sides.get(0))) {
          closeStore(side);
        } else {
          side.checkHeld();
        }
      }
    }
  }

  /** Closes {@code side}'s store: its values join the dead; a fresh store takes its place. */
  private void closeStore(Side side) {
    op += " close store";
    side.closed = true;
    side.store.close();
    for (Held h : side.held) {
      if (h.isObject() || h.kind == Kind.EXN) {
        dead.add(h);
      }
    }
    Func check = side.check;
    expectRefused("call into a closed store", () -> check.call(Val.nullRef(ValType.ANYREF)), IllegalStateException.class);
    sides.set(sides.indexOf(side), new Side());
  }

  /** One store with an instance of the module and the shadow model of what it holds. */
  private final class Side {
    final Store store = Store.builder(engine).maxMemoryBytes(8L << 20).build();
    final long salt = random.nextLong() & 0x7fff_ffffL;
    final List<Held> held = new ArrayList<>();
    volatile boolean closed;
    volatile boolean instanceClosed;
    Instance instance;
    volatile Func churn;
    Func check, checkext, newstruct, newnode, newarray, newi31, tget, tcheck, tscheck, tfill, gcheck, gscheck,
        geexncheck, texncheck, throwF, catchref, exncheck, rethrow, viamake, viaext, viathrow;
    Global g, gs;
    Table tab, tabs;
    /** The exnref global and table, reached through the guest's functions (they cannot be exported). */
    Func getge, setge, gettexn, settexn, growtexn;
    Tag te, ts;
    Held gModel, gsModel, geModel;
    final List<Held> tabModel = new ArrayList<>(), tabsModel = new ArrayList<>(), texnModel = new ArrayList<>();
    HostPlan makePlan, extPlan, throwPlan;

    Side() {
      Linker linker = new Linker(store);
      linker.func("host", "make", FuncType.of(List.of(ValType.I64, ValType.EXTERNREF), List.of(ValType.EXTERNREF)),
          (caller, args) -> plan("make", makePlan).run(args));
      linker.func("host", "ext", FuncType.of(List.of(ValType.I64), List.of(ValType.EXTERNREF)),
          (caller, args) -> plan("ext", extPlan).run(args));
      linker.func("host", "throw", FuncType.of(List.of(ValType.I64), List.of()),
          (caller, args) -> plan("throw", throwPlan).run(args));
      this.linker = linker;
      instantiate();
    }

    private final Linker linker;

    private HostPlan plan(String name, HostPlan plan) {
      if (plan == null) {
        throw new IllegalStateException("host function " + name + " called with no plan");
      }
      return plan;
    }

    void instantiate() {
      instance = api(() -> linker.instantiate(module));
      check = instance.func("check");
      checkext = instance.func("checkext");
      newstruct = instance.func("newstruct");
      newnode = instance.func("newnode");
      newarray = instance.func("newarray");
      newi31 = instance.func("newi31");
      tget = instance.func("tget");
      tcheck = instance.func("tcheck");
      tscheck = instance.func("tscheck");
      tfill = instance.func("tfill");
      gcheck = instance.func("gcheck");
      gscheck = instance.func("gscheck");
      geexncheck = instance.func("geexncheck");
      texncheck = instance.func("texncheck");
      throwF = instance.func("throw");
      catchref = instance.func("catchref");
      exncheck = instance.func("exncheck");
      rethrow = instance.func("rethrow");
      viamake = instance.func("viamake");
      viaext = instance.func("viaext");
      viathrow = instance.func("viathrow");
      churn = instance.func("churn");
      g = instance.global("g");
      gs = instance.global("gs");
      getge = instance.func("getge");
      setge = instance.func("setge");
      tab = instance.table("tab");
      tabs = instance.table("tabs");
      gettexn = instance.func("gettexn");
      settexn = instance.func("settexn");
      growtexn = instance.func("growtexn");
      te = instance.tag("te");
      ts = instance.tag("ts");
      api(() -> instance.func("init").call(Val.i64(salt)));
      gModel = nullOf(ValType.ANYREF);
      gsModel = nullOf(ValType.ANYREF);
      geModel = nullOf(ValType.EXNREF);
      fill(tabModel, 8, nullOf(ValType.ANYREF));
      fill(tabsModel, 4, nullOf(ValType.ANYREF));
      fill(texnModel, 4, nullOf(ValType.EXNREF));
      instanceClosed = false;
    }

    /** After an instance closed inside a host call: its handles refuse; a new instance replaces it. */
    void checkClosedInstance() {
      op += " closed instance";
      Func f = check;
      Global global = g;
      Table table = tab;
      expectRefused("call a closed instance's export", () -> f.call(Val.nullRef(ValType.ANYREF)), IllegalStateException.class);
      expectRefused("read a closed instance's global", global::get, IllegalStateException.class);
      expectRefused("read a closed instance's table", () -> table.get(0), IllegalStateException.class);
    }

    void reinstantiate() {
      // the old instance's globals and tables are gone with it; the store's objects stay, but its
      // exceptions' tag is not the new instance's, so the new instance's catch clauses do not catch them
      held.removeIf(h -> h.kind == Kind.EXN);
      instantiate();
    }

    private void fill(List<Held> model, int n, Held value) {
      model.clear();
      for (int i = 0; i < n; i++) {
        model.add(value);
      }
    }

    // ---- making values ----

    void makeObject() {
      switch (random.nextInt(4)) {
        case 0 -> {
          long id = id();
          op += " newstruct " + id;
          keep(expectValue("newstruct", () -> newstruct.call(Val.i64(id)).get(0), new Held(null, Kind.STRUCT, id, this)));
        }
        case 1 -> {
          long id = id();
          int extra = random.nextInt(40);
          op += " newarray " + id;
          keep(expectValue("newarray", () -> newarray.call(Val.i64(id), Val.i32(extra)).get(0),
              new Held(null, Kind.ARRAY, id | GcApiGuest.ARRAY, this)));
        }
        case 2 -> {
          int v = random.nextInt(1 << 20);
          op += " newi31 " + v;
          keep(expectValue("newi31", () -> newi31.call(Val.i32(v)).get(0), new Held(null, Kind.I31, v | GcApiGuest.I31, null)));
        }
        default -> makeNode();
      }
    }

    void makeNode() {
      long id = id();
      Held next = pick(h -> h.isBase() || h.kind == Kind.NULL);
      op += " newnode " + id + " -> " + next.code;
      Held node = keep(expectValue("newnode", () -> newnode.call(Val.i64(id), next.val).get(0), new Held(null, Kind.NODE, id, this)));
      if (node != null) {
        expectValue("next of a node", () -> instance.func("next").call(node.val).get(0), next);
      }
    }

    private Held keep(Held h) {
      if (h != null) {
        held.add(h);
        if (held.size() > 64) {
          held.remove(random.nextInt(held.size()));
        }
      }
      return h;
    }

    // ---- reading back ----

    void checkHeld() {
      Held h = pick(x -> true);
      op += " check " + h.kind + " " + h.code;
      verify("a held value", h.val, h);
    }

    void globalSet() {
      int which = random.nextInt(3);
      Held v = anyValue();
      boolean fits = fits(which, v);
      op += " global " + which + " set " + v.kind + " " + v.code + (fits ? "" : " (refused)");
      if (fits) {
        api(() -> which == 2 ? setge.call(v.val) : set(which == 0 ? g : gs, v.val));
        switch (which) {
          case 0 -> gModel = v;
          case 1 -> gsModel = v;
          default -> geModel = v;
        }
      } else {
        if (expectRefused("Global.set", () -> which == 2 ? setge.call(v.val) : set(which == 0 ? g : gs, v.val),
            IllegalArgumentException.class)) {
          throw finding("Global.set took a value of another type or store: the model cannot follow");
        }
      }
    }

    void globalGet() {
      int which = random.nextInt(3);
      op += " global " + which + " get";
      switch (which) {
        case 0 -> expectValue("Global.get g", g::get, gModel);
        case 1 -> expectValue("Global.get gs", gs::get, gsModel);
        default -> expectValue("getge's result", () -> getge.call().get(0), geModel);
      }
    }

    void guestReadsGlobals() {
      op += " guest reads globals";
      expectCode("gcheck", () -> gcheck.call(), gModel.code);
      expectCode("gscheck", () -> gscheck.call(), gsModel.code);
      if (geModel.kind == Kind.EXN) {
        expectCode("geexncheck", () -> geexncheck.call(), geModel.code);
      }
    }

    void tableSet() {
      int which = random.nextInt(3);
      List<Held> model = which == 0 ? tabModel : which == 1 ? tabsModel : texnModel;
      Held v = anyValue();
      long index = random.nextInt(model.size() + 2);
      Supplier<Object> write = () -> which == 2 ? settexn.call(Val.i32((int) index), v.val)
          : set(which == 0 ? tab : tabs, index, v.val);
      boolean fits = fits(which, v);
      op += " table " + which + " set " + index + " " + v.kind + " " + v.code;
      if (!fits) {
        if (expectRefused("Table.set", write, IllegalArgumentException.class, IndexOutOfBoundsException.class)) {
          throw finding("Table.set took a value of another type or store: the model cannot follow");
        }
      } else if (index >= model.size()) {
        if (which == 2) {
          expectTrap("settexn out of bounds", write);
        } else {
          expectRefused("Table.set out of bounds", write, IndexOutOfBoundsException.class);
        }
      } else {
        api(write);
        model.set((int) index, v);
      }
    }

    void tableGet() {
      int which = random.nextInt(3);
      List<Held> model = which == 0 ? tabModel : which == 1 ? tabsModel : texnModel;
      int index = random.nextInt(model.size() + 1);
      op += " table " + which + " get " + index;
      Table table = which == 0 ? tab : tabs;
      if (which == 2) {
        if (index == model.size()) {
          expectTrap("gettexn out of bounds", () -> gettexn.call(Val.i32(index)));
        } else {
          expectValue("gettexn's result", () -> gettexn.call(Val.i32(index)).get(0), model.get(index));
        }
      } else if (index == model.size()) {
        expectRefused("Table.get out of bounds", () -> table.get(index), IndexOutOfBoundsException.class);
      } else {
        expectValue("Table.get", () -> table.get(index), model.get(index));
        long size = api(table::size);
        if (size != model.size()) {
          throw finding("Table.size " + size + ", the model's " + model.size());
        }
      }
    }

    void tableGrowOrFill() {
      if (random.nextBoolean()) {
        int which = random.nextInt(3);
        List<Held> model = which == 0 ? tabModel : which == 1 ? tabsModel : texnModel;
        Held init = pickOwn(h -> fits(which, h));
        if (init == null) {
          return;
        }
        long delta = random.nextInt(6);
        long max = which == 0 ? 64 : 16;
        op += " table " + which + " grow " + delta + " " + init.kind + " " + init.code;
        long old = which == 2 ? api(() -> growtexn.call(init.val, Val.i32((int) delta)).get(0).asInt())
            : api(() -> (which == 0 ? tab : tabs).grow(delta, init.val));
        long expected = model.size() + delta <= max ? model.size() : -1;
        if (old != expected) {
          throw finding("Table.grow gave " + old + ", the model " + expected);
        }
        if (old >= 0) {
          for (int i = 0; i < delta; i++) {
            model.add(init);
          }
        }
      } else {
        Held v = pickOwn(h -> h.kind != Kind.EXN && h.kind != Kind.EXTERN);
        if (v == null) {
          return;
        }
        int start = random.nextInt(tabModel.size() + 1);
        int n = random.nextInt(tabModel.size() - start + 2);
        op += " tfill " + start + " " + n + " " + v.kind + " " + v.code;
        if (start + n > tabModel.size()) {
          expectTrap("tfill out of bounds", () -> tfill.call(Val.i32(start), v.val, Val.i32(n)));
        } else {
          api(() -> tfill.call(Val.i32(start), v.val, Val.i32(n)));
          for (int i = start; i < start + n; i++) {
            tabModel.set(i, v);
          }
        }
      }
    }

    void guestReadsTable() {
      int which = random.nextInt(3);
      List<Held> model = which == 0 ? tabModel : which == 1 ? tabsModel : texnModel;
      int index = random.nextInt(model.size());
      Held expected = model.get(index);
      op += " guest reads table " + which + " at " + index;
      if (which == 2) {
        if (expected.kind == Kind.EXN) {
          expectCode("texncheck", () -> texncheck.call(Val.i32(index)), expected.code);
        }
      } else {
        Func f = which == 0 ? tcheck : tscheck;
        expectCode("tcheck", () -> f.call(Val.i32(index)), expected.code);
      }
    }

    void callerTableGet() {
      int index = random.nextInt(tabModel.size());
      op += " tget " + index;
      expectValue("tget's result", () -> tget.call(Val.i32(index)).get(0), tabModel.get(index));
    }

    // ---- refusals ----

    void wrongArgument() {
      Val wrong = switch (random.nextInt(4)) {
        case 0 -> {
          Held exn = pick(h -> h.kind == Kind.EXN);
          yield exn.kind == Kind.EXN ? exn.val : Val.i32(1);
        }
        case 1 -> {
          funcrefGiven = true;
          yield new Val.Ref(ValType.FUNCREF, 1 + random.nextInt(1000));
        }
        case 2 -> Val.i64(7);
        default -> {
          Held foreign = foreignObject();
          yield foreign != null ? foreign.val : Val.nullRef(ValType.EXTERNREF);
        }
      };
      op += " check(" + wrong.type() + " that does not fit)";
      expectRefused("Func.call with a wrong argument", () -> check.call(wrong), IllegalArgumentException.class);
    }

    void useDead() {
      if (dead.isEmpty()) {
        return;
      }
      Held d = dead.get(random.nextInt(dead.size()));
      op += " use dead " + d.kind + " " + d.code;
      if (d.kind == Kind.EXN) {
        expectRefused("a dead exnref", () -> exncheck.call(d.val), IllegalArgumentException.class);
      } else if (random.nextBoolean()) {
        expectRefused("a dead object", () -> check.call(d.val), IllegalArgumentException.class);
      } else {
        expectRefused("a dead object in a table", () -> {
          tab.set(0, d.val);
          return null;
        }, IllegalArgumentException.class);
      }
    }

    // ---- exceptions ----

    void throwOut() {
      Held v = pickOwn(h -> h.kind != Kind.EXN && h.kind != Kind.EXTERN);
      if (v == null) {
        return;
      }
      op += " throw " + v.kind + " " + v.code;
      WasmThrow thrown = expectThrow("throw", () -> throwF.call(v.val, Val.i64(v.code)));
      checkPayload("an escaped exception", thrown, v.code);
    }

    private void checkPayload(String what, WasmThrow thrown, long code) {
      if (!thrown.tag().equals(te)) {
        throw finding(what + " has tag " + thrown.tag() + ", not te");
      }
      List<Val> payload = thrown.payload();
      if (payload.size() != 2 || !(payload.get(1) instanceof Val.I64(long c)) || c != code) {
        throw finding(what + " has payload " + payload + ", expected [.., I64 " + code + "]");
      }
      verify(what + "'s payload", payload.get(0), byCode(code));
    }

    void catchRef() {
      Held v = pickOwn(h -> h.kind != Kind.EXN && h.kind != Kind.EXTERN);
      if (v == null) {
        return;
      }
      op += " catchref " + v.kind + " " + v.code;
      Val exn = api(() -> catchref.call(v.val, Val.i64(v.code)).get(0));
      if (!(exn instanceof Val.Exn)) {
        throw finding("catchref gave " + exn + ", not an exnref");
      }
      keep(new Held(exn, Kind.EXN, v.code, this));
      expectCode("exncheck", () -> exncheck.call(exn), v.code);
    }

    void rethrow() {
      Held e = pickOwn(h -> h.kind == Kind.EXN);
      if (e == null) {
        return;
      }
      op += " rethrow " + e.code;
      checkPayload("a rethrown exnref", expectThrow("rethrow", () -> rethrow.call(e.val)), e.code);
    }

    // ---- host functions ----

    void viaMake() {
      long id = id();
      int churnCount = random.nextInt(4);
      int choice = random.nextInt(10);
      AtomicReference<Held> returned = new AtomicReference<>();
      boolean refused;
      // host functions take and return externrefs: an object crosses as its extern.convert_any
      Held right = pick(h -> h.isObject() || h.kind == Kind.NULL);
      switch (choice) {
        case 0, 1 -> {
          refused = false;
          makePlan = args -> {
            checkArgument(args, id);
            return List.of(asExtern(right));
          };
        }
        case 2 -> {
          refused = false;
          makePlan = args -> {
            checkArgument(args, id);
            Val.Gc arg = (Val.Gc) args.get(1);
            arg.object().keep();
            Held kept = new Held(new Val.Gc(ValType.ANYREF, arg.object()), Kind.STRUCT, id, this);
            returned.set(kept);
            return List.of(arg);
          };
        }
        case 3 -> {
          refused = false;
          makePlan = args -> {
            checkArgument(args, id);
            dead.add(new Held(new Val.Gc(ValType.ANYREF, ((Val.Gc) args.get(1)).object()), Kind.STRUCT, id, this)); // not kept: freed when the call returns
            return List.of(asExtern(right));
          };
        }
        case 4 -> {
          refused = true;
          makePlan = args -> List.of(Val.i32(5));
        }
        case 5 -> {
          Held foreign = foreignObject();
          refused = true; // another store's object, or a funcref for an anyref
          funcrefGiven = foreign == null;
          makePlan = args -> List.of(foreign != null ? asExtern(foreign) : Val.nullRef(ValType.FUNCREF));
        }
        case 6 -> {
          Held exn = pick(h -> h.kind == Kind.EXN);
          refused = true; // an exnref for an anyref
          makePlan = args -> List.of(exn.kind == Kind.EXN ? exn.val : Val.nullRef(ValType.EXNREF));
        }
        case 7 -> {
          refused = true;
          makePlan = args -> Arrays.asList((Val) null);
        }
        case 8 -> {
          Held d = deadObject();
          refused = d != null;
          makePlan = args -> List.of(d != null ? asExtern(d) : asExtern(right));
        }
        default -> {
          // closes the calling instance under its own frames, then answers right
          refused = false;
          makePlan = args -> {
            try {
              instance.close();
            } catch (IllegalStateException deferredOrRefused) {
              clean("Instance.close inside a host call", deferredOrRefused);
            }
            instanceClosed = true;
            return List.of(asExtern(right));
          };
        }
      }
      op += " viamake plan " + choice + (refused ? " (refused)" : "");
      try {
        if (refused) {
          expectTrap("viamake", () -> viamake.call(Val.i64(id), Val.i32(churnCount)));
        } else if (choice == 9) {
          // the close is deferred (the call answers right) or the call is refused
          try {
            expectCode("viamake", () -> viamake.call(Val.i64(id), Val.i32(churnCount)), right.code);
          } catch (Trap | IllegalStateException refusal) {
            clean("viamake after closing its instance", refusal);
          }
        } else {
          // plan 2 answers with its argument, the struct of id, which it kept
          expectCode("viamake", () -> viamake.call(Val.i64(id), Val.i32(churnCount)), choice == 2 ? id : right.code);
          if (choice == 2) {
            Held kept = returned.get();
            keep(kept);
            verify("a kept argument", kept.val, kept);
          }
        }
      } finally {
        makePlan = null;
      }
    }

    /** A host function's argument: the fresh struct of {@code id}, checked by calling back into the guest. */
    private void checkArgument(List<Val> args, long id) {
      if (!(args.get(0) instanceof Val.I64(long got)) || got != id || !(args.get(1) instanceof Val.Gc(ValType type, AnyRef object))
          || type != ValType.EXTERNREF) {
        hostFinding = "host function make got " + args + ", expected [I64 " + id + ", a struct]";
        throw new IllegalStateException(hostFinding);
      }
      if (random.nextInt(3) == 0) {
        long code = checkext.call(args.get(1)).get(0).asLong();
        if (code != id) {
          hostFinding = "host function make's argument checks as " + code + ", not " + id;
          throw new IllegalStateException(hostFinding);
        }
      }
    }

    void viaExt() {
      long id = id();
      int choice = random.nextInt(7);
      Held gc = pickOwn(Held::isObject);
      Val answer;
      boolean refused;
      switch (choice) {
        case 0 -> {
          answer = new Val.Ref(ValType.EXTERNREF, 1 + random.nextInt(MAX_ID));
          refused = false;
        }
        case 1 -> {
          answer = gc != null ? new Val.Gc(ValType.EXTERNREF, ((Val.Gc) gc.val).object()) : Val.nullRef(ValType.EXTERNREF);
          refused = false;
        }
        case 2 -> {
          Held exn = pickOwn(h -> h.kind == Kind.EXN);
          answer = exn != null ? exn.val : Val.nullRef(ValType.EXNREF);
          refused = true;
        }
        case 3 -> {
          Held i31 = pickOwn(h -> h.kind == Kind.I31);
          answer = i31 != null ? i31.val : Val.nullRef(ValType.ANYREF);
          refused = true;
        }
        case 4 -> {
          answer = gc != null ? gc.val : Val.i32(3);
          refused = true;
        }
        case 5 -> {
          answer = Val.nullRef(ValType.EXTERNREF);
          refused = false;
        }
        default -> {
          Held foreign = foreignObject();
          answer = foreign != null ? new Val.Gc(ValType.EXTERNREF, ((Val.Gc) foreign.val).object())
              : Val.nullRef(ValType.FUNCREF);
          funcrefGiven = foreign == null;
          refused = true;
        }
      }
      op += " viaext plan " + choice + " " + answer.type() + (refused ? " (refused)" : "");
      extPlan = args -> List.of(answer);
      try {
        if (refused) {
          expectTrap("viaext", () -> viaext.call(Val.i64(id)));
          return;
        }
        Val back = api(() -> viaext.call(Val.i64(id)).get(0));
        if (answer instanceof Val.Gc) {
          if (!(back instanceof Val.Gc(ValType type, AnyRef object)) || type != ValType.EXTERNREF) {
            throw finding("an object returned as an externref came back as " + back);
          }
          expectCode("checkext", () -> checkext.call(back), gc.code);
        } else if (!back.equals(answer)) {
          throw finding("an externref " + answer + " came back as " + back);
        }
      } finally {
        extPlan = null;
      }
    }

    void viaThrow() {
      long id = id();
      int choice = random.nextInt(9);
      long expected;
      HostPlan plan;
      switch (choice) {
        case 0, 1 -> {
          Held s = pickOwn(Held::isBase);
          expected = s != null ? s.code : GcApiGuest.NULL;
          plan = args -> {
            throw new WasmThrow(ts, List.of(s != null ? s.val : Val.nullRef(ValType.ANYREF)));
          };
        }
        case 2 -> {
          Held a = pickOwn(h -> h.kind == Kind.ARRAY || h.kind == Kind.I31);
          expected = a != null ? Long.MIN_VALUE : GcApiGuest.NULL;
          plan = args -> {
            throw new WasmThrow(ts, List.of(a != null ? a.val : Val.nullRef(ValType.ANYREF)));
          };
        }
        case 3, 4 -> {
          Held v = pickOwn(h -> h.kind != Kind.EXN && h.kind != Kind.EXTERN);
          expected = v != null ? v.code : GcApiGuest.NULL;
          plan = args -> {
            throw new WasmThrow(te, List.of(v != null ? v.val : Val.nullRef(ValType.ANYREF), Val.i64(expected)));
          };
        }
        case 5 -> {
          Held foreign = foreignObject();
          expected = foreign != null ? Long.MIN_VALUE : GcApiGuest.NULL;
          plan = args -> {
            throw new WasmThrow(te, List.of(foreign != null ? foreign.val : Val.nullRef(ValType.ANYREF),
                Val.i64(GcApiGuest.NULL)));
          };
        }
        case 6 -> {
          expected = GcApiGuest.RETURNED;
          plan = args -> List.of();
        }
        case 7 -> {
          // another store's tag: not this module's exception
          Side other = otherSide();
          expected = Long.MIN_VALUE;
          Tag tag = other != null ? other.te : te;
          plan = args -> {
            if (other == null) {
              throw new IllegalStateException("the host says no");
            }
            throw new WasmThrow(tag, List.of(Val.nullRef(ValType.ANYREF), Val.i64(1)));
          };
        }
        default -> {
          expected = Long.MIN_VALUE;
          plan = args -> {
            throw new IllegalStateException("the host says no");
          };
        }
      }
      op += " viathrow plan " + choice + (expected == Long.MIN_VALUE ? " (refused)" : " -> " + expected);
      throwPlan = plan;
      try {
        if (expected == Long.MIN_VALUE) {
          expectTrapOrThrow("viathrow", () -> viathrow.call(Val.i64(id)), true);
        } else {
          expectCode("viathrow", () -> viathrow.call(Val.i64(id)), expected);
        }
      } finally {
        throwPlan = null;
      }
    }

    void churn() {
      int n = 1 + random.nextInt(16);
      op += " churn " + n;
      api(() -> churn.call(Val.i32(n)));
    }

    // ---- picking ----

    private long id() {
      return nextId++ % MAX_ID;
    }

    /** A held value of this store that passes {@code filter}, or a null anyref if none does. */
    Held pick(java.util.function.Predicate<Held> filter) {
      Held h = pickOwn(filter);
      return h != null ? h : nullOf(ValType.ANYREF);
    }

    Held pickOwn(java.util.function.Predicate<Held> filter) {
      List<Held> fit = new ArrayList<>();
      for (Held h : held) {
        if (filter.test(h)) {
          fit.add(h);
        }
      }
      if (random.nextInt(8) == 0 && filter.test(nullOf(ValType.ANYREF))) {
        return nullOf(ValType.ANYREF);
      }
      return fit.isEmpty() ? null : fit.get(random.nextInt(fit.size()));
    }

    /** Any value: mostly this store's, sometimes another store's, a dead one or an exnref null. */
    Held anyValue() {
      int r = random.nextInt(10);
      if (r == 0) {
        Held foreign = foreignObject();
        if (foreign != null) {
          return foreign;
        }
      }
      if (r == 1) {
        return nullOf(ValType.EXNREF);
      }
      if (r == 2) {
        Val ext = new Val.Ref(ValType.EXTERNREF, 1 + random.nextInt(MAX_ID));
        return new Held(ext, Kind.EXTERN, 0, null);
      }
      return pick(h -> true);
    }

    boolean ownedHere(Held v) {
      return v.owner == null || v.owner == this;
    }

    /** Whether a global or table slot of kind {@code which} (anyref, (ref null $base), exnref) takes {@code v}. */
    boolean fits(int which, Held v) {
      boolean type = switch (which) {
        case 0 -> v.val.type() == ValType.ANYREF;
        case 1 -> v.val.type() == ValType.ANYREF && (v.isBase() || v.kind == Kind.NULL);
        default -> v.val.type() == ValType.EXNREF;
      };
      return type && ownedHere(v);
    }

    Held foreignObject() {
      Side other = otherSide();
      if (other == null) {
        return null;
      }
      return other.pickOwn(Held::isObject);
    }

    Side otherSide() {
      for (Side s : sides) {
        if (s != this && !s.closed && !s.instanceClosed) {
          return s;
        }
      }
      return null;
    }

    Held deadObject() {
      for (Held d : dead) {
        if (d.isObject()) {
          return d;
        }
      }
      return null;
    }

    // ---- checks ----

    /** Runs {@code call}, which must give a value of {@code expected}'s code. */
    Held expectValue(String what, Supplier<Val> call, Held expected) {
      Val got = api(call);
      Held h = new Held(got, expected.kind, expected.code, expected.kind == Kind.I31 ? null : this);
      verify(what, got, h);
      return h;
    }

    /** Checks {@code v} (from this store's API) against {@code expected}'s kind and code, through the guest. */
    void verify(String what, Val v, Held expected) {
      switch (expected.kind) {
        case NULL -> {
          if (!v.isNull()) {
            throw finding(what + " is " + v + ", the model says null");
          }
        }
        case EXTERN -> {
          if (!v.equals(expected.val)) {
            throw finding(what + " is " + v + ", the model says " + expected.val);
          }
        }
        case EXN -> {
          if (!(v instanceof Val.Exn)) {
            throw finding(what + " is " + v + ", the model says an exnref");
          }
          expectCode(what + " (exncheck)", () -> exncheck.call(v), expected.code);
        }
        case I31 -> {
          if (!(v instanceof Val.Ref(ValType type, long handle)) || type != ValType.ANYREF) {
            throw finding(what + " is " + v + ", the model says an i31");
          }
          expectCode(what + " (check)", () -> check.call(v), expected.code);
        }
        default -> {
          if (!(v instanceof Val.Gc(ValType type, AnyRef object)) || type != ValType.ANYREF) {
            throw finding(what + " is " + v + " (not a handle), the model says the "
                + expected.kind.name().toLowerCase(java.util.Locale.ROOT) + " of code " + expected.code);
          }
          AnyRef.Kind kind = expected.kind == Kind.ARRAY ? AnyRef.Kind.ARRAY : AnyRef.Kind.STRUCT;
          if (object.kind() != kind) {
            throw finding(what + " is a handle of kind " + object.kind() + ", the model says " + kind);
          }
          expectCode(what + " (check)", () -> check.call(v), expected.code);
        }
      }
    }

    void expectCode(String what, Supplier<List<Val>> call, long code) {
      List<Val> result = api(call);
      long got = result.get(0).asLong();
      if (got != code) {
        throw finding(what + " gave code " + got + ", the model says " + code);
      }
    }

    private Held byCode(long code) {
      if (code == GcApiGuest.NULL) {
        return nullOf(ValType.ANYREF);
      }
      if ((code & GcApiGuest.I31) != 0) {
        return new Held(null, Kind.I31, code, null);
      }
      return new Held(null, (code & GcApiGuest.ARRAY) != 0 ? Kind.ARRAY : Kind.STRUCT, code, this);
    }
  }

  private static Object set(Global global, Val value) {
    global.set(value);
    return null;
  }

  private static Object set(Table table, long index, Val value) {
    table.set(index, value);
    return null;
  }

  /** An object or null held as an anyref, as the externref a host function passes. */
  private static Val asExtern(Held h) {
    return h.val instanceof Val.Gc(ValType type, AnyRef object) ? new Val.Gc(ValType.EXTERNREF, object)
        : Val.nullRef(ValType.EXTERNREF);
  }

  private static Held nullOf(ValType type) {
    return new Held(Val.nullRef(type), Kind.NULL, GcApiGuest.NULL, null);
  }

  // ---- the API's answers ----

  /** Runs {@code call}, retrying while the second thread holds the store. */
  private <T> T api(Supplier<T> call) {
    for (int spins = 0; ; spins++) {
      try {
        return call.get();
      } catch (IllegalStateException e) {
        if (!secondThread || e.getMessage() == null || !e.getMessage().contains(BUSY) || spins > 10_000_000) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Runs {@code call}, which must be refused with one of {@code documented}; says whether it was accepted. */
  private boolean expectRefused(String what, Supplier<?> call, Class<?>... documented) {
    Object got;
    try {
      got = api(call);
    } catch (RuntimeException e) {
      for (Class<?> c : documented) {
        if (c.isInstance(e)) {
          clean(what, e);
          return false;
        }
      }
      soft(what + " threw " + describe(e) + ", expected " + Arrays.toString(documented));
      return false;
    }
    soft(what + " was accepted (gave " + got + "), expected a refusal");
    return true;
  }

  private void expectTrap(String what, Supplier<?> call) {
    expectTrapOrThrow(what, call, false);
  }

  private void expectTrapOrThrow(String what, Supplier<?> call, boolean throwToo) {
    Object got;
    try {
      got = api(call);
    } catch (Trap e) {
      clean(what, e);
      return;
    } catch (WasmThrow e) {
      if (!throwToo) {
        soft(what + " threw " + describe(e) + ", expected a trap");
      }
      return;
    } catch (RuntimeException e) {
      soft(what + " threw " + describe(e) + ", expected a trap");
      return;
    }
    soft(what + " was accepted (gave " + got + "), expected a trap");
  }

  private WasmThrow expectThrow(String what, Supplier<?> call) {
    try {
      Object got = api(call);
      throw finding(what + " returned " + got + ", expected a WasmThrow");
    } catch (WasmThrow e) {
      return e;
    } catch (AssertionError e) {
      throw e;
    } catch (RuntimeException e) {
      throw finding(what + " threw " + describe(e) + ", expected a WasmThrow", e);
    }
  }

  /**
   * A refusal's message and every cause's: one line, no address, no {@code FUNCREF} (the module
   * has no function references, so the word can only be the internal representation of a struct).
   */
  private void clean(String what, Throwable refusal) {
    for (Throwable t = refusal; t != null; t = t.getCause()) {
      if (t instanceof WasmThrow) {
        continue; // its message lists the payload's values, which are the fuzzer's
      }
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        soft(what + ": " + t.getClass().getName() + " with no message");
      } else if (message.contains("\n")) {
        soft(what + ": a message of more than one line: " + message);
      } else if (ADDRESS.matcher(message).find()) {
        soft(what + ": a message with an address: " + message);
      } else if (message.contains("FUNCREF") && !funcrefGiven) {
        soft(what + ": a message naming FUNCREF where no funcref was given: " + message);
      } else if (!(t instanceof IllegalArgumentException || t instanceof IllegalStateException
          || t instanceof IndexOutOfBoundsException || t instanceof KilnException)) {
        soft(what + ": an undocumented exception " + describe(t));
      } else {
        continue;
      }
      return;
    }
  }

  private void soft(String message) {
    findings.add(finding(message).getMessage());
  }

  private static String describe(Throwable t) {
    String text = t.getClass().getName() + ": " + t.getMessage();
    return t.getCause() != null ? text + " (cause " + describe(t.getCause()) + ")" : text;
  }

  private AssertionError finding(String message) {
    return finding(message, null);
  }

  private AssertionError finding(String message, Throwable cause) {
    return new AssertionError("seed " + seed + (secondThread ? " (two threads)" : "") + ", operation " + op + ": "
        + message, cause);
  }
}
