package dev.kiln.wast;

import dev.kiln.artifact.vm.ExecutionLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs whole scripts: read (with Kiln's script reader, or converted with wast2json), execute every
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
   * @param converter the wast2json to convert with
   * @param buildDir where conversions go (and are reused from)
   * @param target what modules are compiled for; only x86_64 on an x86-64 host executes actions
   * @param frontEnd decode + validate
   */
  public WastRunner(Wast2Json converter, Path buildDir, Target target, FrontEnd frontEnd) {
    this(converter, buildDir, target, frontEnd, X64Codegen.HOST);
  }

  /**
   * As the four-argument constructor, compiling x86-64 code as {@code x64Codegen} says.
   *
   * @param x64Codegen the CPU extensions and checking to compile x86-64 code with
   */
  public WastRunner(Wast2Json converter, Path buildDir, Target target, FrontEnd frontEnd, X64Codegen x64Codegen) {
    this(converter, buildDir, target, frontEnd, x64Codegen, ExecutionLimits.NONE);
  }

  /**
   * As the five-argument constructor, compiling every module with {@code limits}' checks (which
   * each script's store then never trips: its deadline and fuel are unbounded).
   */
  public WastRunner(Wast2Json converter, Path buildDir, Target target, FrontEnd frontEnd, X64Codegen x64Codegen,
      ExecutionLimits limits) {
    this(new Wast2JsonSource(converter, buildDir), target, frontEnd, x64Codegen, limits);
  }

  /**
   * Runs scripts as {@code source} reads them.
   *
   * @param source Kiln's script reader ({@link TextScriptSource}) or wast2json ({@link Wast2JsonSource})
   */
  public WastRunner(ScriptSource source, Target target, FrontEnd frontEnd, X64Codegen x64Codegen,
      ExecutionLimits limits) {
    this.source = source;
    this.x64Codegen = x64Codegen;
    this.limits = limits;
    this.target = target;
    this.frontEnd = frontEnd;
  }

  public Target target() {
    return target;
  }

  /**
   * Runs one script. A script that cannot be read as a whole (wast2json rejects it, or it does not
   * lex) gives a single failed case at line 0, so a broken script is never mistaken for an empty
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
          new Outcome.Failed("a script that reads", e.getMessage()))), 0);
    }
    List<CaseResult> results = new ArrayList<>(script.commands().size());
    try (ScriptExecutor executor =
        new ScriptExecutor(script.moduleDirectory(), script.features(), target, frontEnd, x64Codegen, limits)) {
      for (ScriptCommand command : script.commands()) {
        results.add(new CaseResult(reportedName, command.line(), command.kind(), executor.execute(command)));
      }
    }
    int textForms = (int) script.commands().stream().filter(WastRunner::isTextForm).count();
    return new FileReport(reportedName, results, textForms);
  }

  /** Whether {@code command}'s module was kept as text by wast2json, which the runner does not read. */
  private static boolean isTextForm(ScriptCommand command) {
    ScriptCommand.ModuleSource module = switch (command) {
      case ScriptCommand.ModuleCommand c -> c.module();
      case ScriptCommand.AssertMalformed c -> c.module();
      case ScriptCommand.AssertInvalid c -> c.module();
      case ScriptCommand.AssertUnlinkable c -> c.module();
      case ScriptCommand.AssertUninstantiable c -> c.module();
      default -> null;
    };
    return module instanceof ScriptCommand.ModuleFile file && file.type() == ScriptCommand.ModuleType.TEXT;
  }
}
