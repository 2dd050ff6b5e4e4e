package dev.kiln.compiler.testsupport;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend of the compiler's and the commands' tests: real, hand-encoded x86-64 (Intel SDM Vol. 2)
 * without the function's semantics, so the driver, the linker, the artifact and what the commands
 * show of it are tested without the x64 backend, on bytes the tests know. A function is {@code push
 * rbp}, a {@code call rel32} to every function its IR declares as a callee, {@code mov eax, 42; pop
 * rbp; ret}, then an out-of-line {@code call} to the trap handler recorded as an UNREACHABLE trap site
 * at its return address (as the real backends record it) and {@code ud2}; its address map sends the
 * first byte to wasm offset {@code 0x40 + defined index}. Trampolines call their callee. It counts
 * its compilations and how many ran at once, for the tests of parallel compilation.
 */
public final class StubBackend implements Backend {
  /** The wasm offset the first byte of defined function 0 maps to; function {@code i} maps to this + i. */
  public static final int FIRST_WASM_OFFSET = 0x40;

  /** How many functions were compiled. */
  public final AtomicInteger compiled = new AtomicInteger();
  /** The VMContext slot offset of every builtin trampoline asked for (the driver asks on one thread). */
  public final List<Integer> builtinSlots = new ArrayList<>();
  /** How many compiles asked for a backend of their own ({@link Backend#forOneCompile}). */
  public final AtomicInteger compilesBegun = new AtomicInteger();
  /** How many array-to-wasm trampolines were asked for. */
  public final AtomicInteger entryTrampolines = new AtomicInteger();
  /** The most compilations that ran at once. */
  public final AtomicInteger maxRunning = new AtomicInteger();
  /**
   * Whether the first compilation waits (up to ten seconds) until a second one runs beside it, so
   * that a pool of several threads shows its overlap however late the machine starts them.
   */
  public volatile boolean awaitSecondCompilation;
  private final AtomicInteger running = new AtomicInteger();
  private final int failOnDefinedIndex;

  public StubBackend() {
    this(-1);
  }

  /** A backend that throws while compiling defined function {@code failOnDefinedIndex}. */
  public StubBackend(int failOnDefinedIndex) {
    this.failOnDefinedIndex = failOnDefinedIndex;
  }

  /** Counts the compile and serves it itself: the stub keeps nothing across functions. */
  @Override
  public Backend forOneCompile() {
    compilesBegun.incrementAndGet();
    return this;
  }

  @Override
  public Target target() {
    return Target.X86_64;
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("stub", "yes");
  }

  /** The stub's code, made whole when the function is lowered. */
  private record Made(CompiledFunction function) implements LoweredFunction {}

  @Override
  public CompiledFunction emit(LoweredFunction function) {
    return ((Made) function).function();
  }

  @Override
  public LoweredFunction lower(Function function) {
    boolean first = compiled.incrementAndGet() == 1;
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      Thread.sleep(2); // long enough for the pool's threads to overlap
      if (awaitSecondCompilation && first) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (maxRunning.get() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
      }
      return new Made(compile(function));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running.decrementAndGet();
    }
  }

  private CompiledFunction compile(Function function) {
    ExternalName.User self = (ExternalName.User) function.name();
    if (self.index() == failOnDefinedIndex) {
      throw new IllegalStateException("stub refuses function " + self.index());
    }
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    List<Reloc> relocs = new ArrayList<>();
    code.write(0x55); // push rbp (50+rd)
    for (int i = 0; i < function.dfg().extFuncCount(); i++) {
      ExternalName.User callee = (ExternalName.User) function.dfg().extFunc(i).name();
      call(code, relocs, new FuncKey(callee.namespace(), callee.index()));
    }
    code.writeBytes(new byte[] {(byte) 0xB8, 42, 0, 0, 0}); // mov eax, imm32 (B8+rd id)
    code.writeBytes(new byte[] {0x5D, (byte) 0xC3}); // pop rbp (58+rd); ret
    call(code, relocs, FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()));
    int trapAt = code.size(); // the call's return address
    code.writeBytes(new byte[] {0x0F, 0x0B}); // ud2
    return new CompiledFunction(code.toByteArray(), relocs, List.of(new TrapSite(trapAt, TrapCode.UNREACHABLE.code())),
        List.of(new SourceMapping(0, FIRST_WASM_OFFSET + self.index())));
  }

  /** {@code mov edx, UNSUPPORTED; call trap handler; ud2}, the return address an UNSUPPORTED trap site. */
  @Override
  public CompiledFunction unsupportedStub(Signature signature) {
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    List<Reloc> relocs = new ArrayList<>();
    code.writeBytes(new byte[] {(byte) 0xBA, (byte) TrapCode.UNSUPPORTED.code(), 0, 0, 0}); // mov edx, imm32
    call(code, relocs, FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()));
    int trapAt = code.size();
    code.writeBytes(new byte[] {0x0F, 0x0B}); // ud2
    return new CompiledFunction(code.toByteArray(), relocs,
        List.of(new TrapSite(trapAt, TrapCode.UNSUPPORTED.code())), List.of());
  }

  @Override
  public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    entryTrampolines.incrementAndGet();
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    List<Reloc> relocs = new ArrayList<>();
    call(code, relocs, callee);
    code.writeBytes(new byte[] {(byte) 0xB0, 1, (byte) 0xC3}); // mov al, 1; ret
    return new CompiledFunction(code.toByteArray(), relocs, List.of(), List.of());
  }

  @Override
  public CompiledFunction wasmToArrayTrampoline(Signature signature) {
    return ud2();
  }

  @Override
  public CompiledFunction trapHandler() {
    return ud2();
  }

  @Override
  public CompiledFunction throwHandler() {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of()); // ud2
  }

  @Override
  public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    builtinSlots.add(slotOffset);
    return ud2();
  }

  private static CompiledFunction ud2() {
    return new CompiledFunction(new byte[] {0x0F, 0x0B}, List.of(), List.of(), List.of());
  }

  /** {@code call rel32} (E8 cd): the field counts from the next instruction, hence A = -4. */
  private static void call(ByteArrayOutputStream code, List<Reloc> relocs, FuncKey target) {
    code.write(0xE8);
    relocs.add(new Reloc(code.size(), RelocKind.X86_CALL_PC_REL4, target.raw(), -4));
    code.writeBytes(new byte[4]);
  }
}
