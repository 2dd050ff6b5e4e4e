package dev.kiln.wast;


import dev.kiln.wat.Edition;
import dev.kiln.wat.script.ScriptModule;
import java.util.List;
import java.util.Optional;

/**
 * One command of a spec script, as Kiln's own script reader gives it ({@link TextScriptSource}). Every command has the line of
 * the {@code .wast} it came from; {@link #kind()} is the script's own name for it, used in reports.
 */
public sealed interface ScriptCommand {
  /** Line in the {@code .wast} file. */
  int line();

  /** The command's name in the script format ({@code module}, {@code assert_invalid}, ...). */
  String kind();

  /** {@code (module ...)}: define a module, optionally named {@code $name}, and make it current. */
  record ModuleCommand(int line, ModuleSource module, Optional<String> name) implements ScriptCommand {
    @Override
    public String kind() {
      return "module";
    }
  }

  /** {@code (assert_malformed module "text")}: the module must not decode (spec 5). */
  record AssertMalformed(int line, ModuleSource module, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_malformed";
    }
  }

  /** {@code (assert_invalid module "text")}: the module decodes but must not validate (spec 3). */
  record AssertInvalid(int line, ModuleSource module, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_invalid";
    }
  }

  /** {@code (assert_unlinkable module "text")}: a valid module whose imports must fail to link. */
  record AssertUnlinkable(int line, ModuleSource module, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_unlinkable";
    }
  }

  /** {@code (assert_uninstantiable module "text")}: a valid module that traps while instantiating. */
  record AssertUninstantiable(int line, ModuleSource module, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_uninstantiable";
    }
  }

  /** {@code (register "as" $name?)}: make a module's exports importable under the name {@code as}. */
  record Register(int line, String as, Optional<String> name) implements ScriptCommand {
    @Override
    public String kind() {
      return "register";
    }
  }

  /** A bare action: invoke or get, result ignored (but a trap is a failure). */
  record PerformAction(int line, Action action) implements ScriptCommand {
    @Override
    public String kind() {
      return "action";
    }
  }

  /** {@code (assert_return action results...)}. */
  record AssertReturn(int line, Action action, List<WastValue> expected) implements ScriptCommand {
    public AssertReturn {
      expected = List.copyOf(expected);
    }

    @Override
    public String kind() {
      return "assert_return";
    }
  }

  /** {@code (assert_trap action "text")}: the action must trap with this message. */
  record AssertTrap(int line, Action action, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_trap";
    }
  }

  /**
   * {@code (assert_exception action)}: the action must end with a wasm exception that no wasm frame
   * caught (exception handling, WebAssembly 3.0).
   */
  record AssertException(int line, Action action) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_exception";
    }
  }

  /** {@code (assert_exhaustion action "text")}: the action must exhaust a resource (the call stack). */
  record AssertExhaustion(int line, Action action, String text) implements ScriptCommand {
    @Override
    public String kind() {
      return "assert_exhaustion";
    }
  }

  /**
   * {@code (module definition $name ...)}: the module must decode and validate; it is instantiated
   * only by a later {@link InstantiateModule}.
   */
  record DefineModule(int line, ModuleSource module, Optional<String> name) implements ScriptCommand {
    @Override
    public String kind() {
      return "module definition";
    }
  }

  /** {@code (module instance $instance? $module?)}: instantiate a module defined earlier. */
  record InstantiateModule(int line, Optional<String> instance, Optional<String> module) implements ScriptCommand {
    @Override
    public String kind() {
      return "module instance";
    }
  }

  /**
   * A command of a proposal Kiln's runner does not carry out ({@code thread}, {@code wait}), with
   * the reason: reported as skipped.
   */
  record NotSupported(int line, String type, String reason) implements ScriptCommand {
    @Override
    public String kind() {
      return type;
    }
  }

  /** A command the script reader could not read: a failure, with the reader's message. */
  record Unreadable(int line, String message) implements ScriptCommand {
    @Override
    public String kind() {
      return "unreadable";
    }
  }

  /** A command type this runner does not know; reported as skipped, never silently dropped. */
  record Unrecognized(int line, String type) implements ScriptCommand {
    @Override
    public String kind() {
      return type;
    }
  }

  /** Where a command's module comes from. */
  sealed interface ModuleSource {}

  /** A module's binary, as the script gave it or as Kiln's text reader encoded it. */
  record ModuleBytes(byte[] bytes) implements ModuleSource {}

  /**
   * A {@code (module quote ...)}: text parsed when the command runs, so that a text that is not a
   * module is the malformed outcome (spec 6).
   *
   * @param quote the text and its line
   * @param scriptName how messages name the script
   * @param edition the text rules of the script's edition
   */
  record ModuleQuote(ScriptModule.Quote quote, String scriptName, Edition edition) implements ModuleSource {
    /**
     * The module's binary.
     *
     * @throws dev.kiln.wat.WatSyntaxException when the text is not a module
     */
    byte[] encode() {
      return quote.encode(scriptName, edition);
    }
  }

  /** What an action does: call an exported function, or read an exported global. */
  enum ActionType {
    INVOKE,
    GET
  }

  /**
   * An action on an instance.
   *
   * @param type invoke or get
   * @param module the instance's {@code $name}; empty means the current module
   * @param field the export's name
   * @param args the arguments of an invoke (empty for get)
   */
  record Action(ActionType type, Optional<String> module, String field, List<WastValue> args) {
    public Action {
      args = List.copyOf(args);
    }
  }

  /**
   * A value in the conventions of wabt's JSON script format: numbers as the decimal of their bit pattern, NaN patterns as
   * {@code nan:canonical}/{@code nan:arithmetic}, references as {@code null} or a host index.
   *
   * @param type {@code i32}, {@code f64}, {@code v128}, {@code funcref}, ...
   * @param laneType a {@code v128}'s lane type ({@code i8} ... {@code f64}), empty otherwise
   * @param value one string for a scalar, one per lane for a {@code v128}, none when the script
   *     gives only the type (as {@code assert_trap} does for its result types)
   * @param alternatives for the result {@code (either r+)} (type {@link #EITHER}), the results any
   *     one of which may come back (WebAssembly 3.0 scripts, where the spec allows several, as for
   *     relaxed SIMD); empty for every other value
   */
  record WastValue(String type, Optional<String> laneType, List<String> value, List<WastValue> alternatives) {
    /** The type of an {@code (either ...)} result. */
    static final String EITHER = "either";

    public WastValue {
      value = List.copyOf(value);
      alternatives = List.copyOf(alternatives);
      if (type.equals(EITHER) == alternatives.isEmpty()) {
        throw new IllegalArgumentException("an either result, and only one, has alternatives");
      }
    }

    /** A value that is not an {@code either}. */
    WastValue(String type, Optional<String> laneType, List<String> value) {
      this(type, laneType, value, List.of());
    }

    /** The result {@code (either alternatives...)}. */
    static WastValue either(List<WastValue> alternatives) {
      return new WastValue(EITHER, Optional.empty(), List.of(), alternatives);
    }
  }
}
