package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoDecoder;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.compiler.testsupport.StubBackend;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ArtifactEmitterTest {
  private static final String MODULE = """
      (module $demo
        (import "env" "g" (global $imported i32))
        (memory 1)
        (global $a (mut i32) (i32.const 5))
        (global $b i64 (i64.add (i64.const 1) (i64.const 2)))
        (global $c i32 (global.get $imported))
        (table 2 funcref)
        (elem (i32.const 1) $second)
        (data (i32.const 8) "hello")
        (data "passive!")
        (func $first (export "first") (result i32) (global.get $a))
        (func $second (result i32) (call $first)))
      """;

  private static CwasmFile open(byte[] bytes) {
    return CwasmFile.open(MemorySegment.ofArray(bytes));
  }

  @Test
  void writesEverySectionOfTheArtifact() {
    Module module = Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat"));
    CompiledModule compiled = Compiler.compile(module, new StubBackend(), new CompileOptions(2));
    LinkedText linked = ArtifactEmitter.link(compiled);
    CwasmFile file = open(ArtifactEmitter.emit(compiled, linked, "9.9.9-test"));

    assertEquals(Target.X86_64, file.target());
    assertEquals("9.9.9-test", file.compat().kilnVersion());
    assertEquals(Map.of("stub", "yes", "table_lazy_init", "true", "epoch_interruption", "false",
        "consume_fuel", "false", "memory32_guard_bytes", "33554432"), file.compat().settings());

    // Function index: every kept function at the place the linker gave it.
    assertEquals(linked.functions().size(), file.functions().functionCount());
    for (var f : linked.functions()) {
      assertEquals(f.start(), file.functions().startOf(f.key()), f.key().toString());
    }
    FuncKey first = FuncKey.definedWasmFunction(0, 0);
    byte[] text = file.text().toArray(ValueLayout.JAVA_BYTE);
    assertArrayEquals(linked.text(), text);

    // The stub marks a trap site in every wasm function and maps its first byte to 0x40 + index.
    int trapAt = linked.traps().getFirst().textOffset();
    assertEquals(TrapCode.UNREACHABLE, file.traps().lookup(trapAt).orElseThrow());
    assertEquals(StubBackend.FIRST_WASM_OFFSET, file.addressMap().wasmOffsetAt(file.functions().startOf(first)));
    int trampoline = file.functions().startOf(FuncKey.arrayToWasmTrampoline(0, 0));
    assertEquals(AddressMap.NONE, file.addressMap().wasmOffsetAt(trampoline));

    // Data: both segments' bytes, concatenated; module info points into them.
    MemorySegment data = file.section(KilnSection.DATA);
    assertEquals("hellopassive!", new String(data.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
    ModuleInfo info = ModuleInfoDecoder.decode(file.section(KilnSection.INFO), data.byteSize());
    assertEquals(List.of(DataSegment.active(0, ConstExpr.i32(8), 0, 5), DataSegment.passive(5, 8)), info.data());
    assertEquals(ConstExpr.of(new ConstInstr.I64Const(1), new ConstInstr.I64Const(2),
        new ConstInstr.Binary(ConstInstr.Op.I64_ADD)), info.globals().get(1).init());
    assertEquals(ConstExpr.of(new ConstInstr.GlobalGet(0)), info.globals().get(2).init());
    assertEquals(List.of(0, 1), info.escaping());
    assertEquals(OptionalInt.empty(), info.start());
    // The names from the wasm name section, stored once, in the module info.
    assertEquals(Map.of(0, "first", 1, "second"), info.functionNames());
  }

  @Test
  void sameModuleEmitsTheSameBytes() {
    Module module = Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat"));
    CompiledModule a = Compiler.compile(module, new StubBackend(), new CompileOptions(1));
    CompiledModule b = Compiler.compile(module, new StubBackend(), new CompileOptions(3));
    assertArrayEquals(ArtifactEmitter.emit(a, ArtifactEmitter.link(a), "1"), ArtifactEmitter.emit(b, ArtifactEmitter.link(b), "1"));
  }

  @Test
  void v128InitialiserKeepsBothHalves() {
    Module module = Wasm.load(Wat.toBinaryWithNames("(module (global v128 (v128.const i64x2 1 -2)))", "test.wat"));
    CompiledModule compiled = Compiler.compile(module, new StubBackend(), new CompileOptions(1));
    CwasmFile file = open(ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "1"));
    ModuleInfo info = ModuleInfoDecoder.decode(file.section(KilnSection.INFO),
        file.section(KilnSection.DATA).byteSize());
    assertEquals(ConstExpr.of(new ConstInstr.V128Const(1, -2)), info.globals().getFirst().init());
  }
}
