package dev.kiln.codegen.x64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.testsupport.CompileScopedCallPlaces;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Type;
import dev.kiln.ir.Signature;
import dev.kiln.ir.text.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

class X64BackendTest {
  private static final X64Backend BACKEND = new X64Backend(
      CpuFeatures.of(X64Feature.LZCNT, X64Feature.POPCNT), true);

  private static final String TRAPPING = """
      function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32, v3: i32):
          @0010 v4 = udiv.i32 v2, v3
          @0014 brif v4, block1, block2

      block1:
          @0018 trap unreachable

      block2:
          @001c return v4
      }
      """;

  @Test
  void signaturePlacesLiveOnlyAsLongAsOneCompile() {
    CompileScopedCallPlaces.check(BACKEND, X64Backend::keptCallPlaces);
  }

  @Test
  void floatValuesCompile() {
    String f64Add = """
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            @0010 v3 = bitcast.f64 v2
            @0014 v4 = fadd.f64 v3, v3
            @0018 v5 = bitcast.i64 v4
            @001c return v5
        }
        """;
    CompiledFunction f = BACKEND.compileFunction(Parser.parseFunction(f64Add));
    assertEquals(List.of(0x10, 0x14, 0x18, 0x1c),
        f.sourceMap().stream().map(SourceMapping::wasmOffset).toList());
  }

  @Test
  void settingsNameTheCpuFeaturesTheCodeUses() {
    assertEquals(Target.X86_64, BACKEND.target());
    assertEquals("lzcnt,popcnt", BACKEND.settings().get("x86_64.features"));
    assertEquals("baseline",
        new X64Backend(CpuFeatures.baseline(), false).settings().get("x86_64.features"));
  }

  @Test
  void featureListsParseBackFromTheirSettingsText() {
    CpuFeatures all = CpuFeatures.of(X64Feature.values());
    assertEquals("lzcnt,bmi1,popcnt,sse4_1,ssse3,sse4_2,avx,avx2,bmi2", all.text());
    assertEquals(all, CpuFeatures.parse(all.text()));
    assertEquals(CpuFeatures.baseline(), CpuFeatures.parse("baseline"));
    assertEquals(CpuFeatures.of(X64Feature.SSE4_1), CpuFeatures.parse(" sse4_1 "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CpuFeatures.parse("avx512"));
    assertTrue(e.getMessage().contains("avx512"), e.getMessage());
  }

  @Test
  void roundingDependsOnSse41() {
    String ceil = """
        function u0:0(i64 vmctx, i64 caller_vmctx, f64) -> f64 {
        block0(v0: i64, v1: i64, v2: f64):
            v3 = ceil.f64 v2
            return v3
        }
        """;
    byte[] withSse41 = new X64Backend(CpuFeatures.of(X64Feature.SSE4_1), true)
        .compileFunction(Parser.parseFunction(ceil)).code();
    byte[] baseline = new X64Backend(CpuFeatures.baseline(), true)
        .compileFunction(Parser.parseFunction(ceil)).code();
    assertTrue(withSse41.length < baseline.length, "one roundsd against the SSE2 sequence");
  }

  @Test
  void theCodeDependsOnTheFeatures() {
    String clz = """
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = clz.i64 v2
            return v3
        }
        """;
    byte[] withLzcnt = BACKEND.compileFunction(Parser.parseFunction(clz)).code();
    byte[] baseline = new X64Backend(CpuFeatures.baseline(), true)
        .compileFunction(Parser.parseFunction(clz)).code();
    assertFalse(java.util.Arrays.equals(withLzcnt, baseline));
  }

  @Test
  void trapSitesAreReturnAddressesOfCallsTowardTheTrapStub() {
    CompiledFunction f = BACKEND.compileFunction(Parser.parseFunction(TRAPPING));
    byte[] code = f.code();
    long raiseTrap = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw();
    List<Integer> stubBranches = f.relocs().stream().filter(r -> r.targetKey() == raiseTrap)
        .map(r -> r.offset() - 1).toList();
    // division by zero (an out-of-line site: call to a tail that sets the code and jumps to the
    // stub), unreachable (inline: a call to the stub, then ud2); no stack overflow: a leaf with an
    // empty frame has no stack check (StoreLayout.UNCHECKED_LEAF_FRAME)
    assertEquals(2, f.trapSites().size());
    assertEquals(List.of(0xE9, 0xE8), stubBranches.stream().map(at -> code[at] & 0xff).sorted(
        java.util.Comparator.reverseOrder()).toList(), "one jmp (the tail), one call (inline)");
    for (TrapSite t : f.trapSites()) {
      assertEquals(0xE8, code[t.offset() - 5] & 0xff, "trap site after a call: " + t);
      boolean callsTheStub = stubBranches.contains(t.offset() - 5);
      // Otherwise the call's rel32 leads to the tail: movl $code, %edx (5 bytes), then the jmp.
      int tail = t.offset() + java.nio.ByteBuffer.wrap(code, t.offset() - 4, 4)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
      assertTrue(callsTheStub || stubBranches.contains(tail + 5),
          "the call reaches the stub directly or a tail whose jmp does: " + t);
    }
    assertEquals(List.of(7, 9), f.trapSites().stream().map(TrapSite::trapCode).sorted().toList(),
        "integer divide by zero, unreachable (artifact trap codes)");
  }

  @Test
  void theAddressMapFollowsSourceLocationsInCodeOrder() {
    CompiledFunction f = BACKEND.compileFunction(Parser.parseFunction(TRAPPING));
    List<SourceMapping> map = f.sourceMap();
    // The body's instructions, then the division's out-of-line trap site at the division's offset.
    assertEquals(List.of(0x10, 0x14, 0x18, 0x1c, 0x10),
        map.stream().map(SourceMapping::wasmOffset).toList());
    for (int i = 1; i < map.size(); i++) {
      assertTrue(map.get(i).codeOffset() > map.get(i - 1).codeOffset());
    }
  }

  @Test
  void trampolineAndTrapHandlerComeFromTheAbiGenerators() {
    FuncKey callee = FuncKey.definedWasmFunction(0, 3);
    Signature sig = new Signature(List.of(new AbiParam(Type.I64, ParamPurpose.VMCTX),
        new AbiParam(Type.I64, ParamPurpose.CALLER_VMCTX), AbiParam.of(Type.I32)),
        List.of(AbiParam.of(Type.I64)));
    CompiledFunction tramp = BACKEND.arrayToWasmTrampoline(sig, callee);
    assertEquals(List.of(RelocKind.X86_CALL_PC_REL4),
        tramp.relocs().stream().map(Reloc::kind).toList());
    assertEquals(callee.raw(), tramp.relocs().get(0).targetKey());
    CompiledFunction handler = BACKEND.trapHandler();
    assertTrue(handler.size() > 0);
    assertTrue(handler.relocs().isEmpty());
  }
}
