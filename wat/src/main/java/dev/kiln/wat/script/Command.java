package dev.kiln.wat.script;

import java.util.List;
import java.util.Optional;

/**
 * One command of a script, with the line it starts on. The kinds and what each asserts are the
 * script format's (reference interpreter {@code interpreter/README.md}, "Scripts").
 */
public sealed interface Command {
  /** The line of the command's opening parenthesis. */
  int line();

  /**
   * {@code (module $id? ...)}: define a module and instantiate it; {@code (module definition $id?
   * ...)} only defines it, for {@code module instance}.
   */
  record ModuleDefinition(int line, Optional<String> id, boolean definitionOnly, ScriptModule module)
      implements Command {}

  /** {@code (module instance $instance? $module?)}: instantiate a module defined earlier. */
  record ModuleInstance(int line, Optional<String> instance, Optional<String> module) implements Command {}

  /** {@code (register "name" $instance?)}: make an instance's exports importable as {@code name}. */
  record Register(int line, String as, Optional<String> instance) implements Command {}

  /** A bare action: its result is not checked, a trap is an error. */
  record Perform(int line, Action action) implements Command {}

  record AssertReturn(int line, Action action, List<Value> results) implements Command {
    public AssertReturn {
      results = List.copyOf(results);
    }
  }

  /** {@code (assert_trap action "text")}. */
  record AssertTrap(int line, Action action, String text) implements Command {}

  record AssertExhaustion(int line, Action action, String text) implements Command {}

  /** {@code (assert_exception action)}: the action must throw an uncaught exception. */
  record AssertException(int line, Action action) implements Command {}

  /** {@code (assert_malformed module "text")}: the module must not parse or decode. */
  record AssertMalformed(int line, ScriptModule module, String text) implements Command {}

  /** {@code (assert_invalid module "text")}: the module must not validate. */
  record AssertInvalid(int line, ScriptModule module, String text) implements Command {}

  /** {@code (assert_unlinkable module "text")}: its imports must fail to resolve. */
  record AssertUnlinkable(int line, ScriptModule module, String text) implements Command {}

  /**
   * {@code (assert_uninstantiable module "text")}, and {@code (assert_trap module "text")}, which
   * is the same assertion: instantiating must trap.
   */
  record AssertUninstantiable(int line, ScriptModule module, String text) implements Command {}

  /** A command this reader knows but does not model ({@code thread}, {@code wait}, ...). */
  record Unsupported(int line, String kind) implements Command {}

  /** A command that does not parse; the rest of the script is still read. */
  record Unreadable(int line, String message) implements Command {}
}
