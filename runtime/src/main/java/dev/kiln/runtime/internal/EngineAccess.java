package dev.kiln.runtime.internal;

import dev.kiln.runtime.Engine;
import java.util.Objects;

/**
 * The tools API's way to what {@code dev.kiln.runtime} keeps package-private so that no embedder
 * sees it: an {@link Engine}'s {@link ModuleCompiler}, and the translation of internal failures into
 * the API's exceptions. {@code Engine.Statics} (Engine's static state, kept out of Engine so that
 * Engine has no static initialiser) installs the accessor when it is initialised, which has happened
 * by the time anyone holds an engine to pass in (the JDK's {@code SharedSecrets}
 * pattern). The package is not exported, so only the runtime module's own packages can call it.
 */
public final class EngineAccess {
  /** What {@code dev.kiln.runtime} lends its tools. */
  public interface Accessor {
    /** The compiler {@code engine} compiles its modules with. */
    ModuleCompiler compiler(Engine engine);

    /** {@code failure} as the API reports it: a {@code KilnException}, a {@code Trap}, or itself. */
    RuntimeException translate(RuntimeException failure);
  }

  private static volatile Accessor accessor;

  private EngineAccess() {}

  /** Called once, by {@code Engine.Statics}' static initialiser. */
  public static void install(Accessor implementation) {
    if (accessor != null) {
      throw new IllegalStateException("the engine accessor is installed already");
    }
    accessor = Objects.requireNonNull(implementation, "implementation");
  }

  /** The compiler {@code engine} compiles its modules with. */
  public static ModuleCompiler compiler(Engine engine) {
    return accessor().compiler(Objects.requireNonNull(engine, "engine"));
  }

  /** {@code failure} as the public API reports it. */
  public static RuntimeException translate(RuntimeException failure) {
    return accessor().translate(failure);
  }

  /**
   * The installed accessor. A tool can fail before any engine exists (`kiln inspect` of a damaged
   * file translates the reader's exception first), so the engine's statics are initialised here
   * when nobody has yet (JLS 12.4.2: initialising them runs their static initialiser, which installs).
   */
  private static Accessor accessor() {
    Accessor installed = accessor;
    if (installed != null) {
      return installed;
    }
    try {
      Class.forName(Engine.class.getName() + "$Statics", true, Engine.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the engine's statics are missing", e);
    }
    return Objects.requireNonNull(accessor, "the engine class installed no accessor");
  }
}
