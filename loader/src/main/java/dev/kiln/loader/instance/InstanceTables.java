package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.ElementItems;
import dev.kiln.artifact.info.ElementSegment;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.module.TableInitPlan;
import dev.kiln.loader.pool.InstanceSlot;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * The tables and element segments of one instance (WebAssembly 2.0 section 4.5.4, steps for
 * tables and element segments): creates the defined tables (lazy ones with their image, see
 * {@link TableInitPlan}), applies the active segments that are not folded into an image, fills
 * every element segment's record {@code {base, length}} in the VMContext (passive segments hold
 * their evaluated references; active and declarative ones are dropped once instantiation has
 * used them, length 0) and provides the table builtins' entry points.
 */
final class InstanceTables {
  private final ModuleInfo info;
  private final boolean lazy;
  private final MemorySegment vmctx;
  private final VmContextView view;
  private final List<TableInstance> imported;
  private final List<TableInstance> defined = new ArrayList<>();
  private final TableBuiltins builtins;
  /** The store's account, which the passive segments' items are taken from. */
  private final StoreResources resources;
  /** The instantiation's deadline, which the segment loops tick. */
  private final InstantiationDeadline deadline;

  /**
   * Creates the defined tables.
   *
   * @param imported the imported tables, in import order
   * @param lazy whether the module's code uses lazily initialised funcref tables (its compat header's
   *     {@link TableStorage#LAZY_INIT_SETTING})
   * @param plan the module's plan ({@link LoadedModule#tableInitPlan})
   * @param layout the VMContext's layout (the module's, made once)
   * @param funcRefs address of the instance's VMFuncRef 0 (0 if it has none)
   * @param arena the instance's arena, which the defined tables' slots live in (asked for only if
   *     there are any), or for a pooled instance the arena raw views of its tables are scoped to
   * @param slot the pool slot whose table regions the defined tables take, or null
   * @param poolElements elements a pooled table may have (with a slot)
   * @param owner the instance's lifetime
   * @param deadline the instantiation's deadline
   */
  InstanceTables(ModuleInfo info, boolean lazy, TableInitPlan plan, List<TableInstance> imported, MemorySegment vmctx,
      VmContextView view, VmLayout layout, long funcRefs, Supplier<Arena> arena, InstanceSlot slot, long poolElements,
      Lifetime owner,
      InstantiationDeadline deadline) {
    this.info = info;
    this.deadline = deadline;
    this.lazy = lazy;
    this.vmctx = vmctx;
    this.view = view;
    this.resources = owner.store().resources();
    this.imported = List.copyOf(imported);
    for (TableInstance table : imported) {
      deadline.tick();
      if (table.type().elementType() == dev.kiln.artifact.info.ValType.FUNCREF && table.lazy() != lazy) {
        throw new ModuleInstantiationException("an imported funcref table uses " + (table.lazy() ? "lazy" : "strict")
            + " slots but this module was compiled with " + TableStorage.LAZY_INIT_SETTING + "=" + lazy);
      }
    }
    this.plan = plan;
    this.eagerSegments = plan.eagerSegments();
    this.pooled = slot != null;
    try {
      for (int t = 0; t < info.tables().size(); t++) {
        deadline.tick();
        int index = imported.size() + t;
        MemorySegment definition = vmctx.asSlice(view.offset("table", index, ".base"), VmLayout.TABLE_DEFINITION_SIZE);
        MemorySegment image = plan.image(t);
        TableInstance.LazyImage lazyImage = image == null ? null : new TableInstance.LazyImage(image, funcRefs);
        RefType precise = (RefType) info.precise().section().matcher().close(info.precise().tables().get(index));
        defined.add(slot != null
            ? TableInstance.createPooled(info.tables().get(t), precise, definition, lazyImage, slot.table(t),
                poolElements, arena, owner)
            : TableInstance.create(info.tables().get(t), precise, definition, 0, lazyImage, arena.get(), owner));
      }
    } catch (RuntimeException | Error e) {
      // The pooled tables made so far give back what they took; the slot's release empties them.
      releasePooled();
      throw e;
    }
    this.builtins = new TableBuiltins(this::table, vmctx, layout);
  }

  /** Whether the defined tables and passive items are a pool slot's ({@link #releasePooled}). */
  private final boolean pooled;
  /** Bytes of passive items a pooled instance took from its store's byte limit. */
  private long pooledItemBytes;

  /**
   * Gives back what the pooled tables and passive items took from the store (once, when the
   * instance is freed, before its slot is emptied); nothing for an instance that is not pooled,
   * whose arena gives them back.
   */
  void releasePooled() {
    if (!pooled) {
      return;
    }
    for (TableInstance table : defined) {
      table.releasePooled();
    }
    defined.clear();
    resources.memoryBytes().release(pooledItemBytes);
    pooledItemBytes = 0;
  }

  private final int[] eagerSegments;
  /** Kept reachable while the tables point at its images. */
  private final TableInitPlan plan;

  /** Table {@code index} of the instance's index space (imports first). */
  TableInstance table(int index) {
    return index < imported.size() ? imported.get(index) : defined.get(index - imported.size());
  }

