package dev.kiln.loader.api;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.Import;
import dev.kiln.loader.instance.LoadedModule;
import java.util.List;
import java.util.Objects;

/**
 * A compiled module, mapped and checked, ready to instantiate any number of times, in any number of
 * stores and threads. Close it in any order with its instances: closing stops new instantiations,
 * and the code stays mapped until the last instance of it is freed.
 */
public final class WasmModule implements AutoCloseable {
  private final LoadedModule loaded;

  WasmModule(LoadedModule loaded) {
    this.loaded = Objects.requireNonNull(loaded, "loaded");
  }

  /** The runtime's view of the module, for what this API does not cover. */
  public LoadedModule loaded() {
    return loaded;
  }

  /** The module's imports, in the order instantiation needs them. */
  public List<Import> imports() {
    return loaded.info().imports();
  }

  public List<Export> exports() {
    return loaded.info().exports();
  }

  @Override
  public void close() {
    loaded.close();
  }
}
