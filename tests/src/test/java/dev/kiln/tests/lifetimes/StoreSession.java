package dev.kiln.tests.lifetimes;

import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's store and linker, and what the test opened in them, closed in reverse order and then
 * the store by {@link #close()} (the test's {@code @AfterEach}).
 */
final class StoreSession {
  final NativeStore store = new NativeStore();
  final ImportNamespace linker = new ImportNamespace(store);
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Closes {@code resource} with the session, before what was opened earlier. */
  <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }

  /** {@code wat} compiled and instantiated through {@link #linker}. */
  LoadedInstance instantiate(String wat) {
    return instantiate(linker, wat);
  }

  /** {@code wat} compiled and instantiated through {@code in} (a linker of another store, say). */
  LoadedInstance instantiate(ImportNamespace in, String wat) {
    LoadedModule module = open(CrashScenarios.module(wat));
    return open(in.instantiate(module));
  }

  void close() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    store.close();
  }
}
