package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Global;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.loader.exec.NativeHelper;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.EntryPoints;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.InstanceSlot;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.ExceptionTag;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One instance of a {@link LoadedModule} in a {@link NativeStore}: its VMContext and the memories and
 * tables it owns. {@link #instantiate} follows WebAssembly 2.0 section 4.5.4: allocate memories
 * (reserved, minimum committed), tables and globals (initialisers evaluated in order), build the
 * VMFuncRefs, apply active element then data segments (bounds-checked: out of range makes the
 * module uninstantiable), then run the start function. Compiled code reaches everything through the
 * VMContext, whose fields are written through {@link VmContextView}. The API's {@code
 * dev.kiln.runtime.Instance} is the embedder's handle on one.
 *
 * <p>Imports (spec 4.5.4 steps 3-4) come as {@link Extern}s in the module's import order, checked by
 * {@link ImportMatcher} and written into the VMContext by {@link ImportBinder}; exports are {@link
 * #export(String)}.
 *
 * <p><b>Lifetime.</b> Everything native of the instance is freed by its {@link Lifetime} in the
 * store: {@link #close()} closes the handle, after which Java can no longer call or link the
 * instance, and its memory is freed once no other instance imports from it (see {@link
 * ImportBinder}) and, if its function references can leave it ({@link FunctionReferenceBoundary}),
 * only when the store closes.
 *
 * <p><b>Storage.</b> Where its VMContext, memories, tables and upcall stubs live (an arena of its
 * own, the C heap or an engine pool's slot) and what the store is charged for them is {@link
 * InstanceStorage}'s. A failed instantiation closes the handle as {@link #close()} does: an element
 * segment applied before the failing one may have written its functions into an imported table
 * (spec 4.5.4 keeps those writes), and such a module is one whose references can leave it.
 */
public final class LoadedInstance implements AutoCloseable {
  private static final ValueLayout.OfLong SLOT = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
  /** {@code Builtin.values()} once: the call copies its array, and every instantiation walks them. */
  private static final Builtin[] BUILTINS = Builtin.values();

  /**
   * This instance's defined reference globals ({@link #relocateGlobals}), defined tables and passive
   * element segments ({@code InstanceTables.relocate}) as GC roots of the store.
   */
  private AutoCloseable gcRoots;

  /**
   * Rewrites each defined reference global through {@code relocate}: a collection moved the object
   * it refers to. A global's kind does not tell an object from a function reference (a concrete
   * struct type's kind is funcref, {@code wasm.types.RefType#kind}), and need not: {@code relocate}
   * leaves every word outside the heap as it is. Imported globals are their exporter's.
   */
  private void relocateGlobals(java.util.function.LongUnaryOperator relocate) {
    int importedGlobals = view.shape().importedGlobals();
    for (int g = 0; g < info.globals().size(); g++) {
      dev.kiln.artifact.info.ValType kind = info.globals().get(g).type().type();
      if (kind == dev.kiln.artifact.info.ValType.EXTERNREF || kind == dev.kiln.artifact.info.ValType.FUNCREF) {
        long slot = view.offset("global", importedGlobals + g, "");
        vmctx.set(SLOT, slot, relocate.applyAsLong(vmctx.get(SLOT, slot)));
      }
    }
  }

  private final LoadedModule module;
  private final ModuleInfo info;
  private final NativeStore store;
  private final EntryInvoker invoker;
  /** Its VMContext's and arena's, its pool slot's, and the store's count of it. */
  private final InstanceStorage storage;
  /** The engine's pool, if the store has one ({@link InstancePool}): then the memories and VMContext are its. */
  private final InstancePool pool;
  /** The pool slot holding the VMContext and the defined memories, or null. */
  private final InstanceSlot slot;
  private final Lifetime lifetime;
  /** Whether it registers GC roots ({@link ModuleFacts#hasGcRoots}). */
  private final boolean hasGcRoots;
  /** Whether its function references can cross its boundary, so that it is pinned once they can have left ({@link #initialise}). */
  private final boolean pinOnceShared;
  /** Whether its objects (structs, arrays, exception objects) may carry its function references ({@link ModuleFacts#heldByHeap}, {@link Lifetime#holdByHeap}). */
  private final boolean heldByHeap;
  /** The owners of what this instance imported, once per import: released when it is freed. */
  private final List<Lifetime> uses = new ArrayList<>();
  /** Whether the VMFuncRefs are registered with the store for {@link NativeStore#checkFunctionReference}. */
  private boolean funcRefsRegistered;
  private final VmContextView view;
  /** The VMContext layout, the module's ({@link ModuleFacts}). */
  private final VmLayout layout;
  /** Where VMFuncRef 0 starts in the VMContext, -1 with none ({@link #funcRefOffset}). */
  private final long funcRefStart;
  private final MemorySegment vmctx;
  /** Every memory in index-space order: imported ones first, then the defined ones this instance owns. */
  private final List<MemoryInstance> memories = new ArrayList<>();
  private boolean codeRegistered;
  private ImportBinder.Bound imports = ImportBinder.Bound.NONE;
  /** The tags this instance defines, fresh identities per instantiation (made on first use). */
  private List<TagInstance> definedTags;
  /**
   * The tags {@link #installTags} registered with the store: released when the instance is freed.
   * Made with capacity 0, not {@code new ArrayList<>()}: on a list made empty by default, {@link
   * ArrayList#ensureCapacity} of up to ten does nothing (the JDK leaves that to the first add), so
   * {@link #installTags}' room for every tag came only at its first add, after that tag's register.
   */
  private final ArrayList<TagInstance> registeredTags = new ArrayList<>(0);
  /** How many steps of {@link #free} have run, and of its last one the uses it released. */
  private int freeSteps;
  private int usesReleased;
  private InstanceTables tables;
  private final int[] typeIds;
  /** The store's deadline, which every loop below over what the module declares ticks. */
  private final InstantiationDeadline deadline;
  /** Which defined memories got their data segments' bytes as a mapped image ({@link MemoryImages}). */
  private boolean[] imaged = new boolean[0];
  /** Where each imported function's import is in the import list, made at the first lookup. */
  private int[] functionImportPositions;

  private LoadedInstance(LoadedModule module, NativeStore store, InstantiationDeadline deadline) {
    this.module = module;
    this.info = module.info();
    this.store = store;
    this.deadline = deadline;
    this.invoker = new EntryInvoker(store, store.executorFor(module.file().target()));
    // The layout is the module's: walked once (the first instantiation's deadline bounds the walk).
    this.view = module.derived(VmContextView.class, unused -> new VmContextView(info.vmShape(), deadline));
    VmShape shape = view.shape();
    this.funcRefStart = shape.escapingFunctions() == 0 ? -1 : view.offset("func_ref", 0, ".array_call");
    ModuleFacts facts = ModuleFacts.of(module, view);
    this.layout = facts.layout();
    this.storage = new InstanceStorage(module, store, view.size(), facts);
    this.pool = storage.pool();
    this.slot = storage.slot();
    this.vmctx = storage.vmctx();
    try {
      this.typeIds = runtimeTypeIds(module, store, deadline);
      if (facts.usesGcHeap()) {
        store.ensureGcHeap();
      }
      // Pinned only once its references can have left it (initialise): a refusal before that frees
      // it, VMContext charge and all, as any refused instantiation (red team 12 F4: each refusal of
      // a module with a funcref at its boundary kept 160 bytes charged until the store closed).
      this.lifetime = store.adopt(facts.lifetimeName(), this::free, false);
      this.pinOnceShared = facts.crossesBoundary();
      this.heldByHeap = facts.heldByHeap();
      this.hasGcRoots = facts.hasGcRoots();
    } catch (RuntimeException | Error e) {
      storage.free();
      throw e;
    }
  }

  /**
   * Instantiates {@code module}, which must have no imports, in {@code store} and runs its start
   * function.
   *
   * @throws ImportLinkException if the module has imports ("unknown import")
   * @throws ModuleInstantiationException if a builtin or import trampoline is missing, or a segment does not fit
   *     (then {@link ModuleInstantiationException#trapCode()} says which trap)
   * @throws dev.kiln.loader.runtime.TrapException if the start function traps
   */
  public static LoadedInstance instantiate(LoadedModule module, NativeStore store) {
    return instantiate(module, store, List.of());
  }

  /**
   * Instantiates {@code module} in {@code store} with {@code imports}, one per import of the module
   * in its order (spec 4.5.4), and runs its start function.
   *
   * @throws ImportLinkException if an import is missing or has the wrong type (nothing ran)
   * @throws ModuleInstantiationException if a builtin or import trampoline is missing, or a segment does not fit
   *     (then {@link ModuleInstantiationException#trapCode()} says which trap)
   * @throws dev.kiln.loader.runtime.TrapException if the start function traps
   */
  public static LoadedInstance instantiate(LoadedModule module, NativeStore store, List<Extern> imports) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(imports, "imports");
    // One deadline for the whole instantiation: matching the imports ticks it as building does.
    InstantiationDeadline deadline = InstantiationDeadline.of(module, store);
    ImportMatcher.check(module.info(), imports, store.types(), deadline);
    return store.exclusive("instantiate", module, () -> instantiateClaimed(module, store, imports, deadline));
  }

  /** {@link #instantiate}, with {@code store} claimed by this thread. */
  private static LoadedInstance instantiateClaimed(LoadedModule module, NativeStore store, List<Extern> imports,
      InstantiationDeadline deadline) {
    // Begun only with room to undo: what it takes (a pool slot, a VMContext, the module's count) is
    // given back by handlers near this frame, which an overflow there would skip (issue 35).
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, module);
    store.collectIfDue();
    module.retain();
    LoadedInstance instance;
    try {
      instance = new LoadedInstance(module, store, deadline);
    } catch (RuntimeException | Error e) {
      module.release();
      throw e;
    }
    try {
      instance.imports = ImportBinder.bind(module, store, instance.vmctx, instance.view, imports, instance.lifetime,
          instance.uses, instance.deadline);
      store.registerCode(module);
      instance.codeRegistered = true;
      // Host functions this instance's code calls see it as their CallingInstance (resolved by vmctx).
      LiveInstances.of(store).add(instance);
      instance.initialise();
      return instance;
    } catch (RuntimeException | Error e) {
      instance.lifetime.close();
      throw e;
    }
  }

  private void initialise() {
    vmctx.set(JAVA_LONG, view.offset("store_context"), store.context().address());
    if (typeIds.length > 0) {
      // One copy: the type ids are contiguous 4-byte words from type 0 on (VmLayout.typeId).
      deadline.tick(typeIds.length);
      MemorySegment.copy(MemorySegment.ofArray(typeIds), 0, vmctx, layout.typeId(0),
          (long) typeIds.length * VmLayout.TYPE_ID_SIZE);
    }
    int importedMemories = view.shape().importedMemories();
    if (!imports.memories().isEmpty()) {
      memories.addAll(imports.memories());
    }
    List<Optional<ImageFile>> images = info.data().isEmpty() ? List.of() : module.memoryImages(MemoryImages::of);
    imaged = new boolean[info.memories().size()];
    for (int m = 0; m < info.memories().size(); m++) {
      deadline.tick();
      MemoryType type = info.memories().get(m);
      long offset = view.offset("memory", importedMemories + m, ".base");
      MemorySegment definition = vmctx.asSlice(offset, VmLayout.MEMORY_DEFINITION_SIZE);
      Optional<ImageFile> image = images.isEmpty() ? Optional.empty() : images.get(m);
      imaged[m] = image.isPresent();
      if (slot != null) {
        memories.add(MemoryInstance.createPooled(type, definition, slot.memory(m), pool.config().maxMemoryPages(),
            lifetime, storage::arena, image));
      } else {
        memories.add(image.isPresent() ? MemoryInstance.create(type, definition, storage.arena(), lifetime, image.get())
            : MemoryInstance.create(type, definition, storage.arena(), lifetime));
      }
    }
    long funcRefs = funcRefAddress0();
    tables = new InstanceTables(info, module.lazyTables(), module.tableInitPlan(deadline::tick), imports.tables(), vmctx,
        view, layout, funcRefs, storage::arena, slot, pool == null ? 0 : pool.config().maxTableElements(), lifetime, deadline);
    installBuiltins();
    installTags();
    buildFuncRefs();
    store.registerFunctionReferences(funcRefs, info.escaping().size(), lifetime);
    funcRefsRegistered = true;
    ConstExprEvaluator constants = new ConstExprEvaluator(this::readGlobal, this::readGlobalHigh,
        this::funcRefAddress, new ConstObjects(store, info.precise().section().subTypes(), typeIds,
            deadline));
    // Globals whose initialisers read nothing in one copy, then the others in index order.
    ConstantGlobals globals = ConstantGlobals.of(module, deadline);
    if (!info.globals().isEmpty()) {
      globals.writeInto(vmctx, layout.definedGlobal(0), deadline);
    }
    for (int g : globals.evaluated()) {
      deadline.tick();
      InstantiationWork.GLOBAL_INITIALISER_EVALUATED.increment();
      Global global = info.globals().get(g);
      long slot = layout.definedGlobal(g);
      vmctx.set(SLOT, slot, constants.evaluate(global.init()));
      vmctx.set(SLOT, slot + 8, constants.high(global.init()));
    }
    if (hasGcRoots) {
      gcRoots = store.registerGcRoots(relocate -> {
        relocateGlobals(relocate);
        tables.relocate(relocate);
      }, lifetime);
    }
    if (pinOnceShared) {
      // From here the instance's function references can leave it: an element segment writes them
      // into an imported table (spec 4.5.4 keeps those writes if instantiation then fails), and the
      // start function may pass them anywhere.
      lifetime.pin();
    } else if (heldByHeap) {
      // From here its code may run and write its function references into GC objects, which can
      // carry them anywhere a collection traces (red team 8 F4): the collector decides when it goes.
      lifetime.holdByHeap();
      if (slot != null) {
        pool.heldByHeapIn(store); // its slot too: another store may need it decided
      }
    }
    tables.initialiseSegments(constants, this::funcRefAddress, storage::arena, slot);
    applyDataSegments(constants, importedMemories);
    BulkMemoryState.writeDataSegmentRecords(vmctx, view, info.data(), module.data(), deadline);
    if (info.start().isPresent()) {
      int start = info.start().getAsInt();
      if (start < imports.functions().size()) {
        // An imported start function runs where it is defined (spec 4.5.4 step 15).
        imports.functions().get(start).callOpen();
        return;
      }
      MemorySegment trampoline = trampolineOf(start, "start function").orElseThrow(() ->
          EntryPoints.missing(module.file(), "start function " + start + " has no ARRAY_TO_WASM trampoline"));
      try (Arena call = Arena.ofConfined()) {
        invoker.invoke(trampoline, vmctx, vmctx, ValRaw.allocate(call, 0), 0);
      }
    }
  }

  /** Whether the module defines a struct or array type: only then can its code allocate objects. */
  static boolean hasObjectTypes(ModuleInfo info) {
    return info.precise().section().subTypes().stream()
        .anyMatch(t -> !(t.composite() instanceof dev.kiln.wasm.types.FuncType));
  }

  /**
   * Type ids: each defined type's canonical type (iso-recursive, spec 3.0 3.2.2) has one id in the
   * whole engine ({@link dev.kiln.loader.runtime.RuntimeTypes}), so {@code call_indirect} compares
   * ids also for functions of other instances and modules (spec 3.0 4.4.8: the callee's type must
   * match the expected one; equal ids are the fast path, the display the rest). Worked out once per
   * module and engine ({@link ModuleTypeIds}); the array is shared, never written here.
   */
  private static int[] runtimeTypeIds(LoadedModule module, NativeStore store, InstantiationDeadline deadline) {
    return ModuleTypeIds.of(module, store.types(), deadline);
  }

  /**
   * Builtin pointers: a builtin compiled into {@code .text} (FuncKey kind BUILTIN) wins; otherwise
   * the loader provides the table builtins as upcalls and the C_DIRECT builtins (bulk memory moves,
   * memory.grow's page commit) as the executor's memmove/memset/mprotect. A builtin the code calls (its WASM_TO_BUILTIN
   * trampoline is present) with no implementation from either side refuses instantiation, instead
   * of leaving a null pointer for compiled code to call. The trap builtin is the exception: its
   * WASM_TO_BUILTIN entry is the trap stub itself ({@code codegen.x64.abi.TrapStub}), which records
   * the trap and unwinds without reading its slot.
   */
  private void installBuiltins() {
    BuiltinSlots slots = BuiltinSlots.of(module, view);
    for (Builtin builtin : BUILTINS) {
      if (!builtin.slotted()) {
        // Its pointer is the store's (exception handling, the GC heap's slow path): installed once
        // per store for the code's target when this module's code calls it.
        if (slots.called(builtin)) {
          try {
            if (builtin == Builtin.GC_ALLOCATE) {
              store.installGcSlowPath(store.executorFor(module.file().target()));
            } else {
              store.exceptions(store.executorFor(module.file().target()));
            }
          } catch (IllegalStateException e) {
            throw new ModuleInstantiationException(e.getMessage());
          }
        }
        continue;
      }
      long offset = slots.offset(builtin);
      long compiled = slots.compiled(builtin);
      if (compiled != 0) {
        vmctx.set(JAVA_LONG, offset, compiled);
      } else if (builtin.shape() == Builtin.CallShape.C_DIRECT) {
        vmctx.set(JAVA_LONG, offset,
            store.executorFor(module.file().target()).helper(NativeHelper.of(builtin)).address());
      } else if (InstanceTables.implementsBuiltin(builtin)) {
        // An upcall per instance only when the code calls the builtin (its trampoline survived gc-sections).
        if (slots.called(builtin)) {
          vmctx.set(JAVA_LONG, offset,
              tables.builtinEntry(builtin, store.executorFor(module.file().target()), storage.arena()).address());
        }
      } else if (builtin.hasTrampoline() && slots.called(builtin)) {
        throw new ModuleInstantiationException("compiled code calls builtin " + builtin.text()
            + ", which neither the artifact's .text nor this loader implements");
      }
    }
  }

  /**
   * Each tag's identity word ({@code VmLayout.tag}, imports first): what the instance's catch
   * clauses compare an exception's tag with, and what its {@code throw}s record. Registered with the
   * store so that an exception escaping to the host names its tag.
   */
  private void installTags() {
    int count = info.importedTagCount() + info.tags().size();
    // Room for every tag first: an OutOfMemoryError at an add after its register left the tag
    // registered with no record to release it by, held for the store's life (issue 35).
    registeredTags.ensureCapacity(count);
    for (int t = 0; t < count; t++) {
      deadline.tick();
      TagInstance tag = tagAt(t);
      vmctx.set(JAVA_LONG, view.offset("tag", t, ""), tag.identity());
      store.tagRegistry().register(tag);
      registeredTags.add(tag);
    }
  }

  /**
   * Every VMFuncRef of the instance (docs/ARCHITECTURE.md section 4): the defined functions' from
   * the module's {@link FuncRefTemplate} (their entries as the load found them, {@link
   * EntryPoints}) with this VMContext's address, copied in one move; an imported one's from its
   * import.
   */
  private void buildFuncRefs() {
    int count = info.escaping().size();
    if (count == 0) {
      return;
    }
    FuncRefTemplate.Made template = FuncRefTemplate.of(module, typeIds, deadline);
    template.writeInto(vmctx, funcRefStart, deadline);
    int[] refs = template.importedRefs();
    for (int i = 0; i < refs.length; i++) {
      deadline.tick();
      // An imported function that escapes (re-exported, in a table, ref.func): a VMFuncRef of
      // this instance that calls the import's target, as the import record does.
      int function = template.importedFunctions()[i];
      FunctionInstance target = imports.functions().get(function);
      long wasmCall = ImportBinder.wasmCallFor(module, target, template.importedTypes()[i], info.imports().get(
          functionImportPosition(function)));
      // The reference is the imported function itself, of its own type (import matching proved
      // it a subtype of the import's), not of the type the import declares.
      target.writeFuncRef(vmctx.asSlice(funcRefOffset(refs[i]), VmLayout.FUNC_REF_SIZE), wasmCall, target.typeId());
    }
  }

  /**
   * Where VMFuncRef {@code k} starts in the VMContext: the first one's offset in this instance's
   * view, then {@link VmLayout#FUNC_REF_SIZE} each (the layout test checks every one against the
   * view), rather than a view lookup by name per field.
   */
  private long funcRefOffset(int k) {
    return funcRefStart + (long) k * VmLayout.FUNC_REF_SIZE;
  }

  private long readGlobal(int globalIndex) {
    if (globalIndex < imports.globals().size()) {
      return imports.globals().get(globalIndex).bits();
    }
    return vmctx.get(SLOT, view.offset("global", globalIndex, ""));
  }

  /** Bits 64-127 of global {@code globalIndex}'s slot: a v128's high half, 0 for other types. */
  private long readGlobalHigh(int globalIndex) {
    if (globalIndex < imports.globals().size()) {
      return imports.globals().get(globalIndex).get() instanceof WasmValue.V128 v ? v.high() : 0;
    }
    return vmctx.get(SLOT, view.offset("global", globalIndex, "") + 8);
  }

  /**
   * The position in the import list of imported function {@code index}: from a table made once, so
   * that a module re-exporting each of many imported functions costs one pass over its imports,
   * not one per function (which a module importing one WASI function a million times would make a
   * quadratic instantiation).
   */
  private int functionImportPosition(int index) {
    if (functionImportPositions == null) {
      List<Import> all = info.imports();
      functionImportPositions = new int[view.shape().importedFunctions()];
      int seen = 0;
      for (int i = 0; i < all.size(); i++) {
        deadline.tick();
        if (all.get(i).desc().kind() == ExternKind.FUNCTION) {
          functionImportPositions[seen++] = i;
        }
      }
    }
    return functionImportPositions[index];
  }

  private long funcRefAddress(int function) {
    int k = info.funcRefIndex(function).orElseThrow(() ->
        new IllegalStateException("function " + function + " has no VMFuncRef"));
    return vmctx.address() + funcRefOffset(k);
  }

  private void applyDataSegments(ConstExprEvaluator constants, int importedMemories) {
    MemorySegment data = module.data();
    for (int s = 0; s < info.data().size(); s++) {
      deadline.tick();
      DataSegment segment = info.data().get(s);
      if (segment.mode() != SegmentMode.ACTIVE) {
        continue;
      }
      int defined = segment.memoryIndex() - importedMemories;
      if (defined >= 0 && imaged[defined]) {
        continue; // its bytes are in the memory's image, mapped when the memory was made
      }
      MemoryInstance memory = memories.get(segment.memoryIndex());
      long offset = constants.evaluate(segment.offset().orElseThrow());
      boolean is64 = memory.type().is64();
      MemorySegment bytes = memory.unscopedSegment();
      long length = bytes.byteSize();
      // memory.init semantics (spec 4.4.7): offset + n must not exceed the memory's length; a
      // 32-bit memory's offset is an unsigned i32.
      long start = is64 ? offset : offset & 0xFFFF_FFFFL;
      if (start < 0 || start > length || segment.length() > length - start) {
        throw new ModuleInstantiationException("data segment " + s + " ([" + Long.toUnsignedString(start) + ", +"
            + segment.length() + ") into a memory of " + length + " bytes)", TrapCode.HEAP_OUT_OF_BOUNDS);
      }
      MemorySegment.copy(data, segment.dataOffset(), bytes, start, segment.length());
    }
  }

  // ---------------------------------------------------------------- calling exports

  /** The exported function {@code name}'s type. */
  public FuncType exportedFunctionType(String name) {
    return info.types().get(info.typeOfFunction(exportedFunction(name)));
  }

  private int exportedFunction(String name) {
    Export export = module.export(name).orElseThrow(() -> new IllegalArgumentException(
        "no export named \"" + name + "\""));
    if (export.kind() != ExternKind.FUNCTION) {
      throw new IllegalArgumentException("export \"" + name + "\" is a " + export.kind().name().toLowerCase(
          java.util.Locale.ROOT) + ", not a function");
    }
    return export.index();
  }

  private java.util.Optional<MemorySegment> trampolineOf(int function, String what) {
    int defined = function - view.shape().importedFunctions();
    if (defined < 0) {
      throw new ModuleInstantiationException(what + " " + function + " is imported");
    }
    return module.code(FuncKey.arrayToWasmTrampoline(LoadedModule.MODULE, defined));
  }

  /**
   * Calls the exported function {@code name} through its ARRAY_TO_WASM trampoline. Each argument is
   * the raw bits of one parameter: i32 in the low 32 bits, f32 and f64 as their IEEE 754 bits,
   * references as addresses; a v128 parameter needs {@link #invoke(String, List)}.
   *
   * @return the results, typed by the function's result types
   * @throws dev.kiln.loader.runtime.TrapException if the code traps; the instance stays usable
   * @throws IllegalArgumentException for an unknown export, the wrong number of arguments, or a
   *     funcref argument that is not one of the store's
   * @throws IllegalStateException if the instance is closed, or another thread is using the store
   */
  public List<WasmValue> invoke(String name, long... args) {
    FuncType type = info.types().get(info.typeOfFunction(exportedFunction(name)));
    if (args.length != type.params().size()) {
      throw new IllegalArgumentException("\"" + name + "\" takes " + type.params().size() + " arguments, got "
          + args.length);
    }
    if (type.params().contains(ValType.V128)) {
      throw new IllegalArgumentException("\"" + name + "\" takes a v128, which a long argument cannot carry");
    }
    List<WasmValue> typed = new ArrayList<>(args.length);
    for (int i = 0; i < args.length; i++) {
      typed.add(WasmValue.ofBits(type.params().get(i), args[i], 0));
    }
    return invoke(name, typed);
  }

  /**
   * Calls the exported function {@code name} with typed arguments, one per parameter and of its
   * type, through its ARRAY_TO_WASM trampoline.
   *
   * @return the results, typed by the function's result types
   * @throws dev.kiln.loader.runtime.TrapException if the code traps; the instance stays usable
   * @throws IllegalArgumentException for an unknown export or arguments that do not fit its type
   */
  public List<WasmValue> invoke(String name, List<WasmValue> args) {
    return store.exclusive("call an export in it", () -> {
      lifetime.checkOpen();
      return invokeClaimed(name, args);
    });
  }

  /** {@link #invoke} with the store claimed, so nothing frees the instance meanwhile. */
  private List<WasmValue> invokeClaimed(String name, List<WasmValue> args) {
    int function = exportedFunction(name);
    FuncType type = info.types().get(info.typeOfFunction(function));
    if (args.size() != type.params().size()) {
      throw new IllegalArgumentException("\"" + name + "\" takes " + type.params().size() + " arguments, got "
          + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type() != type.params().get(i)) {
        throw new IllegalArgumentException("\"" + name + "\" argument " + i + " is a " + args.get(i).type()
            + ", the parameter a " + type.params().get(i));
      }
      if (type.params().get(i).isReference()) {
        var precise = info.precise().section();
        store.checkReference(type.params().get(i), args.get(i).bits(), precise.matcher().close(
            precise.types().get(info.typeOfFunction(function)).paramTypes().get(i)));
      }
    }
    if (function < imports.functions().size()) {
      // A re-exported import runs where it is defined, with the exporter's store and vmctx.
      return imports.functions().get(function).callOpen(args.toArray(WasmValue[]::new));
    }
    MemorySegment trampoline = trampolineOf(function, "export \"" + name + "\"").orElseThrow(() ->
        EntryPoints.missing(module.file(), "export \"" + name + "\" has no ARRAY_TO_WASM trampoline"));
    int slots = Math.max(type.params().size(), type.results().size());
    try (Arena call = Arena.ofConfined()) {
      MemorySegment values = ValRaw.allocate(call, slots);
      for (int i = 0; i < args.size(); i++) {
        ValRaw.setI64(values, i, args.get(i).bits());
        values.set(JAVA_LONG, (long) i * ValRaw.SIZE + 8, args.get(i) instanceof WasmValue.V128 v ? v.high() : 0);
      }
      invoker.invoke(trampoline, vmctx, vmctx, values, slots);
      List<WasmValue> results = new ArrayList<>(type.results().size());
      for (int i = 0; i < type.results().size(); i++) {
        ValType t = type.results().get(i);
        long low = ValRaw.getI64(values, i);
        long high = values.get(JAVA_LONG, (long) i * ValRaw.SIZE + 8);
        results.add(WasmValue.ofBits(t, low, high));
      }
      return results;
    }
  }

  // ---------------------------------------------------------------- state, for hosts and tests
  // Data (memories, globals, tables) stays readable while the instance is alive, closed or not:
  // a host function its code calls through an importer may need it. Calls and links need it open.

  public LoadedModule module() {
    return module;
  }

  public NativeStore store() {
    return store;
  }

  /** The VMContext block. */
  public MemorySegment vmctx() {
    return vmctx;
  }

  public VmContextView view() {
    return view;
  }

  /** The committed bytes of defined memory {@code definedIndex} (a view; re-fetch after growth). */
  public MemorySegment memory(int definedIndex) {
    return definedMemory(definedIndex).segment();
  }

  /** Defined memory {@code definedIndex} itself, whose {@link MemoryInstance#segment} follows its growth. */
  public MemoryInstance definedMemory(int definedIndex) {
    lifetime.checkAlive();
    return memories.get(view.shape().importedMemories() + definedIndex);
  }

  /** Defined memory {@code definedIndex}'s size in pages. */
  public long memoryPages(int definedIndex) {
    return definedMemory(definedIndex).pages();
  }

  /**
   * The export named {@code name} (spec 4.5.4: the instance's export instances), as the object an
   * importer links to; empty if there is none.
   */
  public Optional<Extern> export(String name) {
    lifetime.checkOpen();
    return liveExport(name);
  }

  /**
   * {@link #export} while the instance is alive, closed or not: for a host function its code calls
   * ({@link CallingInstance}), which may run after the embedder closed the instance, through an importer.
   */
  public Optional<Extern> liveExport(String name) {
    lifetime.checkAlive();
    return module.export(name).map(this::extern);
  }

  /** Every export, in the module's order. */
  public Map<String, Extern> exports() {
    lifetime.checkOpen();
    Map<String, Extern> all = new LinkedHashMap<>();
    for (Export e : info.exports()) {
      all.put(e.name(), extern(e));
    }
    return all;
  }

  private Extern extern(Export export) {
    int index = export.index();
    return switch (export.kind()) {
      case FUNCTION -> new Extern.Function(functionAt(index));
      case MEMORY -> new Extern.Memory(memories.get(index));
      case TABLE -> new Extern.Table(tableAt(index));
      case GLOBAL -> new Extern.Global(globalAt(index));
      case TAG -> new Extern.Tag(tagAt(index));
    };
  }

  /**
   * Where {@code tag} is in this instance's tag index space (imports first, spec 2.5.1), if the
   * instance imports or defines it: how a tool names a tag the instance does not export.
   */
  public OptionalInt tagIndex(ExceptionTag tag) {
    int count = info.importedTagCount() + info.tags().size();
    for (int t = 0; t < count; t++) {
      if (tagAt(t).identity() == tag.identity()) {
        return OptionalInt.of(t);
      }
    }
    return OptionalInt.empty();
  }

  /** Tag {@code index}: an imported one itself, else one this instance defines. */
  private synchronized TagInstance tagAt(int index) {
    if (index < imports.tags().size()) {
      return imports.tags().get(index);
    }
    if (definedTags == null) {
      List<TagInstance> made = new ArrayList<>(info.tags().size());
      for (int typeIndex : info.tags()) {
        deadline.tick();
        made.add(new TagInstance(info.types().get(typeIndex), typeIds[typeIndex], lifetime));
      }
      definedTags = List.copyOf(made);
    }
    return definedTags.get(index - imports.tags().size());
  }

  /**
   * The exported function {@code name} as a typed handle ({@link FunctionInstance#call}).
   *
   * @throws IllegalArgumentException if there is no such export or it is not a function
   */
  public FunctionInstance function(String name) {
    lifetime.checkOpen();
    return functionAt(exportedFunction(name));
  }

  /** Function {@code index} (an escaping one: exported, in a table or named by ref.func). */
  private FunctionInstance functionAt(int index) {
    int k = info.funcRefIndex(index).orElseThrow(() ->
        new IllegalStateException("function " + index + " has no VMFuncRef"));
    MemorySegment funcRef = vmctx.asSlice(funcRefOffset(k), VmLayout.FUNC_REF_SIZE);
    // the type id buildFuncRefs wrote: an imported function's own, a defined one's of its type
    int typeId = index < imports.functions().size() ? imports.functions().get(index).typeId()
        : typeIds[info.typeOfFunction(index)];
    return new FunctionInstance(funcRef, info.types().get(info.typeOfFunction(index)), typeId, lifetime, null,
        module.file().target());
  }

  /** Global {@code index}: an imported one itself, a defined one as a view of its slot here. */
  private GlobalInstance globalAt(int index) {
    if (index < imports.globals().size()) {
      return imports.globals().get(index);
    }
    return GlobalInstance.over(vmctx.asSlice(view.offset("global", index, ""), VmLayout.GLOBAL_SIZE),
        info.globals().get(index - imports.globals().size()).type(),
        info.precise().section().matcher().close(info.precise().globals().get(index)), lifetime);
  }

  /** Table {@code index} in the index space: imported ones first. */
  private TableInstance tableAt(int index) {
    return tables.table(index);
  }

  /** The raw 64 bits of global {@code globalIndex}'s slot (i32 and f32 zero-extended). */
  public long globalBits(int globalIndex) {
    // Under the claim: the VMContext may be C heap that a close on another thread frees.
    return store.exclusive("read a global", () -> {
      lifetime.checkAlive();
      return readGlobal(globalIndex);
    });
  }

  /**
   * The table slots of defined table {@code definedIndex} as stored (read-only: a slot Java wrote
   * here would not be checked, see {@link TableInstance#set}): VMFuncRef addresses, 0 for null.
   */
  public MemorySegment table(int definedIndex) {
    lifetime.checkAlive();
    return tables.defined(definedIndex).storedSlots().asReadOnly();
  }

  /** The instance's lifetime in its store. */
  public Lifetime lifetime() {
    return lifetime;
  }

  /**
   * Closes the handle: Java can no longer call, export from or link to the instance. Its memory is
   * freed now if nothing imports from it, else when the last importer goes (or, if its function
   * references may have left it, when the store closes); while wasm runs on this thread, at the
   * end of the call. Idempotent.
   *
   * @throws IllegalStateException if another thread is using the store
   */
  @Override
  public void close() {
    lifetime.close();
  }

  /**
   * Host memory this instance holds against its store's byte limit beyond its memories and tables:
   * its VMContext and its passive element segments' items (8 bytes each).
   */
  public long hostBytes() {
    return storage.hostBytes();
  }

  /**
   * Frees everything native of the instance and ends its uses of what it imported, each step once:
   * counted in {@link #freeSteps} as soon as it returned, so a free that threw is finished by the
   * next ({@link Lifetime#free}) without a step done twice (a slot given back twice is two
   * instances' slot, issue 35).
   */
  private void free() {
    for (; freeSteps < 8; freeSteps++) {
      switch (freeSteps) {
        case 0 -> closeGcRoots();
        case 1 -> {
          if (codeRegistered) {
            LiveInstances.of(store).remove(this);
            store.unregisterCode(module);
          }
        }
        case 2 -> {
          if (funcRefsRegistered) {
            store.unregisterFunctionReferences(funcRefAddress0());
          }
        }
        // No code of this instance runs again: its tags stay only while another live instance
        // holds them or a live exception object names them (TagRegistry).
        case 3 -> {
          if (!registeredTags.isEmpty()) {
            store.releaseTags(registeredTags);
          }
        }
        case 4 -> storage.freeMemory(memories, lifetime, tables);
        case 5 -> storage.uncountInstance();
        case 6 -> storage.uncountBytes();
        default -> {
          for (; usesReleased < uses.size(); usesReleased++) {
            uses.get(usesReleased).release(lifetime);
          }
          registeredTags.clear();
          module.release();
        }
      }
    }
  }

  private void closeGcRoots() {
    if (gcRoots != null) {
      try {
        gcRoots.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private long funcRefAddress0() {
    return funcRefStart < 0 ? 0 : vmctx.address() + funcRefStart;
  }

  @Override
  public String toString() {
    return lifetime.toString();
  }
}
