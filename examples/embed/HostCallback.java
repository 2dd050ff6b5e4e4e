import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.cli.embed.HostCompiler;
import dev.kiln.loader.api.Engine;
import dev.kiln.loader.api.Linker;
import dev.kiln.loader.api.WasmModule;
import dev.kiln.loader.instance.Instance;
import dev.kiln.loader.instance.WasmValue;
import dev.kiln.loader.runtime.Store;
import dev.kiln.loader.runtime.Trap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kiln's embedding API in one file: compile a .wasm, define host functions in Java, call a wasm
 * export that calls back into Java, and turn a host exception into a wasm trap with a backtrace.
 * Run it with examples/embed/run (see examples/README.md).
 */
public class HostCallback {
  public static void main(String[] args) throws Exception {
    Path wasm = Path.of(args.length > 0 ? args[0] : "examples/embed/callback.wasm");
    Engine engine = new Engine().withCompiler(HostCompiler.INSTANCE);
    try (Store store = new Store(); WasmModule module = engine.compile(Files.readAllBytes(wasm))) {
      Linker linker = new Linker(store);
      linker.defineFunction("host", "log", new FuncType(List.of(ValType.I32, ValType.F64), List.of()), params -> {
        System.out.println("wasm says: fib = " + params.get(0) + ", ratio = " + params.get(1));
        return List.of();
      });
      linker.defineFunction("host", "fail", new FuncType(List.of(ValType.I32), List.of()), params -> {
        int code = ((WasmValue.I32) params.get(0)).value();
        if (code != 0) {
          throw new IllegalArgumentException("the host rejects code " + code);
        }
        return List.of();
      });
      try (Instance instance = linker.instantiate(module)) {
        Object fib = instance.function("run").callJava(25);
        System.out.println("Java got: " + fib);
        instance.function("check").callJava(0);
        try {
          instance.function("check").callJava(7);
        } catch (Trap trap) {
          System.out.println("trap: " + trap.getMessage());
          System.out.println("  wasm backtrace: " + trap.backtrace());
        }
      }
    }
  }
}
