package dev.kiln.tests.unicorn;

import static dev.kiln.tests.unicorn.Arm64Words.insn;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoEncoder;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.tests.unicorn.Arm64Words.Insn;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A complete AArch64 {@code .cwasm} made without the compiler, for the emulator's end-to-end tests
 * before the AArch64 backend compiles wasm. Each export's ARRAY_TO_WASM trampoline does the work
 * itself (hand-encoded, Capstone-checked by {@link Arm64Words#check}), reading the VMContext at
 * the offsets {@link VmLayout} gives:
 *
 * <pre>
 * (memory 1 4)  (data (i32.const 16) "\2a\00\00\00")
 * (func (export "answer") (result i32) ...)              ;; 42
 * (func (export "load") (param i32) (result i32) ...)    ;; i32.load, no bounds check
 * (func (export "trap") (result i32) ...)                ;; records "unreachable", returns false
 * </pre>
 */
final class Arm64Artifact {
  static final int ANSWER = 0;
  static final int LOAD = 1;
  static final int TRAP = 2;
  static final byte[] DATA = {0x2A, 0, 0, 0};

  private Arm64Artifact() {}

  static ModuleInfo info() {
    FuncType nullary = new FuncType(List.of(), List.of(ValType.I32));
    FuncType unary = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
    List<Export> exports = List.of(new Export("answer", ExternKind.FUNCTION, ANSWER),
        new Export("load", ExternKind.FUNCTION, LOAD), new Export("trap", ExternKind.FUNCTION, TRAP), new Export("memory", ExternKind.MEMORY, 0));
    return new ModuleInfo(List.of(nullary, unary), List.of(), List.of(0, 1, 0), List.of(),
        List.of(new MemoryType(Limits.of(1, 4), false, false)), List.of(), exports, OptionalInt.empty(),
        List.of(), List.of(DataSegment.active(0, ConstExpr.i32(16), 0, DATA.length)), List.of(ANSWER, LOAD, TRAP),
        Map.of(ANSWER, "answer", LOAD, "load", TRAP, "trap"));
  }

  /** {@code ldr x<rt>, [x<rn>, #offset]}, unsigned scaled offset (Arm ARM C6.2.131). */
  private static Insn ldrX(int rt, int rn, int offset) {
    if (offset % 8 != 0 || offset < 0 || offset / 8 > 4095) {
      throw new IllegalArgumentException("offset " + offset);
    }
    return insn(0xF9400000 | (offset / 8) << 10 | rn << 5 | rt,
        "ldr x" + rt + ", [x" + rn + (offset == 0 ? "]" : ", #" + capstoneImmediate(offset) + "]"));
  }

  /** Capstone 4 prints immediates up to 9 in decimal, larger ones in hex. */
  private static String capstoneImmediate(int value) {
    return value <= 9 ? Integer.toString(value) : "0x" + Integer.toHexString(value);
  }

  static List<List<Insn>> trampolines(VmLayout layout) {
    List<Insn> answer = UnicornExecutorTest.STORE_42;
    List<Insn> load = List.of(
        insn(0xB9400049, "ldr w9, [x2]"),
        ldrX(10, 0, layout.memoryBase(0)),
        insn(0xB869694B, "ldr w11, [x10, x9]"),
        insn(0xB900004B, "str w11, [x2]"),
        insn(0x52800020, "movz w0, #0x1"),
        insn(0xD65F03C0, "ret"));
    return List.of(answer, load, UnicornExecutorTest.TRAP_UNREACHABLE);
  }

  /** The artifact's bytes. */
  static byte[] build() {
    ModuleInfo info = info();
    List<List<Insn>> code = trampolines(new VmLayout(info.vmShape()));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    CwasmWriter writer = new CwasmWriter(CompatHeader.current("test", Target.AARCH64, Map.of("test.hand-built", "1")));
    List<FuncKey> keys = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    // .text is in FuncKey order: the wasm functions, then the trampolines. Exports escape, so each
    // function needs a wasm-convention body for its VMFuncRef; the trampolines do the work
    // themselves, so these bodies are never called.
    List<Insn> unused = List.of(insn(0xD65F03C0, "ret"));
    for (int f = 0; f < code.size(); f++) {
      keys.add(FuncKey.definedWasmFunction(0, f));
      ranges.add(append(text, unused));
    }
    for (int f = 0; f < code.size(); f++) {
      keys.add(FuncKey.arrayToWasmTrampoline(0, f));
      ranges.add(append(text, code.get(f)));
    }
    writer.text(text.toByteArray());
    for (int k = 0; k < keys.size(); k++) {
      writer.function(keys.get(k), ranges.get(k)[0], ranges.get(k)[1], keys.get(k).toString());
    }
    writer.moduleInfo(ModuleInfoEncoder.encode(info));
    writer.data(DATA);
    return writer.toByteArray();
  }

  /** Appends checked {@code code} at a 16-byte boundary; returns its {start, length}. */
  private static int[] append(ByteArrayOutputStream text, List<Insn> code) {
    while (text.size() % 16 != 0) {
      text.writeBytes(new byte[] {0, 0, 0, 0}); // udf #0: never reached
    }
    Arm64Words.check(code, text.size());
    byte[] bytes = Arm64Words.bytes(code);
    int start = text.size();
    text.writeBytes(bytes);
    return new int[] {start, bytes.length};
  }
}
