package dev.kiln.loader.instance;

import dev.kiln.loader.runtime.NativeStore;
import java.util.Arrays;
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
 * freed on any thread, host calls read it on the store's thread without a lock: writers hold this
 * object's monitor and publish through volatile fields.
 *
 * <p>A store holds one instance or a few most of the time (an instance per request makes one per
 * store), so those are an array replaced on each change, which allocates a few words per
 * instance where a concurrent map allocated a table, a node and a boxed key (issue 41); past
 * {@link #FEW} live at once they move to a concurrent map, which a store then keeps.
 */
public final class LiveInstances {
  /** The most live instances kept in {@link #few}. */
  static final int FEW = 8;
  private static final LoadedInstance[] NONE = new LoadedInstance[0];

  /** The live instances while there are at most {@link #FEW}; empty once {@link #many} is in use. */
  private volatile LoadedInstance[] few = NONE;
  /** By VMContext address, once more than {@link #FEW} were live at once; null before. */
  private volatile Map<Long, LoadedInstance> many;

  private LiveInstances() {}

  /** The registry of {@code store}, made on first use. */
  public static LiveInstances of(NativeStore store) {
    return store.attachment(LiveInstances.class, LiveInstances::new);
  }

  synchronized void add(LoadedInstance instance) {
    if (many == null && few.length < FEW) {
      LoadedInstance[] more = Arrays.copyOf(few, few.length + 1);
      more[few.length] = instance;
      few = more;
      return;
    }
    if (many == null) {
      Map<Long, LoadedInstance> map = new ConcurrentHashMap<>();
      for (LoadedInstance known : few) {
        map.put(known.vmctx().address(), known);
      }
      // The map first: a reader that finds the array empty finds the map.
      many = map;
      few = NONE;
    }
    many.put(instance.vmctx().address(), instance);
  }

  synchronized void remove(LoadedInstance instance) {
    if (many != null) {
      many.remove(instance.vmctx().address());
      return;
    }
    LoadedInstance[] now = few;
    for (int i = 0; i < now.length; i++) {
      if (now[i] == instance) {
        LoadedInstance[] fewer = now.length == 1 ? NONE : new LoadedInstance[now.length - 1];
        System.arraycopy(now, 0, fewer, 0, i);
        System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
        few = fewer;
        return;
      }
    }
  }

  /**
   * The live instance whose VMContext is at {@code vmctx}, or null: it is asked on every call of a
   * host function that looks at its caller, so it allocates nothing.
   */
  public LoadedInstance at(long vmctx) {
    for (LoadedInstance instance : few) {
      if (instance.vmctx().address() == vmctx) {
        return instance;
      }
    }
    Map<Long, LoadedInstance> map = many;
    return map == null ? null : map.get(vmctx);
  }
}
