package dev.kiln.tests.embed;

import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.tests.support.Engine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's embedding, the fixture of the embedding tests: an {@link Engine} that compiles wasm
 * text with {@link WatCompiler}, a {@link NativeStore}, a {@link ImportNamespace} on it, and
 * everything the test opened, closed in reverse order (then the store) after each test. A test
 * class holds it in a {@code @RegisterExtension} field, so JUnit closes it; not an AutoCloseable,
 * never closed by a try-with-resources.
 */
final class EmbeddingSession implements AfterEachCallback {
  private final Engine engine = new Engine().withCompiler(WatCompiler.INSTANCE);
  private final NativeStore store = new NativeStore();
  private final ImportNamespace linker = new ImportNamespace(store);
  private final List<AutoCloseable> opened = new ArrayList<>();

  NativeStore store() {
    return store;
  }

  ImportNamespace linker() {
    return linker;
  }

  /** Closes {@code resource} with the session (before what was opened earlier). */
  <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }

  /** The module of wasm text {@code wat}, compiled by the engine and closed with the session. */
  LoadedModule module(String wat) {
    return open(engine.compile(WatCompiler.wasm(wat)));
  }

  /** {@code wat} compiled and instantiated through the linker, closed with the session. */
  LoadedInstance instantiate(String wat) {
    return open(linker.instantiate(module(wat)));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    store.close();
  }
}
