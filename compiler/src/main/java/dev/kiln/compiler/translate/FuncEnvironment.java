package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmLocation;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.ir.builder.LongIntMap;
import dev.kiln.wasm.types.GlobalType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the translator's questions about the instance, one function at a time, by emitting IR
 * that reads the VMContext at {@link VmLayout} offsets: where memory {@code i}'s base and length
 * are, where global {@code i} lives, how to call function {@code i} or builtin {@code b}. The
 * translator knows wasm; this class knows the runtime's data structures, so a layout change touches
 * only here and artifact.vm.
 *
 * <p>Memory flags say what passes may assume: a memory's base never moves (memories are
 * reservations committed on grow, docs/ARCHITECTURE.md section 4) and imported-entity pointers and
 * import records are written once at instantiation, so their loads are {@code readonly}; a memory's
 * length changes on {@code memory.grow} (a call), and a mutable global on {@code global.set}.
 */
public final class FuncEnvironment {
  private static final MemFlags VMCTX_READONLY = MemFlags.VMCTX_READONLY;
  private static final MemFlags VMCTX_MUTABLE = MemFlags.VMCTX;

  private final ModuleEnvironment module;
  private final VmLayout layout;
  private final FunctionBuilder b;
  private final int vmctx;
  private final Map<Signature, Integer> sigRefs = new HashMap<>();
  /**
   * {@link #signatureRef}'s answer by callee type index, made on the first call: in front of {@link
   * #sigRefs}, whose lookup hashes a signature's lists through record methods C1 does not inline. A
   * map of the types this function calls, not an array of the module's types: one such array per
   * function made compile time grow as types x functions (red team 30 F3: 10^6 types, 20,000
   * functions of one call each, 17.8 s).
   */
  private LongIntMap sigRefsByType;
  /**
   * {@link #definedFuncRef}'s answers by function index: made on the first direct call, without a
   * boxed key and value per callee.
   */
  private LongIntMap definedFuncRefs;
  private final Map<Builtin, Integer> builtinFuncRefs = new HashMap<>();

  /**
   * @param vmctx the function's own vmctx parameter (entry block parameter 0)
   */
  public FuncEnvironment(ModuleEnvironment module, FunctionBuilder b, int vmctx) {
    this.module = module;
    this.layout = module.layout();
    this.b = b;
    this.vmctx = vmctx;
  }

  public ModuleEnvironment module() {
    return module;
  }

  /** The function's own VMContext pointer. */
  public int vmctx() {
    return vmctx;
  }

