package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.vm.Builtin;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What an instance provides for the bulk memory instructions (spec 4.4.7.10-13), which compiled
 * code performs itself once their ranges are checked (with the C functions behind the {@link
 * Builtin.CallShape#C_DIRECT} builtins, {@code loader.exec.NativeHelper}): the data segment records
 * {@code memory.init} copies from and {@code data.drop} empties.
 */
final class BulkMemoryState {
  private BulkMemoryState() {}

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
      List<DataSegment> segments, MemorySegment data, InstantiationDeadline deadline) {
    for (int s = 0; s < segments.size(); s++) {
      deadline.tick();
      DataSegment segment = segments.get(s);
      boolean passive = segment.mode() == SegmentMode.PASSIVE;
      MemorySegment base = passive ? data.asSlice(segment.dataOffset(), segment.length())
          : MemorySegment.NULL;
      vmctx.set(JAVA_LONG, view.offset("data_segment", s, ".base"), base.address());
      vmctx.set(JAVA_LONG, view.offset("data_segment", s, ".length"), passive ? segment.length() : 0L);
    }
  }
}
