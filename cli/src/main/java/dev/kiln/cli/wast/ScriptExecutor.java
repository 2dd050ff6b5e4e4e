package dev.kiln.cli.wast;

import dev.kiln.cli.wast.LoadAttempt.Crashed;
import dev.kiln.cli.wast.LoadAttempt.Loaded;
import dev.kiln.cli.wast.LoadAttempt.Rejected;
import dev.kiln.cli.wast.Outcome.Failed;
import dev.kiln.cli.wast.Outcome.Passed;
import dev.kiln.cli.wast.Outcome.Skipped;
import dev.kiln.cli.wast.ScriptCommand.AssertExhaustion;
import dev.kiln.cli.wast.ScriptCommand.AssertInvalid;
import dev.kiln.cli.wast.ScriptCommand.AssertMalformed;
import dev.kiln.cli.wast.ScriptCommand.AssertReturn;
import dev.kiln.cli.wast.ScriptCommand.AssertTrap;
import dev.kiln.cli.wast.ScriptCommand.AssertUninstantiable;
import dev.kiln.cli.wast.ScriptCommand.AssertUnlinkable;
import dev.kiln.cli.wast.ScriptCommand.ModuleCommand;
import dev.kiln.cli.wast.ScriptCommand.ModuleFile;
import dev.kiln.cli.wast.ScriptCommand.ModuleType;
import dev.kiln.cli.wast.ScriptCommand.PerformAction;
import dev.kiln.cli.wast.ScriptCommand.Register;
import dev.kiln.cli.wast.ScriptCommand.Unrecognized;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the commands of one script, one method per command kind. The assertion semantics are the
 * spec's script format (reference interpreter {@code interpreter/README.md}, "Scripts"):
 * {@code assert_malformed} wants a decoding error (spec 5), {@code assert_invalid} a validation
 * error (spec 3). A case passes on the right failure CLASS; the reason text is compared only to
 * add a note, because Kiln words its messages itself.
 *
 * <p>Holds the state a script builds up as it runs (today only where its modules are; later the
 * current and registered instances). Not thread-safe: one executor per script.
 */
public final class ScriptExecutor {
  static final String NEEDS_LOADER = "needs the loader (instantiate and run), not built yet";

  private final Path moduleDirectory;
  private final Features features;
  private final Target target;
  private final FrontEnd frontEnd;

  /**
   * @param moduleDirectory where the script's module files are
   * @param features the proposals the script was written for
   * @param target the target its modules are (to be) compiled for
   * @param frontEnd decode + validate
   */
  public ScriptExecutor(Path moduleDirectory, Features features, Target target, FrontEnd frontEnd) {
    this.moduleDirectory = moduleDirectory;
    this.features = features;
    this.target = target;
    this.frontEnd = frontEnd;
  }

  /** The target this script's modules are (to be) compiled for. */
  public Target target() {
    return target;
  }

  /** Runs one command. Never throws for a fault in the module or in Kiln: that is a failed case. */
  public Outcome execute(ScriptCommand command) {
    return switch (command) {
      case ModuleCommand c -> module(c);
      case AssertMalformed c -> assertMalformed(c);
      case AssertInvalid c -> assertInvalid(c);
      case AssertUnlinkable c -> assertUnlinkable(c);
      case AssertUninstantiable c -> assertUninstantiable(c);
      case Register c -> register(c);
      case PerformAction c -> action(c);
      case AssertReturn c -> assertReturn(c);
      case AssertTrap c -> assertTrap(c);
      case AssertExhaustion c -> assertExhaustion(c);
      case Unrecognized c -> new Skipped("command type '" + c.type() + "' is not known to this runner");
    };
  }

  /** A module definition passes when it decodes and validates. */
  private Outcome module(ModuleCommand c) {
    if (c.module().type() == ModuleType.TEXT) {
      return textModuleSkipped();
    }
    return switch (load(c.module())) {
      case Loaded _ -> Passed.CLEAN;
      case LoadAttempt other -> new Failed("a valid module", other.describe());
    };
  }

  private Outcome assertMalformed(AssertMalformed c) {
    if (c.module().type() == ModuleType.TEXT) {
      // (module quote ...) tests the text format's parser; Kiln reads binaries only.
      return new Skipped("text-form assert_malformed (.wat): tests a text parser, Kiln has none");
    }
    return expectRejection(load(c.module()), MalformedException.class, "malformed", c.text());
  }

  private Outcome assertInvalid(AssertInvalid c) {
    if (c.module().type() == ModuleType.TEXT) {
      return textModuleSkipped();
    }
    return expectRejection(load(c.module()), InvalidException.class, "invalid", c.text());
  }

  /**
   * The module must be valid (linking is a later step, spec 4.5.4); that much is checked, the link
   * failure itself is not yet, so a valid module counts as skipped and an invalid one as failed.
   */
  private Outcome assertUnlinkable(AssertUnlinkable c) {
    return validThenSkipped(c.module(), "module valid; link check (\"" + c.text() + "\") " + NEEDS_LOADER);
  }

  /** As {@link #assertUnlinkable}: valid, then instantiation must trap (spec 4.5.4). */
  private Outcome assertUninstantiable(AssertUninstantiable c) {
    return validThenSkipped(c.module(), "module valid; instantiation trap (\"" + c.text() + "\") " + NEEDS_LOADER);
  }

  private Outcome register(Register c) {
    return new Skipped(NEEDS_LOADER);
  }

  private Outcome action(PerformAction c) {
    return new Skipped(NEEDS_LOADER);
  }

  private Outcome assertReturn(AssertReturn c) {
    return new Skipped(NEEDS_LOADER);
  }

  private Outcome assertTrap(AssertTrap c) {
    return new Skipped(NEEDS_LOADER);
  }

  private Outcome assertExhaustion(AssertExhaustion c) {
    return new Skipped(NEEDS_LOADER);
  }

  private Outcome validThenSkipped(ModuleFile module, String skipReason) {
    if (module.type() == ModuleType.TEXT) {
      return textModuleSkipped();
    }
    return switch (load(module)) {
      case Loaded _ -> new Skipped(skipReason);
      case LoadAttempt other -> new Failed("a valid module (its link/instantiation failure is checked later)",
          other.describe());
    };
  }

  /**
   * Passes when the front end rejects the module with {@code wanted}. Anything else fails, and the
   * report shows the script's expected text beside Kiln's reason so a wrong class is easy to judge.
   */
  private static Outcome expectRejection(
      LoadAttempt attempt, Class<? extends WasmException> wanted, String verdict, String expectedText) {
    String expected = verdict + " \"" + expectedText + "\"";
    return switch (attempt) {
      case Rejected r when wanted.isInstance(r.error()) -> {
        String reason = r.error().reason();
        yield reason.contains(expectedText)
            ? Passed.CLEAN
            : new Passed("expected \"" + expectedText + "\", Kiln said \"" + reason + "\"");
      }
      case Rejected _ -> new Failed(expected, attempt.describe());
      case Loaded _ -> new Failed(expected, attempt.describe());
      case Crashed _ -> new Failed(expected, attempt.describe());
    };
  }

  private LoadAttempt load(ModuleFile module) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(moduleDirectory.resolve(module.filename()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read module " + module.filename() + " of the converted script", e);
    }
    return LoadAttempt.of(frontEnd, bytes, features);
  }

  private static Skipped textModuleSkipped() {
    return new Skipped("module kept as text (.wat) by wast2json: Kiln has no text parser");
  }
}
