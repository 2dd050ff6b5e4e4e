package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.NativeHelper;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * What an instance provides for the bulk memory instructions (spec 4.4.7.10-13), which compiled
 * code performs itself once their ranges are checked: the C functions behind the {@link
 * Builtin.CallShape#C_DIRECT} builtins, and the data segment records {@code memory.init} copies from
 * and {@code data.drop} empties.
 */
final class BulkMemoryState {
  private BulkMemoryState() {}

  /**
   * The C routine a C_DIRECT builtin's slot holds ({@code memmove} for memory.copy and
   * memory.init, {@code memset} for memory.fill), or empty for a builtin of the other shape.
   */
  static Optional<NativeHelper> helperOf(Builtin builtin) {
    return switch (builtin) {
      case MEMORY_COPY -> Optional.of(NativeHelper.MEMMOVE);
      case MEMORY_FILL -> Optional.of(NativeHelper.MEMSET);
      default -> Optional.empty();
    };
  }

  /**
   * The address the slot of C_DIRECT builtin {@code builtin} holds: the executor's implementation
   * of its helper (libc's own function natively; the emulator supplies an equivalent it can run).
   */
  static MemorySegment builtinAddress(Builtin builtin, Executor executor) {
    NativeHelper helper = helperOf(builtin).orElseThrow(() ->
        new IllegalArgumentException("builtin " + builtin.text() + " is not a C routine"));
    return executor.helper(helper);
  }

  /**
   * Writes every data segment record {@code {base, length}} of the VMContext after the active
   * segments were applied. A passive segment's record points at its bytes in the mapped artifact
   * ({@code .kiln.data}, which stays mapped while the instance holds the module); an active one
   * has length 0, because instantiation performs {@code data.drop} on it (spec 4.5.4 step 15), so
   * a later {@code memory.init} of it traps unless its length is 0.
   *
   * @param data the artifact's mapped {@code .kiln.data} section
   */
  static void writeDataSegmentRecords(MemorySegment vmctx, VmContextView view,
      List<DataSegment> segments, MemorySegment data) {
    for (int s = 0; s < segments.size(); s++) {
      DataSegment segment = segments.get(s);
      String record = "data_segment[" + s + "]";
      boolean passive = segment.mode() == SegmentMode.PASSIVE;
      MemorySegment base = passive ? data.asSlice(segment.dataOffset(), segment.length())
          : MemorySegment.NULL;
      vmctx.set(ADDRESS, view.offset(record + ".base"), base);
      vmctx.set(JAVA_LONG, view.offset(record + ".length"), passive ? segment.length() : 0L);
    }
  }
}
