package dev.kiln.tests.loader;

import static dev.kiln.codegen.x64.asm.Gpr.RAX;
import static dev.kiln.codegen.x64.asm.Gpr.RCX;
import static dev.kiln.codegen.x64.asm.Gpr.RDI;
import static dev.kiln.codegen.x64.asm.Gpr.RDX;
import static dev.kiln.codegen.x64.asm.Gpr.RSI;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.ElementItems;
import dev.kiln.artifact.info.ElementSegment;
import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Global;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoEncoder;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.x64.abi.FrameEmitter;
import dev.kiln.codegen.x64.abi.TrapStub;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.X64Inst;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.MulDivForm;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A complete {@code .cwasm} made without the compiler: module info written with {@code
 * artifact.info}, x86-64 code assembled by hand under Kiln's wasm calling convention (rdi callee
 * vmctx, rsi caller vmctx, integer parameters from rdx), reading the VMContext at the offsets {@link
 * VmLayout} gives, with ARRAY_TO_WASM trampolines and the trap stub, all laid out in FuncKey order by
 * {@link CwasmWriter}. The module is the equivalent of:
 *
 * <pre>
 * (type $bin (func (param i32 i32) (result i32)))     ;; 0, and again as type 5
 * (memory 1 4)  (table 4 funcref)
 * (global $g0 i32 (i32.add (i32.const 40) (i32.const 2)))   (global $g1 (mut i32) (i32.const 0))
 * (func $add (export "add") ...)  (func $div (export "div") ...)   ;; i32.div_s
 * (func $load (export "load") (param i32) (result i32) ...)           ;; i32.load
 * (func $bytes (export "bytes") (result i64) ...)                     ;; memory length in bytes
 * (func $g0 (export "g0") (result i32) ...)  (func $start ...)  (func $g1 (export "g1") ...)
 * (start $start)                          ;; g1 = g0 + 100
 * (elem (i32.const 1) $add $div)
 * (data (i32.const 16) "\2a\00\00\00")  (data (global.get $g0) "\44\33\22\11")  (data "passive")
 * </pre>
 */
final class HandBuiltArtifact {
  static final int ADD = 0;
  static final int DIV = 1;
  static final int LOAD = 2;
  static final int BYTES = 3;
  static final int G0 = 4;
  static final int START = 5;
  static final int G1 = 6;
  static final int FUNCTIONS = 7;

  static final long MAX_PAGES = 4;

  private HandBuiltArtifact() {}

