package dev.kiln.compiler.testsupport;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.util.List;
import java.util.Map;

/**
 * A backend for command-line tests that emits real hand-encoded x86-64 (Intel SDM Vol. 2) without
 * the function's semantics: {@code push rbp; mov eax, 42; pop rbp; ret}, then an out-of-line
 * {@code call} to the trap handler recorded as an UNREACHABLE trap site; trampolines call their
 * callee. The address map sends the first byte to wasm offset {@code 0x40 + defined index}.
 */
final class StubBackend implements Backend {
  @Override
  public Target target() {
    return Target.X86_64;
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("stub", "yes");
  }

  @Override
  public CompiledFunction compileFunction(Function function) {
    int index = ((ExternalName.User) function.name()).index();
    // push rbp; mov eax, 42; pop rbp; ret; call trap handler; ud2
    byte[] code = {0x55, (byte) 0xB8, 42, 0, 0, 0, 0x5D, (byte) 0xC3, (byte) 0xE8, 0, 0, 0, 0, 0x0F, 0x0B};
    return new CompiledFunction(code,
        List.of(new Reloc(9, RelocKind.X86_CALL_PC_REL4, FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw(), -4)),
        // The trap site is the call's return address, as the real backends record it.
        List.of(new TrapSite(13, TrapCode.UNREACHABLE.code())), List.of(new SourceMapping(0, 0x40 + index)));
  }

  @Override
  public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    byte[] code = {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xB0, 1, (byte) 0xC3}; // call callee; mov al, 1; ret
    return new CompiledFunction(code, List.of(new Reloc(1, RelocKind.X86_CALL_PC_REL4, callee.raw(), -4)),
        List.of(), List.of());
  }

  @Override
  public CompiledFunction unsupportedStub(Signature signature) {
    byte[] code = {(byte) 0xBA, 14, 0, 0, 0, (byte) 0xE8, 0, 0, 0, 0}; // mov edx, UNSUPPORTED; call trap handler
    return new CompiledFunction(code,
        List.of(new Reloc(6, RelocKind.X86_CALL_PC_REL4, FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw(), -4)),
        List.of(new TrapSite(10, TrapCode.UNSUPPORTED.code())), List.of());
  }

  @Override
  public CompiledFunction wasmToArrayTrampoline(Signature signature) {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of()); // ud2
  }

  @Override
  public CompiledFunction trapHandler() {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of()); // ud2
  }

  @Override
  public CompiledFunction throwHandler() {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of()); // ud2
  }

  @Override
  public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of()); // ud2
  }
}
