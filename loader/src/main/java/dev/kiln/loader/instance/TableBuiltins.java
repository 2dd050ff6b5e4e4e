package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntFunction;

/**
 * The runtime side of the table builtins ({@link Builtin#TABLE_GROW}, {@code TABLE_FILL}, {@code
 * TABLE_COPY}, {@code TABLE_INIT}) for one instance: C-ABI entry points, called from compiled code
 * through the builtins' WASM_TO_BUILTIN trampolines, that act on {@link TableInstance}s by
 * index-space number. They run as upcalls, where an escaping exception would stop the JVM, so every
 * failure becomes an answer: {@code table.grow} returns -1 (spec 4.4.6.6 allows failure),
 * the others return a status that compiled code turns into the {@code table_oob} trap (1), or 0 for
 * success. Ranges are checked before any slot is written (spec 4.4.6.7-9).
 *
 * <p>{@code table.init} reads the element segment's record {@code {base, length}} from the
 * VMContext ({@link VmLayout#elementSegment}); {@code elem.drop} is compiled inline as a store of
 * length 0, so a dropped segment is simply an empty one here.
 */
final class TableBuiltins {
  static final int OK = 0;
  static final int OUT_OF_BOUNDS = 1;

  private static final FunctionDescriptor GROW_C =
      FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG);
  private static final FunctionDescriptor FILL_C =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
  private static final FunctionDescriptor PAIR_C =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
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
        GROW = lookup.findVirtual(TableBuiltins.class, "grow",
            MethodType.methodType(long.class, MemorySegment.class, int.class, long.class, long.class));
        FILL = lookup.findVirtual(TableBuiltins.class, "fill",
            MethodType.methodType(int.class, MemorySegment.class, int.class, long.class, long.class, long.class));
        MethodType pair = MethodType.methodType(int.class, MemorySegment.class, long.class, long.class, long.class,
            long.class);
        COPY = lookup.findVirtual(TableBuiltins.class, "copy", pair);
        INIT = lookup.findVirtual(TableBuiltins.class, "init", pair);
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
    return switch (builtin) {
      case TABLE_GROW -> executor.hostFunction(Handles.GROW.bindTo(this), GROW_C, arena);
      case TABLE_FILL -> executor.hostFunction(Handles.FILL.bindTo(this), FILL_C, arena);
      case TABLE_COPY -> executor.hostFunction(Handles.COPY.bindTo(this), PAIR_C, arena);
      case TABLE_INIT -> executor.hostFunction(Handles.INIT.bindTo(this), PAIR_C, arena);
      default -> throw new IllegalArgumentException(builtin.text() + " is not a table builtin");
    };
  }

  /** {@code table.grow}: old size or -1. */
  long grow(MemorySegment callerVmctx, int table, long delta, long init) {
    try {
      return tables.apply(table).growFromWasm(delta, init);
    } catch (Throwable t) {
      return -1;
    }
  }

  int fill(MemorySegment callerVmctx, int table, long index, long value, long count) {
    try {
      tables.apply(table).fillFromWasm(index, value, count);
      return OK;
    } catch (Throwable t) {
      return OUT_OF_BOUNDS;
    }
  }

  /** {@code table.copy}: {@code tables} is {@code dst << 32 | src}. */
  int copy(MemorySegment callerVmctx, long tablePair, long dst, long src, long count) {
    try {
      tables.apply((int) (tablePair >>> 32)).copy(dst, tables.apply((int) tablePair), src, count);
      return OK;
    } catch (Throwable t) {
      return OUT_OF_BOUNDS;
    }
  }

  /** {@code table.init}: {@code tableAndSegment} is {@code table << 32 | segment}. */
  int init(MemorySegment callerVmctx, long tableAndSegment, long dst, long src, long count) {
    try {
      int record = layout.elementSegment((int) tableAndSegment);
      long base = vmctx.get(JAVA_LONG, record + VmLayout.SEGMENT_BASE);
      long length = vmctx.get(JAVA_LONG, record + VmLayout.SEGMENT_LENGTH);
      MemorySegment items = MemorySegment.ofAddress(base).reinterpret(length * TableStorage.SLOT_SIZE);
      tables.apply((int) (tableAndSegment >>> 32)).init(dst, items, src, count);
      return OK;
    } catch (Throwable t) {
      return OUT_OF_BOUNDS;
    }
  }
}
