package dev.kiln.loader.instance;

import dev.kiln.loader.runtime.NativeStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live instances of one store by VMContext address. Compiled code passes its vmctx as the caller
 * vmctx of every call (docs/ARCHITECTURE.md section 4, "Array calling convention"), so a host
 * function finds the instance that called it here ({@code dev.kiln.loader.host.HostCalls}). The
 * registry belongs to the instances, not to the host calls, so that instances depend on nothing of
 * the host-call machinery that sits above them.
 *
 * <p>An instance is registered from the moment its code may run until it is freed, so an address
 * is never resolved to a freed instance (a later instance may reuse it). Instances are created and
 * freed on any thread, host calls read it on the store's thread: a concurrent map.
 */
public final class LiveInstances {
  private final Map<Long, LoadedInstance> byVmctx = new ConcurrentHashMap<>();

  private LiveInstances() {}

  /** The registry of {@code store}, made on first use. */
  public static LiveInstances of(NativeStore store) {
    return store.attachment(LiveInstances.class, LiveInstances::new);
  }

  void add(LoadedInstance instance) {
    byVmctx.put(instance.vmctx().address(), instance);
  }

  void remove(LoadedInstance instance) {
    byVmctx.remove(instance.vmctx().address());
  }

  /**
   * The live instance whose VMContext is at {@code vmctx}, or null: it is asked on every call of a
   * host function that looks at its caller, so it allocates nothing.
   */
  public LoadedInstance at(long vmctx) {
    return byVmctx.get(vmctx);
  }
}
