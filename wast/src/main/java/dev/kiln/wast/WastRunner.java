package dev.kiln.wast;

import dev.kiln.artifact.vm.ExecutionLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs whole scripts: read (with Kiln's script reader), execute every
 * command, collect the results. Both faces use it: {@code kiln wast} and the {@code tests}
 * module's spec suite.
 */
public final class WastRunner {
  private final ScriptSource source;
  private final Target target;
  private final FrontEnd frontEnd;
  private final X64Codegen x64Codegen;
  private final ExecutionLimits limits;

  /**
   * Runs scripts as {@code source} reads them.
   *
   * @param source Kiln's script reader ({@link TextScriptSource})
   * @param target what modules are compiled for; only x86_64 on an x86-64 host executes actions
   * @param frontEnd decode + validate
   * @param x64Codegen the CPU extensions and checking to compile x86-64 code with
   * @param limits the checks every module is compiled with (which each script's store then never
   *     trips: its deadline and fuel are unbounded)
   */
  public WastRunner(ScriptSource source, Target target, FrontEnd frontEnd, X64Codegen x64Codegen,
      ExecutionLimits limits) {
    this.source = source;
    this.x64Codegen = x64Codegen;
    this.limits = limits;
    this.target = target;
    this.frontEnd = frontEnd;
  }

  /**
   * As the constructor above, with the checks named as the command line's {@code
   * --epoch-interruption} and {@code --consume-fuel} flags name them.
   */
  public WastRunner(ScriptSource source, Target target, FrontEnd frontEnd, X64Codegen x64Codegen,
      boolean epochInterruption, boolean consumeFuel) {
    this(source, target, frontEnd, x64Codegen, new ExecutionLimits(epochInterruption, consumeFuel));
  }

  public Target target() {
    return target;
  }

  /**
   * Runs one script. A script that cannot be read as a whole (it does not lex or parse) gives a single failed case at line 0, so a broken script is never mistaken for an empty
   * one.
   *
   * @param wast the script
   * @param reportedName the name to report it under ({@code core/binary.wast})
   */
  public FileReport run(Path wast, String reportedName) throws IOException {
    Script script;
    try {
      script = source.read(wast);
    } catch (ConversionException e) {
      return new FileReport(reportedName, List.of(new CaseResult(reportedName, 0, "read",
          new Outcome.Failed("a script that reads", e.getMessage()))));
    }
    List<CaseResult> results = new ArrayList<>(script.commands().size());
    try (ScriptExecutor executor =
        new ScriptExecutor(script.features(), target, frontEnd, x64Codegen, limits)) {
      for (ScriptCommand command : script.commands()) {
        results.add(new CaseResult(reportedName, command.line(), command.kind(), executor.execute(command)));
      }
    }
    return new FileReport(reportedName, results);
  }
}
