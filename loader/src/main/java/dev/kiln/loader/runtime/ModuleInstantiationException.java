package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import java.util.Optional;

/**
 * A module that loaded but cannot be instantiated: it has imports this loader cannot satisfy, or
 * instantiation itself failed the way the spec says it fails (WebAssembly 2.0 section 4.5.4: an
 * active data or element segment out of bounds traps during instantiation, leaving the module
 * uninstantiable). For those, {@link #trapCode()} gives the trap.
 */
public final class ModuleInstantiationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient TrapCode trapCode;

  public ModuleInstantiationException(String message) {
    super(message);
    this.trapCode = null;
  }

  public ModuleInstantiationException(String message, TrapCode trapCode) {
    super(message + ": " + trapCode.message());
    this.trapCode = trapCode;
  }

  /** The trap instantiation raised, if it failed by trapping. */
  public Optional<TrapCode> trapCode() {
    return Optional.ofNullable(trapCode);
  }
}