  /** The module info; {@code firstDataOffset} moves the first data segment (to make it not fit). */
  static ModuleInfo info(int firstDataOffset, List<Import> imports) {
    FuncType bin = new FuncType(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
    List<FuncType> types = List.of(bin, new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
        new FuncType(List.of(), List.of(ValType.I64)), new FuncType(List.of(), List.of(ValType.I32)),
        new FuncType(List.of(), List.of()), bin);
    List<Global> globals = List.of(
        new Global(new GlobalType(ValType.I32, false), ConstExpr.of(new ConstInstr.I32Const(40),
            new ConstInstr.I32Const(2), new ConstInstr.Binary(ConstInstr.Op.I32_ADD))),
        new Global(new GlobalType(ValType.I32, true), ConstExpr.i32(0)));
    List<Export> exports = List.of(new Export("add", ExternKind.FUNCTION, ADD), new Export("div", ExternKind.FUNCTION,
        DIV), new Export("load", ExternKind.FUNCTION, LOAD), new Export("bytes", ExternKind.FUNCTION, BYTES), new Export("g0", ExternKind.FUNCTION, G0),
        new Export("g1", ExternKind.FUNCTION, G1), new Export("memory", ExternKind.MEMORY, 0));
    List<DataSegment> data = List.of(
        DataSegment.active(0, ConstExpr.i32(firstDataOffset), 0, 4),
        DataSegment.active(0, ConstExpr.of(new ConstInstr.GlobalGet(0)), 4, 4),
        DataSegment.passive(8, 7));
    List<ElementSegment> elements = List.of(new ElementSegment(SegmentMode.ACTIVE, 0,
        Optional.of(ConstExpr.i32(1)), ValType.FUNCREF, new ElementItems.Functions(List.of(ADD, DIV))));
    return new ModuleInfo(types, imports, List.of(0, 0, 1, 2, 3, 4, 3),
        List.of(new TableType(ValType.FUNCREF, Limits.of(4), false)),
        List.of(new MemoryType(Limits.of(1, MAX_PAGES), false, false)), globals, exports, OptionalInt.of(START),
        elements, data, List.of(ADD, DIV, LOAD, BYTES, G0, G1), Map.of(ADD, "add", START, "start"));
  }

  static final byte[] DATA = {0x2A, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, 'p', 'a', 's', 's', 'i', 'v', 'e'};

  /** The artifact with the standard data layout. */
  static byte[] build() {
    return build(info(16, List.of()), Target.X86_64);
  }

  static byte[] build(ModuleInfo info, Target target) {
    VmLayout layout = new VmLayout(info.vmShape());
    CodeBuffer buf = new CodeBuffer();
    Map<FuncKey, Label> labels = new java.util.TreeMap<>();
    Label trapStub = buf.createLabel();
    LabelTarget raiseTrap = new LabelTarget(trapStub);
    Label[] bodies = new Label[FUNCTIONS];
    for (int f = 0; f < FUNCTIONS; f++) {
      bodies[f] = buf.createLabel();
      labels.put(FuncKey.definedWasmFunction(0, f), bodies[f]);
    }
    int memoryBase = layout.memoryBase(0);
    int memoryLength = layout.memoryLength(0);
    int global0 = layout.definedGlobal(0);
    int global1 = layout.definedGlobal(1);

    function(buf, bodies[ADD], raiseTrap, (b, traps) -> {
      emit(b, MovForm.MOVL_RM, RAX, RDX);
      emit(b, AluForm.ADDL_RM, RAX, RCX);
    });
    function(buf, bodies[DIV], raiseTrap, (b, traps) -> {
      Label divide = b.createLabel();
      emit(b, AluForm.TESTL_MR, RCX, RCX);
      emit(b, ControlForm.JCC_REL32, Cond.E, new LabelTarget(traps.on(TrapCode.INTEGER_DIVISION_BY_ZERO)));
      emit(b, AluForm.CMPL_MI8, RCX, Imm.of(-1));
      emit(b, ControlForm.JCC_REL32, Cond.NE, new LabelTarget(divide));
      emit(b, AluForm.CMPL_MI, RDX, Imm.of(Integer.MIN_VALUE));
      emit(b, ControlForm.JCC_REL32, Cond.E, new LabelTarget(traps.on(TrapCode.INTEGER_OVERFLOW)));
      b.bind(divide);
      emit(b, MovForm.MOVL_RM, RAX, RDX);
      emit(b, MulDivForm.CLTD);
      emit(b, MulDivForm.IDIVL_M, RCX);
    });
    // i32.load: the address is an unsigned i32; address + 4 must not exceed the length in the vmctx.
    function(buf, bodies[LOAD], raiseTrap, (b, traps) -> {
      emit(b, MovForm.MOVL_RM, RDX, RDX);
      emit(b, MovForm.LEAQ_RM, RAX, Amode.baseDisp(RDX, 4));
      emit(b, AluForm.CMPQ_RM, RAX, Amode.baseDisp(RDI, memoryLength));
      emit(b, ControlForm.JCC_REL32, Cond.A, new LabelTarget(traps.on(TrapCode.HEAP_OUT_OF_BOUNDS)));
      emit(b, MovForm.MOVQ_RM, RAX, Amode.baseDisp(RDI, memoryBase));
      emit(b, MovForm.MOVL_RM, RAX, Amode.baseIndex(RAX, RDX, 1, 0));
    });
    function(buf, bodies[BYTES], raiseTrap, (b, traps) ->
        emit(b, MovForm.MOVQ_RM, RAX, Amode.baseDisp(RDI, memoryLength)));
    function(buf, bodies[G0], raiseTrap, (b, traps) -> emit(b, MovForm.MOVL_RM, RAX, Amode.baseDisp(RDI, global0)));
    function(buf, bodies[START], raiseTrap, (b, traps) -> {
      emit(b, MovForm.MOVL_RM, RAX, Amode.baseDisp(RDI, global0));
      emit(b, AluForm.ADDL_MI8, RAX, Imm.of(100));
      emit(b, MovForm.MOVL_MR, Amode.baseDisp(RDI, global1), RAX);
    });
    function(buf, bodies[G1], raiseTrap, (b, traps) -> emit(b, MovForm.MOVL_RM, RAX, Amode.baseDisp(RDI, global1)));

    Type i32 = Type.I32;
    List<List<Type>> params = List.of(List.of(i32, i32), List.of(i32, i32), List.of(i32), List.of(),
        List.of(), List.of(), List.of());
    List<List<Type>> results = List.of(List.of(i32), List.of(i32), List.of(i32), List.of(Type.I64),
        List.of(i32), List.of(), List.of(i32));
    for (int f = 0; f < FUNCTIONS; f++) {
      buf.alignTo(16, (byte) 0xCC);
      Label entry = buf.createLabel();
      buf.bind(entry);
      ArrayToWasmTrampoline.emit(buf, params.get(f), results.get(f), new LabelTarget(bodies[f]));
      labels.put(FuncKey.arrayToWasmTrampoline(0, f), entry);
    }
    buf.alignTo(16, (byte) 0xCC);
    buf.bind(trapStub);
    TrapStub.emit(buf);
    labels.put(FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()), trapStub);
    int textEnd = buf.offset();
    byte[] text = buf.finish().code();

    CwasmWriter writer = new CwasmWriter(CompatHeader.current("test", target, Map.of("test.hand-built", "1")));
    writer.text(text);
    List<Map.Entry<FuncKey, Label>> ordered = new ArrayList<>(labels.entrySet());
    for (int i = 0; i < ordered.size(); i++) {
      int start = buf.labelOffset(ordered.get(i).getValue());
      int end = i + 1 < ordered.size() ? buf.labelOffset(ordered.get(i + 1).getValue()) : textEnd;
      writer.function(ordered.get(i).getKey(), start, end - start, ordered.get(i).getKey().toString());
    }
    writer.moduleInfo(ModuleInfoEncoder.encode(info));
    writer.data(DATA);
    return writer.toByteArray();
  }

