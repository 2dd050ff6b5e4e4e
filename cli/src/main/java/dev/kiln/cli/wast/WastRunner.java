package dev.kiln.cli.wast;

import dev.kiln.artifact.vm.ExecutionLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs whole scripts: convert with wast2json, parse, execute every command, collect the results.
 * Both faces use it: {@code kiln wast} and the {@code tests} module's spec suite.
 */
public final class WastRunner {
  private final Wast2Json converter;
  private final Path buildDir;
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
    this.x64Codegen = x64Codegen;
    this.limits = limits;
    this.converter = converter;
    this.buildDir = buildDir;
    this.target = target;
    this.frontEnd = frontEnd;
  }

  public Target target() {
    return target;
  }

  /**
   * Runs one script. A script wast2json rejects gives a single failed case at line 0, so a broken
   * conversion is never mistaken for an empty script.
   *
   * @param wast the script
   * @param reportedName the name to report it under ({@code core/binary.wast})
   */
  public FileReport run(Path wast, String reportedName) throws IOException {
    Path json;
    try {
      json = converter.convert(wast, buildDir);
    } catch (ConversionException e) {
      return new FileReport(reportedName, List.of(new CaseResult(reportedName, 0, "wast2json",
          new Outcome.Failed("a script wast2json converts", e.getMessage()))), 0);
    }
    Script script = ScriptParser.parse(json);
    List<CaseResult> results = new ArrayList<>(script.commands().size());
    try (ScriptExecutor executor =
        new ScriptExecutor(script.moduleDirectory(), Proposal.features(wast), target, frontEnd, x64Codegen, limits)) {
      for (ScriptCommand command : script.commands()) {
        results.add(new CaseResult(reportedName, command.line(), command.kind(), executor.execute(command)));
      }
    }
    int textForms = (int) script.commands().stream().filter(WastRunner::isTextForm).count();
    return new FileReport(reportedName, results, textForms);
  }

  /** Whether {@code command}'s module is kept as text, which Kiln does not read. */
  private static boolean isTextForm(ScriptCommand command) {
    ScriptCommand.ModuleFile module = switch (command) {
      case ScriptCommand.ModuleCommand c -> c.module();
      case ScriptCommand.AssertMalformed c -> c.module();
      case ScriptCommand.AssertInvalid c -> c.module();
      case ScriptCommand.AssertUnlinkable c -> c.module();
      case ScriptCommand.AssertUninstantiable c -> c.module();
      default -> null;
    };
    return module != null && module.type() == ScriptCommand.ModuleType.TEXT;
  }
}