  /**
   * Emits the load of the store context's address (i64, {@code artifact.vm.StoreLayout}): written
   * once at instantiation, hence readonly.
   */
  public int storeContext() {
    return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, VmLayout.STORE_CONTEXT);
  }

  /** Emits the load of tag {@code tagIndex}'s identity (i64, {@code VmLayout.tag}): set at instantiation. */
  public int tagIdentity(int tagIndex) {
    return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, layout.tag(tagIndex));
  }

  // ---------------------------------------------------------------- memories

  /** Emits the load of memory {@code memoryIndex}'s base address (i64). */
  public int memoryBase(int memoryIndex) {
    return loadDefinitionField(layout.memory(memoryIndex), VmLayout.MEMORY_BASE, VMCTX_READONLY);
  }

  /** Emits the load of memory {@code memoryIndex}'s current length in bytes (i64). */
  public int memoryLength(int memoryIndex) {
    return loadDefinitionField(layout.memory(memoryIndex), VmLayout.MEMORY_LENGTH, VMCTX_MUTABLE);
  }

  /**
   * Emits the address of memory {@code memoryIndex}'s {@code {base, length, max_length}} record
   * (i64): inside this VMContext for a defined memory, the owner's for an imported one.
   */
  public int memoryDefinition(int memoryIndex) {
    return switch (layout.memory(memoryIndex)) {
      case VmLocation.Inline(int offset) -> b.ins().iadd(vmctx, b.ins().iconst(Type.I64, offset));
      case VmLocation.ViaPointer(int pointer) -> b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, pointer);
    };
  }

  /**
   * Emits {@code memory.grow} of memory {@code memoryIndex} by {@code delta} pages (unsigned i64):
   * a direct call of the compiled MEMORY_GROW builtin ({@link MemoryGrowBuiltin}); returns the old
   * size in pages or -1.
   */
  public int memoryGrow(int memoryIndex, int delta) {
    return callBuiltin(Builtin.MEMORY_GROW, memoryDefinition(memoryIndex), delta)[0];
  }

  private int loadDefinitionField(VmLocation location, int field, MemFlags flags) {
    return switch (location) {
      case VmLocation.Inline(int offset) ->
          b.ins().load(Opcode.LOAD, Type.I64, flags, vmctx, offset + field);
      case VmLocation.ViaPointer(int pointer) -> b.ins().load(Opcode.LOAD, Type.I64, flags,
          b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, pointer), field);
    };
  }

  // ---------------------------------------------------------------- data segments

  /**
   * Emits the load of data segment {@code segmentIndex}'s base address (i64): where its bytes are
   * in the mapped artifact. Written once at instantiation, hence readonly.
   */
  public int dataSegmentBase(int segmentIndex) {
    return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx,
        layout.dataSegment(segmentIndex) + VmLayout.SEGMENT_BASE);
  }

  /** Emits the load of data segment {@code segmentIndex}'s length (i64; 0 once dropped). */
  public int dataSegmentLength(int segmentIndex) {
    return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_MUTABLE, vmctx,
        layout.dataSegment(segmentIndex) + VmLayout.SEGMENT_LENGTH);
  }

  /** Emits {@code data.drop}: data segment {@code segmentIndex}'s length becomes 0. */
  public void dropDataSegment(int segmentIndex) {
    b.ins().store(Opcode.STORE, VMCTX_MUTABLE, b.ins().iconst(Type.I64, 0), vmctx,
        layout.dataSegment(segmentIndex) + VmLayout.SEGMENT_LENGTH);
  }

  // ---------------------------------------------------------------- globals

  /** Emits {@code global.get}: the value of global {@code globalIndex} as {@code type}. */
  public int globalGet(int globalIndex, Type type) {
    GlobalType g = module.globalType(globalIndex);
    // An immutable global holding a GC object still changes: a collection rewrites it with the
    // object's new address (loader GcRoots), so its load must not be hoisted past a call or merged
    // with one before it (red team 12 F1: a load hoisted out of a loop that collected kept the old address).
    MemFlags flags = g.mutable() || module.holdsGcObject(g.type()) ? VMCTX_MUTABLE : VMCTX_READONLY;
    return switch (layout.global(globalIndex)) {
      case VmLocation.Inline(int offset) -> b.ins().load(Opcode.LOAD, type, flags, vmctx, offset);
      case VmLocation.ViaPointer(int pointer) -> b.ins().load(Opcode.LOAD, type, flags,
          b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, pointer), 0);
    };
  }

  /** Emits {@code global.set} of {@code value} into global {@code globalIndex}. */
  public void globalSet(int globalIndex, int value) {
    switch (layout.global(globalIndex)) {
      case VmLocation.Inline(int offset) ->
          b.ins().store(Opcode.STORE, VMCTX_MUTABLE, value, vmctx, offset);
      case VmLocation.ViaPointer(int pointer) -> b.ins().store(Opcode.STORE, VMCTX_MUTABLE, value,
          b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx, pointer), 0);
    }
  }

  // ---------------------------------------------------------------- calls

  /**
   * Emits a call of function {@code funcIndex} with the wasm arguments {@code args}; returns its
   * results. A defined function is called directly (a PC-relative call the linker resolves) with
   * this instance's vmctx as both callee and caller vmctx; an imported one indirectly through its
   * import record's {@code wasm_call}, with the record's {@code vmctx} as callee vmctx.
   */
  public int[] callFunction(int funcIndex, int[] args) {
    if (funcIndex >= module.importedFunctionCount()) {
      return b.instResults(b.ins().call(definedFuncRef(funcIndex), prepend(vmctx, vmctx, args)));
    }
    ImportedCallee callee = importedCallee(funcIndex);
    return b.instResults(b.ins().callIndirect(signatureRef(funcIndex), callee.code(),
        prepend(callee.vmctx(), vmctx, args)));
  }

  /**
   * Emits {@code return_call} of function {@code funcIndex} (tail-call proposal): the callee and
   * vmctx pair of {@link #callFunction}, as a terminator; the callee's results are this function's.
   */
  public void returnCallFunction(int funcIndex, int[] args) {
    if (funcIndex >= module.importedFunctionCount()) {
      b.ins().returnCall(definedFuncRef(funcIndex), prepend(vmctx, vmctx, args));
      return;
    }
    ImportedCallee callee = importedCallee(funcIndex);
    b.ins().returnCallIndirect(signatureRef(funcIndex), callee.code(),
        prepend(callee.vmctx(), vmctx, args));
  }

  /** The function reference of defined function {@code funcIndex}, imported once per function. */
  private int definedFuncRef(int funcIndex) {
    if (definedFuncRefs == null) {
      definedFuncRefs = new LongIntMap();
    }
    int ref = definedFuncRefs.get(funcIndex);
    if (ref < 0) {
      ref = b.importFunction(new ExtFuncData(
          module.definedFunctionName(funcIndex - module.importedFunctionCount()),
          signatureRef(funcIndex)));
      definedFuncRefs.put(funcIndex, ref);
    }
    return ref;
  }

  /** An imported function's {@code wasm_call} and {@code vmctx}, loaded from its import record. */
  private record ImportedCallee(int code, int vmctx) {}

  private ImportedCallee importedCallee(int funcIndex) {
    int record = layout.importedFunction(funcIndex);
    int code = b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx,
        record + VmLayout.IMPORT_WASM_CALL);
    int calleeVmctx = b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx,
        record + VmLayout.IMPORT_VMCTX);
    return new ImportedCallee(code, calleeVmctx);
  }

  /**
   * Emits a call of builtin {@code builtin} with {@code args} (its parameters, no vmctx); returns
   * its results. A {@link Builtin.CallShape#VIA_TRAMPOLINE} builtin is called through its
   * trampoline and a {@link Builtin.CallShape#COMPILED} one directly ({@link CompiledBuiltin}),
   * both with this instance's vmctx as callee and caller; a {@link Builtin.CallShape#C_DIRECT} one
   * by an indirect call of its slot's pointer whose vmctx pair carries the first two C arguments
   * (the argument registers of both conventions coincide, see {@link Builtin}).
   */
  public int[] callBuiltin(Builtin builtin, int... args) {
    if (builtin.shape() == Builtin.CallShape.C_DIRECT) {
      int target = b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, vmctx,
          layout.builtin(builtin));
      return b.instResults(b.ins().callIndirect(sigRef(directBuiltinSignature(builtin)), target,
          args));
    }
    int funcRef = builtinFuncRefs.computeIfAbsent(builtin, x -> b.importFunction(new ExtFuncData(
        x.shape() == Builtin.CallShape.COMPILED ? CompiledBuiltin.name(x) : module.builtinTrampolineName(x),
        sigRef(ModuleEnvironment.builtinSignature(x)))));
    return b.instResults(b.ins().call(funcRef, prepend(vmctx, vmctx, args)));
  }

  /**
   * The wasm-convention signature that makes an indirect call a C call {@code f(params...)}: the
   * first two parameters take the vmctx pair's places, the rest are ordinary parameters; a result
   * comes back in the first integer result register, which both conventions share.
   */
  static Signature directBuiltinSignature(Builtin builtin) {
    List<AbiParam> params = new ArrayList<>();
    for (int i = 0; i < builtin.params().size(); i++) {
      ParamPurpose purpose = switch (i) {
        case 0 -> ParamPurpose.VMCTX;
        case 1 -> ParamPurpose.CALLER_VMCTX;
        default -> ParamPurpose.NORMAL;
      };
      params.add(new AbiParam(Type.I64, purpose));
    }
    return new Signature(params, builtin.results().stream()
        .map(kind -> AbiParam.of(ModuleEnvironment.irType(kind))).toList());
  }

  private int signatureRef(int funcIndex) {
    int typeIndex = module.functionTypeIndex(funcIndex);
    if (sigRefsByType == null) {
      sigRefsByType = new LongIntMap();
    }
    int ref = sigRefsByType.get(typeIndex);
    if (ref < 0) {
      Signature sig = module.typeSignature(typeIndex);
      if (sig == null) {
        throw new IllegalStateException("function " + funcIndex + " has reference types: "
            + module.functionType(funcIndex));
      }
      ref = sigRef(sig);
      sigRefsByType.put(typeIndex, ref);
    }
    return ref;
  }

  private int sigRef(Signature sig) {
    return sigRefs.computeIfAbsent(sig, b::importSignature);
  }

  private static int[] prepend(int calleeVmctx, int callerVmctx, int[] args) {
    int[] all = new int[args.length + 2];
    all[0] = calleeVmctx;
    all[1] = callerVmctx;
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  /**
   * Flags of a linear-memory access: the heap region, not readonly, alignment not promised (a
   * memarg's alignment is only a hint, spec 4.4.7).
   */
  public static MemFlags heapFlags() {
    return MemFlags.HEAP;
  }
}
