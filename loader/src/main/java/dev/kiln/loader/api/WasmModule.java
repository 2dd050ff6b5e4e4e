package dev.kiln.loader.api;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.Import;
import dev.kiln.loader.instance.LoadedModule;
import java.util.List;
import java.util.Objects;

/**
 * A compiled module, mapped and checked, ready to instantiate any number of times. Close it after
 * its instances: the code stays mapped while any of them is open.
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
