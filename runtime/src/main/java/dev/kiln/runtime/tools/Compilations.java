package dev.kiln.runtime.tools;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.internal.EngineAccess;
import dev.kiln.runtime.internal.ModuleCompiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code kiln compile}'s view of a compile: the same compile as {@link Engine#precompile} (the
 * engine's {@link ModuleCompiler}, the one path every compile takes), with progress and the figures
 * the command prints; and the compile split into phases for {@code kiln compile -v}.
 */
public final class Compilations {
  private Compilations() {}

  /**
   * Compiles {@code wasm} with {@code engine}'s settings, telling {@code progress} as each function
   * finishes, and writes the artifact to {@code output} as it is laid out (never whole in memory),
   * replacing the file there by a rename. The report lists each function's moves only when {@code
   * perFunctionMoves} asks ({@code kiln compile -v}): a line for each of a large module's tens of
   * thousands of functions, made on the compile's serial end.
   *
   * @throws dev.kiln.runtime.KilnException if the module is malformed, invalid or uses something
   *     Kiln cannot compile (the public API's messages: {@code "malformed: ..."}, {@code
   *     "unsupported: ..."})
   */
  public static CompileReport compile(Engine engine, byte[] wasm, ProgressListener progress, Path output,
      boolean perFunctionMoves) throws IOException {
    Objects.requireNonNull(progress, "progress");
    ModuleCompiler compiler = EngineAccess.compiler(engine);
    ModuleCompiler.Written compilation;
    try {
      compilation = compiler.compileTo(wasm, progress::finished, output, perFunctionMoves);
    } catch (RuntimeException e) {
      throw EngineAccess.translate(e);
    }
    List<CompileReport.FunctionMoves> perFunction = new ArrayList<>();
    compilation.functionMoves().forEach((key, moves) ->
        perFunction.add(new CompileReport.FunctionMoves(key.toString(), moves.describe())));
    return new CompileReport(compilation.artifactBytes(), compilation.functions(), compilation.dropped(),
        compilation.codeBytes(), compilation.moves().describe(), perFunction);
  }

  /**
   * {@code wasm} (valid, and compilable with {@code engine}'s settings) compiled once more on one
   * thread, phase by phase ({@link CompilePhases#measure}).
   *
   * @return e.g. {@code "T ms = decode N ms (P%) validate ..."}
   */
  public static String phases(Engine engine, byte[] wasm) {
    ModuleCompiler compiler = EngineAccess.compiler(engine);
    return CompilePhases.measure(wasm, compiler.backend(), compiler.options()).describe();
  }

  /** The number of compile threads {@code engine} uses. */
  public static int jobs(Engine engine) {
    return EngineAccess.compiler(engine).options().jobs();
  }
}
