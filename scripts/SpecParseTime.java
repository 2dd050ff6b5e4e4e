import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Edition;
import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.script.Command;
import dev.kiln.wat.script.ScriptModule;
import dev.kiln.wat.script.ScriptReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue 36's "the reader is fast enough not to matter": the time Kiln's text reader takes to read
 * the whole current spec suite (every script lexed and parsed, every text module and module quote
 * encoded to binary) beside the time the same modules take to decode and validate and to compile
 * for x86-64 (compile, link, emit the .cwasm). Run by scripts/spec-parse-time; ROUNDS rounds, the
 * first with a cold JIT.
 */
public class SpecParseTime {
  public static void main(String[] args) throws Exception {
    Path suite = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<Path> scripts = new ArrayList<>();
    for (Path dir : List.of(suite, suite.resolve("legacy"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".wast")).sorted().forEach(scripts::add);
      }
    }
    // The 3.0 edition's features, as kiln wast --edition 3.0 reads the suite.
    Features features = Features.STANDARD.withMultiMemory(true).withMemory64(true).withExtendedConst(true)
        .withWasm3(true);
    for (int round = 1; round <= rounds; round++) {
      List<byte[]> binaries = new ArrayList<>();
      long parse = 0;
      for (Path script : scripts) {
        byte[] source = Files.readAllBytes(script);
        long start = System.nanoTime();
        for (Command c : ScriptReader.read(source, script.toString(), Edition.WASM_3).commands()) {
          switch (module(c)) {
            case ScriptModule.Encoded e -> binaries.add(e.bytes());
            case ScriptModule.Quote q -> {
              try {
                binaries.add(q.encode(script.toString(), Edition.WASM_3));
              } catch (WatSyntaxException malformedText) {
                // an assert_malformed quote: reading it was the work
              }
            }
            case null -> { }
          }
        }
        parse += System.nanoTime() - start;
      }
      X64Backend backend = new X64Backend(CpuFeatures.host(), false);
      CompileOptions options = CompileOptions.defaults().withRefusedFunctionsTrap();
      long load = 0;
      long compile = 0;
      int valid = 0;
      for (byte[] binary : binaries) {
        long start = System.nanoTime();
        Module module;
        try {
          module = Wasm.load(binary, features);
        } catch (WasmException rejected) {
          load += System.nanoTime() - start;
          continue;
        }
        long compileStart = System.nanoTime();
        load += compileStart - start;
        var compiled = Compiler.compile(module, backend, options);
        ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "spec-parse-time");
        compile += System.nanoTime() - compileStart;
        valid++;
      }
      System.out.printf(Locale.ROOT, "round %d: %d scripts read (lexed, parsed, text modules encoded) in %.2f s;"
          + " %d modules decoded and validated in %.2f s; the %d valid ones compiled for x86-64 in %.2f s%n",
          round, scripts.size(), parse / 1e9, binaries.size(), load / 1e9, valid, compile / 1e9);
    }
  }

  private static ScriptModule module(Command c) {
    return switch (c) {
      case Command.ModuleDefinition d -> d.module();
      case Command.AssertMalformed a -> a.module();
      case Command.AssertInvalid a -> a.module();
      case Command.AssertUnlinkable a -> a.module();
      case Command.AssertUninstantiable a -> a.module();
      default -> null;
    };
  }
}
