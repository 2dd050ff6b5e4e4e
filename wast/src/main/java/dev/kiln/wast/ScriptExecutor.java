package dev.kiln.wast;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.wast.LoadAttempt.Crashed;
import dev.kiln.wast.LoadAttempt.Loaded;
import dev.kiln.wast.LoadAttempt.Rejected;
import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import dev.kiln.wast.ScriptCommand.AssertExhaustion;
import dev.kiln.wast.ScriptCommand.AssertInvalid;
import dev.kiln.wast.ScriptCommand.AssertMalformed;
import dev.kiln.wast.ScriptCommand.AssertReturn;
import dev.kiln.wast.ScriptCommand.AssertTrap;
import dev.kiln.wast.ScriptCommand.AssertUninstantiable;
import dev.kiln.wast.ScriptCommand.AssertUnlinkable;
import dev.kiln.wast.ScriptCommand.ModuleCommand;
import dev.kiln.wast.LoadAttempt.NotAModuleText;
import dev.kiln.wast.ScriptCommand.DefineModule;
import dev.kiln.wast.ScriptCommand.InstantiateModule;
import dev.kiln.wast.ScriptCommand.ModuleBytes;
import dev.kiln.wast.ScriptCommand.ModuleQuote;
import dev.kiln.wast.ScriptCommand.ModuleSource;
import dev.kiln.wast.ScriptCommand.NotSupported;
import dev.kiln.wast.ScriptCommand.Unreadable;
import dev.kiln.wast.ScriptCommand.PerformAction;
import dev.kiln.wast.ScriptCommand.Register;
import dev.kiln.wast.ScriptCommand.Unrecognized;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.wast.InstanceSlot.Ready;
import dev.kiln.wast.InstanceSlot.Unavailable;
import dev.kiln.wast.ScriptCommand.Action;
import dev.kiln.wast.ScriptCommand.ActionType;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.Features;
import dev.kiln.wat.WatSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the commands of one script, one method per command kind. The assertion semantics are the
 * spec's script format (reference interpreter {@code interpreter/README.md}, "Scripts"):
 * {@code assert_malformed} wants a decoding error (spec 5), {@code assert_invalid} a validation
 * error (spec 3). A case passes on the right failure CLASS; the reason text is compared only to
 * add a note, because Kiln words its messages itself.
 *
 * <p>Modules that decode and validate are then compiled for the host, loaded and instantiated by
 * {@link Instantiator}; actions ({@code invoke}, {@code get}) run against the current instance or a
 * named one, and results compare bit for bit ({@link WastValues}). Modules link to the {@code
 * spectest} module and to registered instances ({@code register}); {@code assert_unlinkable} wants
 * the link to fail (spec 4.5.4 steps 3-4, nothing of the module runs) and {@code
 * assert_uninstantiable} wants instantiation to trap (a segment out of bounds or a trapping start
 * function). What Kiln cannot run (a function the compiler refuses, a result kind the runner does not
 * compare, another target, imports from a module it did not run) is skipped with the reason.
 *
 * <p>Holds the state a script builds up as it runs: the current and named instances. Not
 * thread-safe: one executor per script, closed when the script is done.
 */
public final class ScriptExecutor implements AutoCloseable {

  private final Features features;
  private final Target target;
  private final FrontEnd frontEnd;
  private final Instantiator instantiator;
  private InstanceSlot current = new Unavailable("no module defined before this command");
  private final Map<String, InstanceSlot> named = new HashMap<>();
  /** Modules a {@code module definition} named, for {@code module instance}. */
  private final Map<String, ModuleSource> definitions = new HashMap<>();
  private ModuleSource lastDefinition;
  /** Instances by the name a {@code register} command gave them, as imports name them. */
  private final Map<String, LoadedInstance> registered = new HashMap<>();
  /**
   * Instances whose state a module Kiln did not run may have changed (through imported memories,
   * tables or globals, spec 4.5.4), with the reason: their later results are no longer checkable.
   */
  private final Map<LoadedInstance, String> tainted = new HashMap<>();

  /**
   * @param features the proposals the script was written for
   * @param target the target its modules are (to be) compiled for
   * @param frontEnd decode + validate
   */
  public ScriptExecutor(Features features, Target target, FrontEnd frontEnd) {
    this(features, target, frontEnd, X64Codegen.HOST);
  }