  /** Defined table {@code definedIndex}. */
  TableInstance defined(int definedIndex) {
    return defined.get(definedIndex);
  }

  /** Whether the module's funcref tables are lazily initialised. */
  boolean lazy() {
    return lazy;
  }

  /**
   * Applies the active segments not folded into an image, in order, each bounds-checked like
   * {@code table.init} (out of range: the module is uninstantiable with trap {@code table_oob}),
   * then writes every segment's record.
   *
   * @param instanceArena holds passive segments' items for the instance's lifetime (asked for only if
   *     there are any), unless {@code slot} holds them
   * @param slot the pool slot whose VMContext region holds the passive items after the VMContext, or null
   */
  void initialiseSegments(ConstExprEvaluator constants, IntToLongFunction funcRef, Supplier<Arena> instanceArena,
      InstanceSlot slot) {
    // Tables with an initialiser (spec 3.0 4.5.4: tables are allocated with their initial value,
    // before any element segment is applied); their segments are all eager (TableInitPlan).
    for (var init : info.tableInitialisers().entrySet()) {
      deadline.tick();
      TableInstance table = defined.get(init.getKey());
      table.fillFromWasm(0, constants.evaluate(init.getValue()), table.size());
    }
    for (int s : eagerSegments) {
      ElementSegment segment = info.elements().get(s);
      TableInstance table = table(segment.tableIndex());
      long offset = constants.evaluate(segment.offset().orElseThrow());
      long length = table.size();
      int count = segment.items().size();
      if (offset < 0 || offset > length || count > length - offset) {
        throw new ModuleInstantiationException("element segment " + s + " ([" + Long.toUnsignedString(offset)
            + ", +" + count
            + ") into a table of " + length + ")", TrapCode.TABLE_OUT_OF_BOUNDS);
      }
      deadline.tick();
      for (int i = 0; i < count; i++) {
        deadline.tick();
        table.setFromWasm(offset + i, item(segment, i, constants, funcRef));
      }
    }
    for (int s = 0; s < info.elements().size(); s++) {
      deadline.tick();
      ElementSegment segment = info.elements().get(s);
      if (segment.mode() == SegmentMode.PASSIVE && segment.items().size() > 0) {
        int count = segment.items().size();
        long bytes = JAVA_LONG.byteSize() * count;
        String what = "passive element segment " + s + " of " + count + " items";
        // Kept for table.init for as long as the instance lives: the store's memory, counted first.
        MemorySegment items;
        if (slot != null) {
          resources.memoryBytes().take(bytes, what);
          pooledItemBytes += bytes;
          items = slot.afterVmctx(bytes);
        } else {
          Arena arena = instanceArena.get();
          resources.memoryBytes().takeUntilClosed(bytes, what, arena);
          items = arena.allocate(JAVA_LONG, count);
        }
        for (int i = 0; i < count; i++) {
          deadline.tick();
          items.setAtIndex(JAVA_LONG, i, item(segment, i, constants, funcRef));
        }
        vmctx.set(JAVA_LONG, view.offset("element_segment", s, ".base"), items.address());
        vmctx.set(JAVA_LONG, view.offset("element_segment", s, ".length"), count);
      } else {
        vmctx.set(JAVA_LONG, view.offset("element_segment", s, ".base"), 0);
        vmctx.set(JAVA_LONG, view.offset("element_segment", s, ".length"), 0);
      }
    }
  }

  /**
   * Rewrites the GC references the instance's defined tables and passive element segments hold
   * ({@code runtime.GcRoots}): every slot and every item still in a segment's record (length 0
   * once dropped). Imported tables are their exporter's roots.
   */
  void relocate(java.util.function.LongUnaryOperator relocate) {
    for (TableInstance table : defined) {
      table.relocateSlots(relocate);
    }
    for (int s = 0; s < info.elements().size(); s++) {
      long base = vmctx.get(JAVA_LONG, view.offset("element_segment", s, ".base"));
      long length = vmctx.get(JAVA_LONG, view.offset("element_segment", s, ".length"));
      if (base == 0 || length == 0) {
        continue;
      }
      MemorySegment items = MemorySegment.ofAddress(base).reinterpret(length * JAVA_LONG.byteSize());
      for (long i = 0; i < length; i++) {
        items.setAtIndex(JAVA_LONG, i, relocate.applyAsLong(items.getAtIndex(JAVA_LONG, i)));
      }
    }
  }

  private static long item(ElementSegment segment, int i, ConstExprEvaluator constants, IntToLongFunction funcRef) {
    return switch (segment.items()) {
      case ElementItems.Functions fs -> funcRef.applyAsLong(fs.function(i));
      case ElementItems.Expressions es -> constants.evaluate(es.exprs().get(i));
    };
  }

  /** Whether {@code builtin} is a table builtin the loader implements (see {@link #builtinEntry}). */
  static boolean implementsBuiltin(Builtin builtin) {
    return TableBuiltins.implementsBuiltin(builtin);
  }

  /** The C-ABI entry point of table builtin {@code builtin}, valid while {@code arena} lives. */
  MemorySegment builtinEntry(Builtin builtin, Executor executor, Arena arena) {
    return builtins.entryPoint(builtin, executor, arena);
  }
}
