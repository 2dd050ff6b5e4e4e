package dev.kiln.tests.memory;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CodeSizeLimit;
import dev.kiln.compiler.driver.CompileProgress;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import dev.kiln.runtime.internal.ModuleCompiler;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compile of a module with many large functions, made by {@link CompileMemoryTest} in a JVM of a
 * small heap: {@code main} compiles {@link #FUNCTIONS} exported functions through the whole
 * pipeline (decode, the driver on one thread, the linker, the artifact writer) with {@link
 * BulkBackend}, which makes each function {@link #CODE_BYTES} of code with {@link #MAPPINGS}
 * address-map entries and {@link #TRAPS} trap sites without compiling anything, and prints the
 * artifact's size; given a path, it writes the artifact there as {@code kiln compile} does
 * ({@link ModuleCompiler#compileTo}), streamed.
 */
public final class BulkCompile {
  static final int FUNCTIONS = 1000;
  static final int CODE_BYTES = 48 * 1024;
  static final int MAPPINGS = 1000;
  static final int TRAPS = 100;
  static final int NOPS = (int) (CODE_BYTES / CodeSizeLimit.PER_BODY_BYTE);

  private BulkCompile() {}

  public static void main(String[] args) throws IOException {
    ModuleCompiler compiler = new ModuleCompiler("bulk", BulkBackend::new, new CompileOptions(1), Optional.empty(),
        Optional.empty(), 0);
    if (args.length == 1) { // streamed to this file, as kiln compile writes
      ModuleCompiler.Written written = compiler.compileTo(module(FUNCTIONS), CompileProgress.NONE, Path.of(args[0]), false);
      System.out.println("artifact " + written.artifactBytes() + " bytes");
      return;
    }
    ModuleCompiler.Compilation compilation = compiler.compile(module(FUNCTIONS), CompileProgress.NONE);
    System.out.println("artifact " + compilation.artifact().length + " bytes");
  }

  /**
   * A module of {@code count} functions of type {@code [] -> []}, each exported (so each is kept)
   * and {@link #NOPS} {@code nop}s long: bodies that pay, at the module's code budget ({@link
   * CodeSizeLimit}: 16 bytes of code a byte of body), for the {@link #CODE_BYTES} the backend makes
   * of each.
   */
  static byte[] module(int count) {
    WasmWriter functions = new WasmWriter();
    WasmWriter exports = new WasmWriter();
    WasmWriter code = new WasmWriter();
    byte[] body = new byte[1 + NOPS + 1]; // no locals, the nops, end
    Arrays.fill(body, 1, 1 + NOPS, (byte) 0x01);
    body[1 + NOPS] = 0x0B;
    for (int i = 0; i < count; i++) {
      functions.u8(0); // of type 0
      exports.name("f" + i).u8(0).u32(i); // a function
      code.u32(body.length).bytes(body);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 0, 0)) // one type: [] -> []
        .section(ModuleWriter.FUNCTION, new WasmWriter().u32(count).bytes(functions))
        .section(ModuleWriter.EXPORT, new WasmWriter().u32(count).bytes(exports))
        .section(ModuleWriter.CODE, new WasmWriter().u32(count).bytes(code))
        .toByteArray();
  }

  /**
   * Code of the size and table density of a large real function, made without compiling: {@code
   * nop}s ending in {@code ret} (Intel SDM Vol. 2B, NOP 90 and RET C3), and every other piece of
   * code one {@code ud2} (0F 0B), which nothing here runs.
   */
  static final class BulkBackend implements Backend {
    private static final byte[] UD2 = {0x0F, 0x0B};

    @Override
    public Target target() {
      return Target.X86_64;
    }

    @Override
    public Map<String, String> settings() {
      return Map.of("bulk.backend", "1");
    }

    /** The code, made whole when the function is lowered. */
    private record Made(CompiledFunction function) implements LoweredFunction {}

    @Override
    public CompiledFunction emit(LoweredFunction function) {
      return ((Made) function).function();
    }

    @Override
    public LoweredFunction lower(Function function) {
      int index = ((ExternalName.User) function.name()).index();
      byte[] code = new byte[CODE_BYTES];
      Arrays.fill(code, (byte) 0x90);
      code[CODE_BYTES - 1] = (byte) 0xC3;
      List<SourceMapping> map = new ArrayList<>(MAPPINGS);
      for (int i = 0; i < MAPPINGS; i++) {
        map.add(new SourceMapping(i * (CODE_BYTES / MAPPINGS), index * MAPPINGS + i));
      }
      List<TrapSite> traps = new ArrayList<>(TRAPS);
      for (int i = 0; i < TRAPS; i++) {
        traps.add(new TrapSite(i * (CODE_BYTES / TRAPS), TrapCode.UNREACHABLE.code()));
      }
      return new Made(new CompiledFunction(code, List.of(), traps, map));
    }

    @Override
    public CompiledFunction unsupportedStub(Signature signature) {
      return ud2();
    }

    @Override
    public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
      return ud2();
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
      return ud2();
    }

    @Override
    public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
      return ud2();
    }

    private static CompiledFunction ud2() {
      return new CompiledFunction(UD2, List.of(), List.of(), List.of());
    }
  }
}
