package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.SubType;
import java.util.List;

/**
 * The engine's supertype displays as compiled code reads them (loader {@code runtime.RuntimeTypes},
 * reached through the store context's {@code type_displays}): a type id's display is {@code {u32
 * depth, u32 ids[depth + 1]}}, its supertype chain from the root, so "is type {@code a} a subtype of
 * the type {@code e} at depth {@code d}" is {@code depth(a) >= d && ids(a)[d] == e}. Shared by
 * {@code call_indirect} of a non-final type ({@link TableOperators}) and the casts to concrete
 * types ({@link ReferenceOperators}).
 */
final class SupertypeDisplays {
  /** The displays never change once published; another thread may add chunks, never move one. */
  static final MemFlags DISPLAYS = new MemFlags(MemRegion.RUNTIME, true, true);

  private SupertypeDisplays() {}

  /** Emits the address of the display of type id {@code typeId} (an i64). */
  static int display(InstBuilder ins, int context, int typeId) {
    int directory = ins.load(Opcode.LOAD, Type.I64, DISPLAYS, context, StoreLayout.TYPE_DISPLAYS);
    int chunkIndex = ins.binary(Opcode.USHR, Type.I64, typeId, ins.iconst(Type.I64, StoreLayout.TYPE_DISPLAY_CHUNK_BITS));
    int chunk = ins.load(Opcode.LOAD, Type.I64, DISPLAYS,
        ins.iadd(directory, ins.binary(Opcode.ISHL, Type.I64, chunkIndex, ins.iconst(Type.I64, 3))), 0);
    int slot = ins.band(typeId, ins.iconst(Type.I64, (1 << StoreLayout.TYPE_DISPLAY_CHUNK_BITS) - 1));
    return ins.load(Opcode.LOAD, Type.I64, DISPLAYS,
        ins.iadd(chunk, ins.binary(Opcode.ISHL, Type.I64, slot, ins.iconst(Type.I64, 3))), 0);
  }

  /** Emits a display's depth (an i64). */
  static int depth(InstBuilder ins, int display) {
    return ins.load(Opcode.ULOAD32, Type.I64, DISPLAYS, display, 0);
  }

  /** Emits the id at {@code depth} of a display whose depth is at least {@code depth} (an i64). */
  static int ancestor(InstBuilder ins, int display, int depth) {
    return ins.load(Opcode.ULOAD32, Type.I64, DISPLAYS, display, 4L + 4L * depth);
  }

  /** How many declared supertypes are above type {@code typeIndex} (its place in every subtype's display). */
  static int supertypeDepth(List<SubType> types, int typeIndex) {
    int depth = 0;
    for (SubType t = types.get(typeIndex); !t.supertypes().isEmpty(); depth++) {
      t = types.get(((HeapType.Concrete) t.supertypes().get(0)).typeIndex());
    }
    return depth;
  }
}
