package dev.kiln.tests.hostcall;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wat.Wat;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.WasiHost;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WASI functions called by compiled wasm: a module that imports every function (but proc_exit)
 * and exports a wrapper of each, compiled for {@code target} and run in a store as {@code kiln run}
 * would run it (natively on x86-64, on the Unicorn executor for AArch64), by default over a
 * one-page memory whose maximum is one page: a 32-bit memory (4 GiB reserved, past the page inaccessible) or a
 * memory64 memory (the page plus a 64 KiB guard reserved, past that the JVM's own mappings). So the
 * calls take the real host-call path (trampoline, upcall, the caller's memory) on both targets.
 * What lies past the memory cannot be read to check it; a write there faults (the kernel answers
 * EFAULT, which the fuzzer's "a failed call wrote nothing" rule catches after a partial write, and a
 * Java access throws, which fails the call).
 */
final class CompiledGuest implements FuzzGuest {
  /** The wrapper module's artifact per target and memory kind: compiled once per JVM. */
  private static final Map<String, byte[]> ARTIFACTS = new ConcurrentHashMap<>();

  private final Target target;
  private final boolean memory64;
  private final long pages;
  private final NativeStore store = new NativeStore();
  private final LoadedModule module;
  private final LoadedInstance instance;

  CompiledGuest(Target target, boolean memory64, WasiConfig config) throws IOException {
    this(target, memory64, 1, config);
  }

  /**
   * A guest whose memory has {@code pages} pages (minimum and maximum): a memory64 memory of
   * more than 65,536 pages puts guest addresses past 2^32, reserved but committed only where touched.
   */
  CompiledGuest(Target target, boolean memory64, long pages, WasiConfig config) throws IOException {
    this.target = target;
    this.memory64 = memory64;
    this.pages = pages;
    byte[] artifact = ARTIFACTS.computeIfAbsent(target + (memory64 ? "/64/" : "/32/") + pages, key -> {
      Backend backend = Artifacts.backend(target);
      return Artifacts.compile(Wasm.load(Wat.toBinaryWithNames(wrapperModule(memory64, pages), "test.wat")), backend);
    });
    module = LoadedModule.fromBytes(artifact, null);
    ImportNamespace linker = new ImportNamespace(store, target);
    WasiHost.define(linker, config);
    instance = linker.instantiate(module);
  }

  private static String wrapperModule(boolean memory64, long pages) {
    StringBuilder wat = new StringBuilder("(module\n");
    StringBuilder exports = new StringBuilder();
    for (WasiFunction f : WasiFunction.values()) {
      if (!f.returnsErrno()) {
        continue;
      }
      StringBuilder params = new StringBuilder();
      StringBuilder args = new StringBuilder();
      for (int i = 0; i < f.arity(); i++) {
        params.append(f.isI64(i) ? " i64" : " i32");
        args.append(" (local.get ").append(i).append(')');
      }
      wat.append("  (import \"").append(WasiFunction.MODULE).append("\" \"").append(f.importName())
          .append("\" (func $").append(f.importName()).append(" (param").append(params).append(") (result i32)))\n");
      exports.append("  (func (export \"").append(f.importName()).append("\") (param").append(params)
          .append(") (result i32) (call $").append(f.importName()).append(args).append("))\n");
    }
    wat.append("  (memory (export \"memory\")").append(memory64 ? " i64 " : " ").append(pages).append(' ')
        .append(pages).append(")\n");
    return wat.append(exports).append(")\n").toString();
  }

  @Override
  public MemorySegment memory() {
    return instance.memory(0);
  }

  @Override
  public int call(WasiFunction function, long[] args) {
    List<WasmValue> result = instance.invoke(function.importName(), args);
    return ((WasmValue.I32) result.get(0)).value();
  }

  @Override
  public String damageOutside() {
    return null;
  }

  @Override
  public String describe() {
    return "compiled " + target + " guest, " + (memory64 ? "memory64" : "32-bit") + " memory of " + pages + " page(s)";
  }

  @Override
  public void close() {
    instance.close();
    module.close();
    store.close();
  }
}