  /** A variant that imports a function (which the loader refuses to instantiate). */
  static ModuleInfo withImport() {
    ModuleInfo plain = info(16, List.of());
    // Function indices shift by one; the import takes type 4 ([] -> []) and is not referenced.
    List<Integer> shifted = plain.escaping().stream().map(f -> f + 1).toList();
    List<ElementSegment> elements = List.of(new ElementSegment(SegmentMode.ACTIVE, 0, Optional.of(ConstExpr.i32(1)),
        ValType.FUNCREF, new ElementItems.Functions(List.of(ADD + 1, DIV + 1))));
    List<Export> exports = plain.exports().stream()
        .map(e -> e.kind() == ExternKind.FUNCTION ? new Export(e.name(), e.kind(), e.index() + 1) : e).toList();
    return new ModuleInfo(plain.types(), List.of(new Import("env", "tick", new ImportDesc.Function(4))),
        plain.functionTypes(), plain.tables(), plain.memories(), plain.globals(), exports, OptionalInt.of(START + 1),
        elements, plain.data(), shifted, Map.of());
  }

  // ---- assembling, as tests.x64.HandAssembledModule does ----

  private static final class TrapBlocks {
    private final CodeBuffer buf;
    private final Map<TrapCode, Label> labels = new EnumMap<>(TrapCode.class);

    TrapBlocks(CodeBuffer buf) {
      this.buf = buf;
    }

    Label on(TrapCode code) {
      return labels.computeIfAbsent(code, c -> buf.createLabel());
    }
  }

  private interface Body {
    void emit(CodeBuffer buf, TrapBlocks traps);
  }

  private static void function(CodeBuffer buf, Label entry, Operand raiseTrap, Body body) {
    buf.alignTo(16, (byte) 0xCC);
    buf.bind(entry);
    TrapBlocks traps = new TrapBlocks(buf);
    FrameEmitter.PROLOGUE.emitChecked(buf, FrameEmitter.LEAF, traps.on(TrapCode.STACK_OVERFLOW));
    body.emit(buf, traps);
    FrameEmitter.emitEpilogue(buf, FrameEmitter.LEAF);
    traps.labels.forEach((code, label) -> FrameEmitter.emitTrapBlock(buf, label, code, raiseTrap));
  }

  private static void emit(CodeBuffer buf, Form form, Operand... operands) {
    X64Encoder.encode(X64Inst.of(form, operands), buf);
  }
}
