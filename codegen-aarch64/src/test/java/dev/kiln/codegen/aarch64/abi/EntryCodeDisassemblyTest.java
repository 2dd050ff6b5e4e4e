package dev.kiln.codegen.aarch64.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.disasm.CapstoneDisassembler;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The code at the edges of wasm, as Capstone prints it, against {@code
 * src/test/resources/golden/abi/entry-code.txt}: the trap stub, array-to-wasm and wasm-to-array
 * trampolines of a register-only and of a stack-and-return-area signature (with f32/f64/v128), the
 * memory.grow builtin trampoline and the unsupported-function stub. Every word must decode, and the
 * relocations and trap sites are listed. Rewrite with {@code -Dkiln.bless=true} after a deliberate
 * change, and read the diff.
 */
class EntryCodeDisassemblyTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/abi/entry-code.txt");
  private static final AArch64Backend BACKEND = new AArch64Backend(true);

  private static Signature signature(List<Type> params, List<Type> results) {
    List<AbiParam> ps = new ArrayList<>();
    ps.add(new AbiParam(Type.I64, ParamPurpose.VMCTX));
    ps.add(new AbiParam(Type.I64, ParamPurpose.CALLER_VMCTX));
    for (Type t : params) {
      ps.add(new AbiParam(t, ParamPurpose.NORMAL));
    }
    return new Signature(ps, results.stream().map(t -> new AbiParam(t, ParamPurpose.NORMAL)).toList());
  }

  @Test
  void entryCodeMatchesTheGoldenListing() throws IOException {
    Signature small = signature(List.of(Type.I32, Type.F64), List.of(Type.I64));
    Signature wide = signature(List.of(Type.I64, Type.I64, Type.I64, Type.I64, Type.I64, Type.I64,
        Type.I32, Type.F32, Type.V128), List.of(Type.I32, Type.I64, Type.F64, Type.I32, Type.V128));
    FuncKey callee = FuncKey.definedWasmFunction(0, 5);
    Map<String, CompiledFunction> pieces = new LinkedHashMap<>();
    pieces.put("trap stub", BACKEND.trapHandler());
    pieces.put("array-to-wasm (i32, f64) -> i64", BACKEND.arrayToWasmTrampoline(small, callee));
    pieces.put("array-to-wasm (6 x i64, i32, f32, v128) -> (i32, i64, f64, i32, v128)",
        BACKEND.arrayToWasmTrampoline(wide, callee));
    pieces.put("wasm-to-array (i32, f64) -> i64", BACKEND.wasmToArrayTrampoline(small));
    pieces.put("wasm-to-array (6 x i64, i32, f32, v128) -> (i32, i64, f64, i32, v128)",
        BACKEND.wasmToArrayTrampoline(wide));
    pieces.put("builtin table.grow", BACKEND.builtinTrampoline(Builtin.TABLE_GROW, 0x40));
    pieces.put("unsupported stub", BACKEND.unsupportedStub(small));
    StringBuilder sb = new StringBuilder();
    try (Disassembler capstone = CapstoneDisassembler.open(Isa.AARCH64)) {
      for (Map.Entry<String, CompiledFunction> e : pieces.entrySet()) {
        CompiledFunction c = e.getValue();
        sb.append(e.getKey()).append(" (").append(c.size()).append(" bytes)\n");
        int decoded = 0;
        for (DisassembledInstruction i : capstone.disassemble(c.code(), 0)) {
          sb.append(String.format("  %04x: %s%n", i.address(), i.text()));
          decoded += i.size();
        }
        assertEquals(c.size(), decoded, e.getKey() + ": every word decodes");
        for (Reloc r : c.relocs()) {
          sb.append(String.format("  reloc %04x %s 0x%x%n", r.offset(), r.kind(), r.targetKey()));
        }
        for (TrapSite t : c.trapSites()) {
          sb.append(String.format("  trap %04x code %d%n", t.offset(), t.trapCode()));
        }
        sb.append('\n');
      }
    }
    String actual = sb.toString();
    if (Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"))) {
      Files.writeString(GOLDEN, actual);
      return;
    }
    assertTrue(Files.exists(GOLDEN), GOLDEN + " is missing; run with -Dkiln.bless=true");
    assertEquals(Files.readString(GOLDEN), actual, GOLDEN + " differs; rerun with -Dkiln.bless=true");
  }
}
