package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.function.IntFunction;

/**
 * The runtime side of the table builtins ({@link Builtin#TABLE_GROW}, {@code TABLE_FILL}, {@code
 * TABLE_COPY}, {@code TABLE_INIT}) for one instance: C-ABI entry points, called from compiled code
 * through the builtins' WASM_TO_BUILTIN trampolines, that act on {@link TableInstance}s by
 * index-space number. They run as upcalls, where an escaping exception would stop the JVM, so every
 * failure becomes their guard's answer ({@link GuardedUpcall}): {@code table.grow} returns -1 (spec
 * 4.4.6.6 allows failure), the others a status that compiled code turns into the {@code table_oob}
 * trap (1), or 0 for success. Ranges are checked before any slot is written (spec 4.4.6.7-9).
 *
 * <p>{@code table.init} reads the element segment's record {@code {base, length}} from the
 * VMContext ({@link VmLayout#elementSegment}); {@code elem.drop} is compiled inline as a store of
 * length 0, so a dropped segment is simply an empty one here.
 */
final class TableBuiltins {
  static final long OK = 0;
  static final long OUT_OF_BOUNDS = 1;

  /**
   * The builtins' method handles, made on the first upcall entry an instance asks for: looking them
   * up spins method-handle classes in a cold JVM (some 2 ms of a one-shot {@code kiln run}), which
   * every instance paid when this class was initialised, tables or not.
   */
  private static final class Handles {
    static final MethodHandle GROW;
    static final MethodHandle FILL;
    static final MethodHandle COPY;
    static final MethodHandle INIT;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        GROW = lookup.findVirtual(TableBuiltins.class, "grow", UpcallShape.TYPE);
        FILL = lookup.findVirtual(TableBuiltins.class, "fill", UpcallShape.TYPE);
        COPY = lookup.findVirtual(TableBuiltins.class, "copy", UpcallShape.TYPE);
        INIT = lookup.findVirtual(TableBuiltins.class, "init", UpcallShape.TYPE);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Handles() {}
  }

  private final IntFunction<TableInstance> tables;
  private final MemorySegment vmctx;
  private final VmLayout layout;

  /**
   * @param tables the instance's tables by index-space number (imports first)
   * @param vmctx the instance's VMContext, whose element segment records table.init reads
   * @param layout its layout
   */
  TableBuiltins(IntFunction<TableInstance> tables, MemorySegment vmctx, VmLayout layout) {
    this.tables = tables;
    this.vmctx = vmctx;
    this.layout = layout;
  }

  /** Whether {@code builtin} is one of the table builtins this class implements. */
  static boolean implementsBuiltin(Builtin builtin) {
    return switch (builtin) {
      case TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT -> true;
      default -> false;
    };
  }

  /** The address compiled code calls for {@code builtin}, valid while {@code arena} lives. */
  MemorySegment entryPoint(Builtin builtin, Executor executor, Arena arena) {
    MethodHandle target = switch (builtin) {
      case TABLE_GROW -> Handles.GROW;
      case TABLE_FILL -> Handles.FILL;
      case TABLE_COPY -> Handles.COPY;
      case TABLE_INIT -> Handles.INIT;
      default -> throw new IllegalArgumentException(builtin.text() + " is not a table builtin");
    };
    // The upcall shape every entry into Java shares (UpcallShape says why it is exact for each
    // builtin's C signature: an i32 argument read as (int), table.grow's fifth word ignored). Its
    // five words hold the vmctx and four parameters; a builtin of more would lose the rest.
    if (builtin.params().size() + 1 > UpcallShape.DESCRIPTOR.argumentLayouts().size()) {
      throw new IllegalStateException(builtin.text() + " has more parameters than the upcall shape holds");
    }
    // Every failure answers through the guard: -1 for table.grow, the trap for the others.
    long failed = builtin == Builtin.TABLE_GROW ? -1 : OUT_OF_BOUNDS;
    return executor.hostFunction(GuardedUpcall.of(target.bindTo(this), failed), arena);
  }

  /**
   * {@code table.grow}: old size or -1. The caller's vmctx is unused here, as by the others; the
   * fifth word is no argument of table.grow's.
   */
  long grow(long callerVmctx, long table, long delta, long init, long unused) {
    return tables.apply((int) table).growFromWasm(delta, init);
  }

  long fill(long callerVmctx, long table, long index, long value, long count) {
    tables.apply((int) table).fillFromWasm(index, value, count);
    return OK;
  }

  /** {@code table.copy}: {@code tablePair} is {@code dst << 32 | src}. */
  long copy(long callerVmctx, long tablePair, long dst, long src, long count) {
    tables.apply((int) (tablePair >>> 32)).copy(dst, tables.apply((int) tablePair), src, count);
    return OK;
  }

  /** {@code table.init}: {@code tableAndSegment} is {@code table << 32 | segment}. */
  long init(long callerVmctx, long tableAndSegment, long dst, long src, long count) {
    int record = layout.elementSegment((int) tableAndSegment);
    long base = vmctx.get(JAVA_LONG, record + VmLayout.SEGMENT_BASE);
    long length = vmctx.get(JAVA_LONG, record + VmLayout.SEGMENT_LENGTH);
    MemorySegment items = MemorySegment.ofAddress(base).reinterpret(length * TableStorage.SLOT_SIZE);
    tables.apply((int) (tableAndSegment >>> 32)).init(dst, items, src, count);
    return OK;
  }
}
