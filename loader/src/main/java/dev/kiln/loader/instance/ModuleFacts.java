package dev.kiln.loader.instance;

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
 * @param crossesBoundary whether its function references can leave an instance ({@link FunctionReferenceBoundary#crosses})
 * @param layout the VMContext layout its table builtins read segment records through
 * @param instanceWhat "an instance of MODULE", what limits and the pool name in a refusal
 * @param vmctxWhat "the VMContext of an instance of MODULE", what the byte limit names
 * @param lifetimeName "instance of MODULE", the instance's lifetime in its store
 */
record ModuleFacts(boolean usesGcHeap, boolean crossesBoundary, VmLayout layout, String instanceWhat,
    String vmctxWhat, String lifetimeName) {
  /** {@code module}'s facts, made at its first instantiation (whose deadline bounded {@code view}'s walk). */
  static ModuleFacts of(LoadedModule module, VmContextView view) {
    // looked up before, not inside, this derivation: derived values are never made within one another
    // (the module's map refuses a recursive update)
    boolean allocates = BuiltinSlots.of(module, view).called(dev.kiln.artifact.vm.Builtin.GC_ALLOCATE);
    return module.derived(ModuleFacts.class, m -> new ModuleFacts(LoadedInstance.hasObjectTypes(m.info()) || allocates,
        FunctionReferenceBoundary.crosses(m.info()), new VmLayout(view.shape()), "an instance of " + m,
        "the VMContext of an instance of " + m, "instance of " + m));
  }
}
