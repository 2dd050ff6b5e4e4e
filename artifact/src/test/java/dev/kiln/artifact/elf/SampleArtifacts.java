package dev.kiln.artifact.elf;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.tables.TrapCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-assembled artifacts for the container tests. */
final class SampleArtifacts {
  /** A function of the sample: key, machine code, and where the sample placed it. */
  record Function(FuncKey key, byte[] code, int start) {}

  static final Map<String, String> SETTINGS = Map.of("table_lazy_init", "true", "bounds_checks", "explicit");
  static final byte[] INFO = "module info".getBytes(StandardCharsets.US_ASCII);
  static final byte[] DATA = {1, 2, 3, 4, 5};

  private SampleArtifacts() {}

  /** x86-64 code (Intel SDM vol. 2 encodings), each function padded to 16 bytes with int3. */
  static List<Function> x86Functions() {
    return place(List.of(
        // mov eax, 42 (B8+rd id); ret (C3)
        new Function(FuncKey.definedWasmFunction(0, 0), bytes(0xB8, 0x2A, 0, 0, 0, 0xC3), 0),
        // xor eax, eax (31 /r); ret
        new Function(FuncKey.definedWasmFunction(0, 1), bytes(0x31, 0xC0, 0xC3), 0),
        // ud2 (0F 0B): an unreachable that traps
        new Function(FuncKey.definedWasmFunction(0, 3), bytes(0x0F, 0x0B), 0),
        // lea eax, [rdi + rsi] (8D /r, SIB); ret
        new Function(FuncKey.arrayToWasmTrampoline(0, 0), bytes(0x8D, 0x04, 0x37, 0xC3), 0),
        // mov eax, 1; ret
        new Function(FuncKey.wasmToArrayTrampoline(0), bytes(0xB8, 1, 0, 0, 0, 0xC3), 0)));
  }

  /** AArch64 code (Arm ARM C6.2): movz w0, #42; ret / movz w0, #0; ret. Padding: zero words. */
  static List<Function> aarch64Functions() {
    return place(List.of(
        new Function(FuncKey.definedWasmFunction(0, 0), words(0x52800540, 0xD65F03C0), 0),
        new Function(FuncKey.definedWasmFunction(0, 1), words(0x52800000, 0xD65F03C0), 0)));
  }

  static byte[] text(List<Function> functions, int padding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Function f : functions) {
      while (out.size() < f.start()) {
        out.write(padding);
      }
      out.writeBytes(f.code());
    }
    return out.toByteArray();
  }

  static CwasmWriter writer(Target target, List<Function> functions, int padding) {
    CwasmWriter writer = new CwasmWriter(CompatHeader.current("0.1.0-test", target, SETTINGS))
        .text(text(functions, padding)).moduleInfo(INFO).data(DATA);
    for (Function f : functions) {
      writer.function(f.key(), f.start(), f.code().length, f.key().toString());
    }
    return writer;
  }

  /** The x86-64 sample with a trap at the ud2 and an address map for function 0. */
  static byte[] x86File() {
    List<Function> functions = x86Functions();
    return writer(Target.X86_64, functions, 0xCC)
        .addressMapping(0, 0x20).addressMapping(5, 0x22)
        .trap(functions.get(2).start(), TrapCode.UNREACHABLE)
        .toByteArray();
  }

  private static List<Function> place(List<Function> functions) {
    int at = 0;
    ArrayList<Function> placed = new ArrayList<>();
    for (Function f : functions) {
      placed.add(new Function(f.key(), f.code(), at));
      at = (at + f.code().length + 15) & ~15;
    }
    return List.copyOf(placed);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] words(int... instructions) {
    byte[] b = new byte[instructions.length * 4];
    for (int i = 0; i < instructions.length; i++) {
      for (int j = 0; j < 4; j++) {
        b[i * 4 + j] = (byte) (instructions[i] >>> (8 * j));
      }
    }
    return b;
  }
}