  /**
   * As the three-argument constructor, choosing how x86-64 code is compiled.
   *
   * @param x64Codegen the CPU extensions and checking to compile x86-64 code with
   */
  public ScriptExecutor(Features features, Target target, FrontEnd frontEnd, X64Codegen x64Codegen) {
    this(features, target, frontEnd, x64Codegen, ExecutionLimits.NONE);
  }

  /**
   * As the four-argument constructor, compiling modules with {@code limits}' checks in a store with
   * an unbounded deadline and fuel.
   */
  public ScriptExecutor(Features features, Target target, FrontEnd frontEnd, X64Codegen x64Codegen,
      ExecutionLimits limits) {
    this.features = features;
    this.target = target;
    this.frontEnd = frontEnd;
    this.instantiator = new Instantiator(target, x64Codegen, limits);
  }

  /** Releases the script's instances and their code. */
  @Override
  public void close() {
    instantiator.close();
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
      case ScriptCommand.AssertException c -> assertException(c);
      case DefineModule c -> defineModule(c);
      case InstantiateModule c -> instantiateModule(c);
      case NotSupported c -> new Skipped(c.type() + ": " + c.reason());
      case Unreadable c -> new Failed("a command Kiln's script reader reads", c.message());
      case Unrecognized c -> new Skipped("command type '" + c.type() + "' is not known to this runner");
    };
  }

  /**
   * A module definition passes when it decodes and validates and, where Kiln executes, compiles,
   * loads and instantiates (running its start function, spec 4.5.4). A module Kiln cannot run yet
   * is skipped with the reason, and so are the actions that use it.
   */
  private Outcome module(ModuleCommand c) {
    LoadAttempt attempt = load(c.module());
    if (!(attempt instanceof Loaded loaded)) {
      define(c, new Unavailable("its module (line " + c.line() + ") failed to load"));
      return new Failed("a valid module", attempt.describe());
    }
    InstanceSlot slot;
    try {
      slot = instantiator.instantiate(loaded.module());
    } catch (TrapException trap) {
      define(c, new Unavailable("its module's start function trapped"));
      return new Failed("an instantiated module", "trap: " + trap.getMessage());
    } catch (ImportLinkException | ModuleInstantiationException e) {
      define(c, new Unavailable("its module (line " + c.line() + ") failed to link or instantiate"));
      return new Failed("an instantiated module", e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      define(c, new Unavailable("its module (line " + c.line() + ") failed to instantiate"));
      return new Failed("an instantiated module", "crash: " + e);
    }
    define(c, slot);
    if (slot instanceof Unavailable) {
      taintExporters(loaded.module(), c.line());
    }
    return switch (slot) {
      case Ready _ -> Passed.CLEAN;
      // Decode + validate is all this run checks: the module passed that.
      case Unavailable _ when instantiator.whyNotExecutable().isPresent() -> Passed.CLEAN;
      case Unavailable u -> u.skipped();
    };
  }

  /**
   * {@code (module definition ...)}: it must decode and validate (spec 3); nothing of it runs until
   * a {@code module instance} names it.
   */
  private Outcome defineModule(DefineModule c) {
    LoadAttempt attempt = load(c.module());
    if (!(attempt instanceof Loaded)) {
      return new Failed("a valid module", attempt.describe());
    }
    lastDefinition = c.module();
    c.name().ifPresent(name -> definitions.put(name, c.module()));
    return Passed.CLEAN;
  }

  /** {@code (module instance $i $m)}: instantiates a defined module as a module command would. */
  private Outcome instantiateModule(InstantiateModule c) {
    ModuleSource module = c.module().isPresent() ? definitions.get(c.module().get()) : lastDefinition;
    if (module == null) {
      return new Failed("a module defined earlier", "no module definition " + c.module().orElse("before this command"));
    }
    return module(new ModuleCommand(c.line(), module, c.instance()));
  }

  /**
   * A module that imports from registered instances but was not run could have written to them
   * (active data and element segments, start function), so their results stop being checkable.
   */
  private void taintExporters(dev.kiln.wasm.module.Module module, int line) {
    if (registered.isEmpty()) {
      return;
    }
    for (var anImport : module.imports()) {
      LoadedInstance exporter = registered.get(anImport.module());
      if (exporter != null) {
        tainted.putIfAbsent(exporter, "its state may have been changed by the module at line " + line
            + ", which imports from it and was not run");
      }
    }
  }

  private void define(ModuleCommand c, InstanceSlot slot) {
    current = slot;
    c.name().ifPresent(name -> named.put(name, slot));
  }

  private Outcome assertMalformed(AssertMalformed c) {
    return expectRejection(load(c.module()), MalformedException.class, "malformed", c.text());
  }

  private Outcome assertInvalid(AssertInvalid c) {
    return expectRejection(load(c.module()), InvalidException.class, "invalid", c.text());
  }

  /**
   * The module must be valid and then fail to link (spec 4.5.4 steps 3-4: an unknown import or one
   * whose type does not match), before anything of it runs.
   */
  private Outcome assertUnlinkable(AssertUnlinkable c) {
    return expectInstantiationFailure(c.module(), c.line(), c.text(), "unlinkable", error -> switch (error) {
      case ImportLinkException e -> Optional.of(e.getMessage());
      default -> Optional.empty();
    });
  }

  /**
   * The module must link and then trap while instantiating (spec 4.5.4: a segment out of bounds, or
   * the start function). What the segments before the failing one wrote stays written, in imported
   * memories and tables too; Kiln does that as well, so the exporters stay checkable.
   */
  private Outcome assertUninstantiable(AssertUninstantiable c) {
    return expectInstantiationFailure(c.module(), c.line(), c.text(), "uninstantiable", error -> switch (error) {
      case TrapException t when t.code() != TrapCode.UNSUPPORTED -> Optional.of(t.getMessage());
      case ModuleInstantiationException e when e.trapCode().isPresent() -> Optional.of(e.trapCode().get().message());
      default -> Optional.empty();
    });
  }

  /**
   * Loads and instantiates {@code module}, which must fail in the way {@code expected} recognises
   * (it returns the failure's spec text, or empty for another failure). A wrong text still passes,
   * with a note, as for {@code assert_invalid}: the failure class is what the spec fixes.
   */
  private Outcome expectInstantiationFailure(ModuleSource module, int line, String text, String verdict,
      java.util.function.Function<RuntimeException, Optional<String>> expected) {
    LoadAttempt attempt = load(module);
    if (!(attempt instanceof Loaded loaded)) {
      return new Failed("a valid module (then " + verdict + ")", attempt.describe());
    }
    String wanted = verdict + " \"" + text + "\"";
    InstanceSlot slot;
    try {
      slot = instantiator.instantiate(loaded.module());
    } catch (RuntimeException e) {
      if (e instanceof TrapException t && t.code() == TrapCode.UNSUPPORTED) {
        return new Skipped("its start function " + Instantiator.REACHES_REFUSED.trim());
      }
      Optional<String> got = expected.apply(e);
      if (got.isEmpty()) {
        return new Failed(wanted, e.toString());
      }
      return got.get().startsWith(text) ? Passed.CLEAN
          : new Passed("expected \"" + text + "\", Kiln said \"" + got.get() + "\"");
    }
    return switch (slot) {
      case Ready _ -> new Failed(wanted, "instantiated");
      case Unavailable u -> {
        // Not run, so whatever it would have written into its imports is unknown.
        taintExporters(loaded.module(), line);
        yield u.skipped();
      }
    };
  }

  /** Makes the instance importable under the given name. */
  private Outcome register(Register c) {
    InstanceSlot slot = c.name().map(name -> named.getOrDefault(name,
        new Unavailable("no module named " + name + " was defined"))).orElse(current);
    instantiator.register(c.as(), slot);
    if (slot instanceof Ready(LoadedInstance instance, var _)) {
      registered.put(c.as(), instance);
      return Passed.CLEAN;
    }
    return ((Unavailable) slot).skipped();
  }

  /** A bare action passes when it runs without trapping; its result is not checked. */
  private Outcome action(PerformAction c) {
    return switch (perform(c.action())) {
      case Returned _ -> Passed.CLEAN;
      case Trapped t -> new Failed("no trap", "trap: " + t.trap().getMessage());
      case NotRun n -> n.skipped();
      case Unresolvable u -> new Failed("no trap", u.reason());
      case Faulted e -> new Failed("no trap", "crash: " + e.error());
    };
  }

  private Outcome assertReturn(AssertReturn c) {
    // A missing instance is the first reason not to check (it says why the module did not run).
    Optional<Skipped> cannot = cannotRun(c.action());
    if (cannot.isPresent()) {
      return cannot.get();
    }
    for (WastValue v : c.expected()) {
      for (WastValue one : v.alternatives().isEmpty() ? List.of(v) : v.alternatives()) {
        if (!WastValues.isKnown(one.type())) {
          return new Skipped("expects a " + one.type() + " result, which this runner does not compare yet");
        }
      }
    }
    String expected = c.expected().stream().map(WastValues::describe).toList().toString();
    return switch (perform(c.action())) {
      case Returned r -> compare(c.expected(), r.values(), expected);
      case Trapped t -> new Failed(expected, "trap: " + t.trap().getMessage());
      case NotRun n -> n.skipped();
      case Unresolvable u -> new Failed(expected, u.reason());
      case Faulted e -> new Failed(expected, "crash: " + e.error());
    };
  }

  private Outcome compare(List<WastValue> expected, List<WasmValue> values, String expectedText) {
    List<String> got = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      // an either's result is shown in the shape of its first alternative
      WastValue shape = i >= expected.size() ? null
          : expected.get(i).alternatives().isEmpty() ? expected.get(i) : expected.get(i).alternatives().getFirst();
      String type = shape != null ? shape.type() : "i64";
      String laneType = shape != null ? shape.laneType().orElse("i32") : "i32";
      got.add(WastValues.describe(values.get(i), type, laneType));
    }
    if (values.size() != expected.size()) {
      return new Failed(expectedText, got.toString());
    }
    for (int i = 0; i < values.size(); i++) {
      if (WastValues.mismatch(expected.get(i), values.get(i), instantiator::objectKind).isPresent()) {
        return new Failed(expectedText, got.toString());
      }
    }
    return Passed.CLEAN;
  }

  /** The action must trap, with a message that starts with the script's text (spec 4.4 traps). */
  private Outcome assertTrap(AssertTrap c) {
    return expectTrap(perform(c.action()), c.text());
  }

  /** Exhaustion is Kiln's stack-limit trap, whose message is the suite's "call stack exhausted". */
  private Outcome assertExhaustion(AssertExhaustion c) {
    return expectTrap(perform(c.action()), c.text());
  }

  /** The action must end with an exception no wasm frame caught: Kiln's {@code uncaught_exception} trap. */
  private Outcome assertException(ScriptCommand.AssertException c) {
    String expected = "an uncaught exception";
    return switch (perform(c.action())) {
      case Trapped t when t.trap().code() == dev.kiln.artifact.tables.TrapCode.UNCAUGHT_EXCEPTION -> Passed.CLEAN;
      case Trapped t -> new Failed(expected, "trap: " + t.trap().getMessage());
      case Returned r -> new Failed(expected, "returned " + r.values());
      case NotRun n -> n.skipped();
      case Unresolvable u -> new Failed(expected, u.reason());
      case Faulted e -> new Failed(expected, "crash: " + e.error());
    };
  }

  private static Outcome expectTrap(ActionResult result, String text) {
    String expected = "trap \"" + text + "\"";
    return switch (result) {
      // The reference interpreter may append a detail Kiln's message lacks ("uninitialized element 2").
      case Trapped t when t.trap().getMessage().startsWith(text) || text.startsWith(t.trap().getMessage() + " ") ->
          Passed.CLEAN;
      case Trapped t -> new Failed(expected, "trap: " + t.trap().getMessage());
      case Returned r -> new Failed(expected, "returned " + r.values());
      case NotRun n -> n.skipped();
      case Unresolvable u -> new Failed(expected, u.reason());
      case Faulted e -> new Failed(expected, "crash: " + e.error());
    };
  }

  /** What running an action gave. */
  private sealed interface ActionResult {}

  /** It returned these results. */
  private record Returned(List<WasmValue> values) implements ActionResult {}

  private record Trapped(TrapException trap) implements ActionResult {}

  /** Not run: the reason is a gap in Kiln (or in this runner), reported as a skip. */
  private record NotRun(Skipped skipped) implements ActionResult {
    NotRun(String reason) {
      this(new Skipped(reason));
    }
  }

  /**
   * The script names what the instance does not have (an export, or one of another kind) or passes
   * a function the wrong number of arguments: the script's mistake, the case's failure.
   */
  private record Unresolvable(String reason) implements ActionResult {}

  /** Kiln threw something that is not a trap: a bug, the case's failure. */
  private record Faulted(Throwable error) implements ActionResult {}

  /** The instance an action runs against, or why it cannot run there. */
  private InstanceSlot slotOf(Action action) {
    return action.module()
        .map(name -> named.getOrDefault(name, new Unavailable("no module named " + name + " was defined")))
        .orElse(current);
  }

  /** Why {@code action} cannot run at all (its instance is missing or no longer checkable), if so. */
  private Optional<Skipped> cannotRun(Action action) {
    return switch (slotOf(action)) {
      case Unavailable u -> Optional.of(u.skipped());
      case Ready ready when tainted.containsKey(ready.instance()) ->
          Optional.of(new Skipped(tainted.get(ready.instance())));
      case Ready _ -> Optional.empty();
    };
  }

  private ActionResult perform(Action action) {
    Optional<Skipped> cannot = cannotRun(action);
    if (cannot.isPresent()) {
      return new NotRun(cannot.get());
    }
    Ready ready = (Ready) slotOf(action);
    LoadedInstance instance = ready.instance();
    try {
      return action.type() == ActionType.GET ? get(instance, action.field()) : invoke(instance, action);
    } catch (TrapException trap) {
      if (trap.code() == TrapCode.UNSUPPORTED) {
        // A stub stood in for a refused function: what it (and its callers after it) would have
        // done is unknown, including writes to the instance's state, so later results are too.
        if (hasWritableState(instance)) {
          tainted.putIfAbsent(instance, "its state may differ from the spec's: an earlier action "
              + ready.unsupportedReason());
        }
        return new NotRun(ready.unsupportedReason());
      }
      return new Trapped(trap);
    } catch (RuntimeException | StackOverflowError e) {
      return new Faulted(e);
    }
  }

  /**
   * Whether a function of {@code instance} can write state a later action reads: a memory, a table
   * or a mutable global, its own or imported.
   */
  private static boolean hasWritableState(LoadedInstance instance) {
    var info = instance.module().info();
    return !info.memories().isEmpty() || !info.tables().isEmpty()
        || info.globals().stream().anyMatch(g -> g.type().mutable())
        || info.importedMemoryCount() > 0 || info.importedTableCount() > 0 || info.importedGlobalCount() > 0;
  }

  private static ActionResult get(LoadedInstance instance, String field) {
    if (!(instance.export(field).orElse(null) instanceof Extern.Global(GlobalInstance global))) {
      return new Unresolvable("no exported global named \"" + field + "\"");
    }
    return new Returned(List.of(global.get()));
  }

  private static ActionResult invoke(LoadedInstance instance, Action action) {
    for (WastValue arg : action.args()) {
      if (!WastValues.isKnown(arg.type())) {
        return new NotRun("passes a " + arg.type() + " argument, which this runner does not pass yet");
      }
    }
    if (!(instance.export(action.field()).orElse(null) instanceof Extern.Function)) {
      return new Unresolvable("no exported function named \"" + action.field() + "\"");
    }
    List<ValType> params = instance.exportedFunctionType(action.field()).params();
    if (params.size() != action.args().size()) {
      return new Unresolvable("\"" + action.field() + "\" takes " + params.size()
          + " arguments, the script passes " + action.args().size());
    }
    List<WasmValue> args = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      args.add(WastValues.argument(action.args().get(i), params.get(i)));
    }
    return new Returned(instance.invoke(action.field(), args));
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
      // Text that is not a module is malformed (spec 6), before any binary exists.
      case NotAModuleText t when wanted == MalformedException.class -> t.error().reason().contains(expectedText)
          ? Passed.CLEAN
          : new Passed("expected \"" + expectedText + "\", Kiln's text reader said \"" + t.error().reason() + "\"");
      case Rejected _, Loaded _, Crashed _, NotAModuleText _ -> new Failed(expected, attempt.describe());
    };
  }

  private LoadAttempt load(ModuleSource module) {
    return switch (module) {
      case ModuleBytes b -> LoadAttempt.of(frontEnd, b.bytes(), features);
      case ModuleQuote q -> {
        byte[] bytes;
        try {
          bytes = q.encode();
        } catch (WatSyntaxException e) {
          yield new NotAModuleText(e);
        }
        yield LoadAttempt.of(frontEnd, bytes, features);
      }
    };
  }
}
