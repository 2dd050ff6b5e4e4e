package dev.kiln.codegen;

import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.InlineSite;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CompiledFunction} as bytes and back, every field as it is kept (the packed relocations,
 * trap sites and address map as their arrays, not entry by entry): how a large module's compile
 * keeps its finished functions out of the heap until the linker reads them (issue 40, "bounded
 * memory"). The form lives only inside one compile; it is no file format and carries no version.
 *
 * <pre>
 *   code          u32 length, bytes
 *   relocations   u32 words, u64 words (three per relocation)
 *   trap sites    u32 words, u32 words (two per site)
 *   address map   u32 entries, u32 delta bytes, bytes, u32 checkpoint words, u32 words
 *   move counts   six u32
 *   inline sites  u32 count; each: u8 callee form (0 user, 1 named), the callee (u32 namespace, u32
 *                 index; or u32 length, UTF-8), u32 call location, u32 parent
 *   handler sites u32 count; each u32 return offset, landing offset, frame depth
 *   stack maps    u32 count; each u32 return offset, frame depth, slot count, the slots
 *   resident      u32 count, u32 slots
 * </pre>
 *
 * Read back, the record's constructor checks what it checks of any function, so a damaged form is
 * refused rather than linked ({@link #decode} throws {@link IllegalArgumentException}).
 */
public final class CompiledFunctionBytes {
  private CompiledFunctionBytes() {}

  private static final int USER = 0;
  private static final int NAMED = 1;

  /** {@code f} as bytes. */
  public static byte[] encode(CompiledFunction f) {
    long[] relocs = PackedSites.Relocs.of(f.relocs()).entries();
    int[] traps = PackedSites.Traps.of(f.trapSites()).entries();
    PackedSourceMap map = PackedSourceMap.of(f.sourceMap());
    List<byte[]> names = new ArrayList<>();
    int size = 4 + f.size() + 4 + 8 * relocs.length + 4 + 4 * traps.length
        + 12 + map.deltas().length + 4 * map.checkpoints().length + 6 * 4 + 4;
    for (InlineSite site : f.inlineSites()) {
      if (site.callee() instanceof ExternalName.Named named) {
        byte[] name = named.name().getBytes(StandardCharsets.UTF_8);
        names.add(name);
        size += 1 + 4 + name.length + 8;
      } else {
        size += 1 + 8 + 8;
      }
    }
    size += 4 + 12 * f.handlerSites().size() + 4;
    for (StackMapSite site : f.stackMapSites()) {
      size += 12 + 4 * site.slotOffsets().length;
    }
    int[] resident = f.residentSlotOffsets();
    size += 4 + 4 * resident.length;

    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(f.size());
    f.copyCodeInto(out.array(), out.position());
    out.position(out.position() + f.size());
    out.putInt(relocs.length).asLongBuffer().put(relocs);
    out.position(out.position() + 8 * relocs.length);
    out.putInt(traps.length).asIntBuffer().put(traps);
    out.position(out.position() + 4 * traps.length);
    out.putInt(map.size()).putInt(map.deltas().length).put(map.deltas());
    out.putInt(map.checkpoints().length).asIntBuffer().put(map.checkpoints());
    out.position(out.position() + 4 * map.checkpoints().length);
    MoveCounts moves = f.moveCounts();
    out.putInt(moves.spillStores()).putInt(moves.reloads()).putInt(moves.copies())
        .putInt(moves.loopSpillStores()).putInt(moves.loopReloads()).putInt(moves.loopCopies());
    out.putInt(f.inlineSites().size());
    int named = 0;
    for (InlineSite site : f.inlineSites()) {
      switch (site.callee()) {
        case ExternalName.User user -> out.put((byte) USER).putInt(user.namespace()).putInt(user.index());
        case ExternalName.Named n -> {
          byte[] name = names.get(named++);
          out.put((byte) NAMED).putInt(name.length).put(name);
        }
      }
      out.putInt(site.callSourceLoc()).putInt(site.parent());
    }
    out.putInt(f.handlerSites().size());
    for (HandlerSite site : f.handlerSites()) {
      out.putInt(site.returnOffset()).putInt(site.landingOffset()).putInt(site.frameBelowFp());
    }
    out.putInt(f.stackMapSites().size());
    for (StackMapSite site : f.stackMapSites()) {
      int[] slots = site.slotOffsets();
      out.putInt(site.returnOffset()).putInt(site.frameBelowFp()).putInt(slots.length);
      for (int slot : slots) {
        out.putInt(slot);
      }
    }
    out.putInt(resident.length);
    for (int slot : resident) {
      out.putInt(slot);
    }
    if (out.hasRemaining()) {
      throw new IllegalStateException(out.remaining() + " bytes of " + size + " left unwritten");
    }
    return out.array();
  }

  /**
   * The function {@link #encode} gave {@code bytes} for.
   *
   * @throws IllegalArgumentException if {@code bytes} is not such a form, whole
   */
  public static CompiledFunction decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte[] code = new byte[count(in, 1)];
      in.get(code);
      long[] relocs = new long[count(in, 8)];
      in.asLongBuffer().get(relocs);
      in.position(in.position() + 8 * relocs.length);
      int[] traps = new int[count(in, 4)];
      in.asIntBuffer().get(traps);
      in.position(in.position() + 4 * traps.length);
      int mapSize = in.getInt();
      byte[] deltas = new byte[count(in, 1)];
      in.get(deltas);
      int[] checkpoints = new int[count(in, 4)];
      in.asIntBuffer().get(checkpoints);
      in.position(in.position() + 4 * checkpoints.length);
      MoveCounts moves = new MoveCounts(in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt());
      List<InlineSite> inlineSites = new ArrayList<>();
      for (int n = count(in, 14); n > 0; n--) {
        ExternalName callee = switch (in.get()) {
          case USER -> new ExternalName.User(in.getInt(), in.getInt());
          case NAMED -> {
            byte[] name = new byte[count(in, 1)];
            in.get(name);
            yield new ExternalName.Named(new String(name, StandardCharsets.UTF_8));
          }
          default -> throw new IllegalArgumentException("inline site callee of unknown form at byte " + in.position());
        };
        inlineSites.add(new InlineSite(callee, in.getInt(), in.getInt()));
      }
      List<HandlerSite> handlers = new ArrayList<>();
      for (int n = count(in, 12); n > 0; n--) {
        handlers.add(new HandlerSite(in.getInt(), in.getInt(), in.getInt()));
      }
      List<StackMapSite> stackMaps = new ArrayList<>();
      for (int n = count(in, 12); n > 0; n--) {
        int returnOffset = in.getInt();
        int frame = in.getInt();
        int[] slots = new int[count(in, 4)];
        in.asIntBuffer().get(slots);
        in.position(in.position() + 4 * slots.length);
        stackMaps.add(new StackMapSite(returnOffset, frame, slots));
      }
      int[] resident = new int[count(in, 4)];
      in.asIntBuffer().get(resident);
      in.position(in.position() + 4 * resident.length);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the function's last field");
      }
      return new CompiledFunction(code, PackedSites.Relocs.ofEntries(relocs), PackedSites.Traps.ofEntries(traps),
          PackedSourceMap.ofPacked(deltas, checkpoints, mapSize), moves, inlineSites, handlers, stackMaps, resident);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("compiled function form ends early (" + bytes.length + " bytes)");
    }
  }

  /**
   * A count read from {@code in}, of items that each take at least {@code minBytes} of what is
   * left: a damaged count is refused before an array of its size is made.
   */
  private static int count(ByteBuffer in, int minBytes) {
    int n = in.getInt();
    if (n < 0 || (long) n * minBytes > in.remaining()) {
      throw new IllegalArgumentException("count " + Integer.toUnsignedString(n) + " at byte " + (in.position() - 4)
          + " is more than the " + in.remaining() + " bytes left hold");
    }
    return n;
  }
}
