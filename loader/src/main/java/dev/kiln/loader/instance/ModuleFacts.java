package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.module.LoadedModule;

/**
 * What every instantiation of a module needs to know about the module itself, worked out once per
 * module ({@link LoadedModule#derived}) instead of per instance: an instance per request (issue
 * 41) made these strings, the layout object and the walks over the module's types and exports
 * every cycle (a JFR allocation profile of the pooled {@code hello} cycle put some 40% of its bytes
 * there). Nothing here depends on the store.
 *
 * @param usesGcHeap whether the module's objects live in the store's GC heap: it defines a struct or
 *     array type ({@link LoadedInstance#hasObjectTypes}), or its code allocates there (a {@code throw}'s
 *     exception object calls the heap's slow path, {@code Builtin.GC_ALLOCATE})
 * @param heldByHeap whether its code can write its function references into heap objects, so that an
 *     instance is held by the heap ({@code Lifetime.holdByHeap}): it defines a struct or array type
 *     ({@link LoadedInstance#hasObjectTypes}), or one of its tags (defined or imported) has a funcref
 *     parameter ({@link #throwsFunctionReferences}). An exception object outlives the thrower and its
 *     tag's scope: a {@code catch_all_ref} anywhere makes it an exnref that another instance or Java
 *     keeps, and {@code WasmThrow.payload()} reads every payload without the tag (red team 17 F1: a
 *     throw-only module was freed on close and its payload's funcref later named another instance's
 *     function at the same address)
 * @param crossesBoundary whether its function references can leave an instance ({@link FunctionReferenceBoundary#crosses})
 * @param layout the VMContext layout its table builtins read segment records through
 * @param instanceWhat "an instance of MODULE", what limits and the pool name in a refusal
 * @param vmctxWhat "the VMContext of an instance of MODULE", what the byte limit names
 * @param lifetimeName "instance of MODULE", the instance's lifetime in its store
 * @param hasGcRoots whether an instance holds words a collection may move ({@link #holdsReferences}),
 *     so that it registers its roots with the store
 */
record ModuleFacts(boolean usesGcHeap, boolean heldByHeap, boolean crossesBoundary, VmLayout layout, String instanceWhat,
    String vmctxWhat, String lifetimeName, boolean hasGcRoots) {
  /** {@code module}'s facts, made at its first instantiation (whose deadline bounded {@code view}'s walk). */
  static ModuleFacts of(LoadedModule module, VmContextView view) {
    // looked up before, not inside, this derivation: derived values are never made within one another
    // (the module's map refuses a recursive update)
    boolean allocates = BuiltinSlots.of(module, view).called(dev.kiln.artifact.vm.Builtin.GC_ALLOCATE);
    return module.derived(ModuleFacts.class, m -> new ModuleFacts(LoadedInstance.hasObjectTypes(m.info()) || allocates,
        LoadedInstance.hasObjectTypes(m.info()) || throwsFunctionReferences(m.info()),
        FunctionReferenceBoundary.crosses(m.info()), new VmLayout(view.shape()), "an instance of " + m,
        "the VMContext of an instance of " + m, "instance of " + m, holdsReferences(m.info())));
  }

  /**
   * Whether a tag of a module with {@code info} (imported or defined) carries a function reference
   * in its payload (a parameter of the func hierarchy, whose representation is funcref): its
   * exception objects can then hold the instance's function references.
   */
  static boolean throwsFunctionReferences(ModuleInfo info) {
    int tags = info.importedTagCount() + info.tags().size();
    for (int t = 0; t < tags; t++) {
      if (info.types().get(info.tagType(t)).params().contains(ValType.FUNCREF)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an instance of a module with {@code info} keeps references outside its code: a defined
   * global of a reference type, a defined table or an element segment (what {@code
   * LoadedInstance.relocateGlobals} and {@code InstanceTables.relocate} walk). An exnref global is
   * among them (its kind is externref, {@code RefType#kind}): its exception object lives in the GC
   * heap and moves as a struct does. One without any (most modules of an instance per request) has
   * nothing for a collector to rewrite; exnrefs in locals are its frames' roots, found by the walk.
   */
  static boolean holdsReferences(ModuleInfo info) {
    if (!info.tables().isEmpty() || !info.elements().isEmpty()) {
      return true;
    }
    for (int g = 0; g < info.globals().size(); g++) {
      ValType kind = info.globals().get(g).type().type();
      if (kind == ValType.EXTERNREF || kind == ValType.FUNCREF) {
        return true;
      }
    }
    return false;
  }
}
