package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;

/**
 * The body of builtin {@link Builtin#TABLE_LAZY_INIT}, built as IR so every backend compiles it
 * into {@code .text} under {@code FuncKey.builtin}: the slow path of a read of a lazily initialised
 * funcref table slot (the fast path, in the reading function, is one load and a branch on zero).
 * Compiled code calls it directly with the wasm calling convention as {@code (vmctx, caller vmctx,
 * base, index) -> tagged value}, {@code base} being the table's slot 0 and {@code index} already
 * bounds-checked against the table's length.
 *
 * <p>It reads the table header below slot 0 ({@link TableStorage}) and, without calling into the
 * runtime and without any search (Wasmtime's equivalent is a libcall with a binary search in its
 * function index: {@code table_get_lazy_init_func_ref} in {@code
 * crates/wasmtime/src/runtime/vm/libcalls.rs}):
 *
 * <pre>
 *   entry = index < imageLength ? u32 image[index] : 0        // escape index + 1, 0 for null
 *   value = entry == 0 ? INIT_BIT : (funcRefs + (entry - 1) * 32) | INIT_BIT
 *   slot[index] = value; return value
 * </pre>
 *
 * applied to every still-uninitialised slot of the requested slot's group of {@link #GROUP} (a
 * bounded amount of work per call, so still O(1)).
 *
 * The VMFuncRefs themselves are filled when the owning instance is created (one per escaping
 * function, not per slot), so nothing else needs building here.
 */
public final class LazyTableInitBuiltin {

  /** The table header, written once when the table is created. */
  private static final MemFlags HEADER = new MemFlags(MemRegion.TABLE, true, true);
  /** The image is read-only data of the loaded module. */
  private static final MemFlags IMAGE = new MemFlags(MemRegion.OTHER, true, true);
  private static final MemFlags SLOT = new MemFlags(MemRegion.TABLE, false, true);

  private LazyTableInitBuiltin() {}

  /**
   * Slots initialised per call: the requested slot's aligned group of 64 (eight cache lines of
   * slots), so a scan over a table calls the builtin once per 64 first uses. Initialising a
   * neighbour early is invisible to wasm: its value is what the image says, and only slots still 0
   * (never written) inside the image are touched, all within the table's initial size.
   */
  public static final int GROUP = 64;

  /** The builtin's IR, named by its FuncKey. */
  public static Function build() {
    CompiledBuiltin body = CompiledBuiltin.begin(Builtin.TABLE_LAZY_INIT);
    FunctionBuilder b = body.builder();
    int[] params = body.params();
    int base = params[2];
    int index = params[3];

    InstBuilder ins = b.ins();
    int imageLength = ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.IMAGE_LENGTH);
    int image = ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.IMAGE);
    // (funcRefs - 32) | INIT_BIT, so that entry e (escape index + 1) tags as funcRefsBias + 32 e:
    // VMFuncRefs are 8-aligned, so the tag bit of funcRefs - 32 is clear and the OR is an add.
    int funcRefsBias = ins.binary(Opcode.BOR, Type.I64, ins.isub(
        ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.FUNC_REFS),
        ins.iconst(Type.I64, VmLayout.FUNC_REF_SIZE)), ins.iconst(Type.I64, TableStorage.INIT_BIT));
    // One definition of each constant the 64 unrolled slots use, so they stay in registers.
    Constants constants = new Constants(ins.iconst(Type.I64, 0), ins.iconst(Type.I64, TableStorage.INIT_BIT),
        ins.iconst(Type.I64, Integer.numberOfTrailingZeros(VmLayout.FUNC_REF_SIZE)));
    int start = ins.band(index, ins.iconst(Type.I64, -GROUP));
    int groupEnd = ins.iadd(start, ins.iconst(Type.I64, GROUP));
    int wholeGroup = b.createBlock();
    int oneSlot = b.createBlock();
    ins.brif(ins.icmp(IntCC.ULE, groupEnd, imageLength), wholeGroup, oneSlot);
    b.sealBlock(wholeGroup);
    b.sealBlock(oneSlot);

    // The group lies inside the image: straight-line code, no branch, one slot after another. A slot
    // already initialised (written by table.set/fill/copy/init, or read before) is stored back as is.
    b.switchToBlock(wholeGroup);
    int groupSlots = slotAddress(b, base, start);
    int groupEntries = b.ins().iadd(image, b.ins().binary(Opcode.ISHL, Type.I64, start, b.ins().iconst(Type.I64, 2)));
    for (int k = 0; k < GROUP; k++) {
      initialise(b, groupSlots, k * TableStorage.SLOT_SIZE, groupEntries, k * TableStorage.IMAGE_ENTRY_SIZE,
          funcRefsBias, constants, true);
    }
    b.ins().ret(b.ins().load(Opcode.LOAD, Type.I64, SLOT, slotAddress(b, base, index), 0));

    // The image's last, partial group, or past the image: just the requested slot.
    b.switchToBlock(oneSlot);
    int slot = slotAddress(b, base, index);
    int inImage = b.createBlock();
    int pastImage = b.createBlock();
    b.ins().brif(b.ins().icmp(IntCC.ULT, index, imageLength), inImage, pastImage);
    b.sealBlock(inImage);
    b.sealBlock(pastImage);
    b.switchToBlock(inImage);
    int entryAddress = b.ins().iadd(image, b.ins().binary(Opcode.ISHL, Type.I64, index, b.ins().iconst(Type.I64, 2)));
    b.ins().ret(initialise(b, slot, 0, entryAddress, 0, funcRefsBias, constants, false));
    b.switchToBlock(pastImage);
    int nullValue = b.ins().iconst(Type.I64, TableStorage.INIT_BIT);
    b.ins().store(Opcode.STORE, SLOT, nullValue, slot, 0);
    b.ins().ret(nullValue);
    return b.finish();
  }

  /** The constants every slot's initialisation uses, defined once in the entry block. */
  private record Constants(int zero, int initBit, int funcRefShift) {}

  /**
   * Stores into the slot at {@code slots + slotOffset} the tagged value its image entry at {@code
   * entries + entryOffset} gives (escape index + 1, or 0 for null); with {@code keepInitialised} a
   * slot that is already non-zero keeps its value. Returns the stored value. {@code funcRefsBias}
   * is already tagged (see {@link #build}).
   */
  private static int initialise(FunctionBuilder b, int slots, int slotOffset, int entries, int entryOffset,
      int funcRefsBias, Constants c, boolean keepInitialised) {
    InstBuilder ins = b.ins();
    int escapePlusOne = ins.load(Opcode.ULOAD32, Type.I64, IMAGE, entries, entryOffset);
    int taggedFuncRef = ins.iadd(funcRefsBias, ins.binary(Opcode.ISHL, Type.I64, escapePlusOne, c.funcRefShift()));
    int value = ins.select(ins.icmp(IntCC.NE, escapePlusOne, c.zero()), taggedFuncRef, c.initBit());
    if (keepInitialised) {
      int current = ins.load(Opcode.LOAD, Type.I64, SLOT, slots, slotOffset);
      value = ins.select(ins.icmp(IntCC.NE, current, c.zero()), current, value);
    }
    ins.store(Opcode.STORE, SLOT, value, slots, slotOffset);
    return value;
  }

  private static int slotAddress(FunctionBuilder b, int base, int index) {
    InstBuilder ins = b.ins();
    return ins.iadd(base, ins.binary(Opcode.ISHL, Type.I64, index, ins.iconst(Type.I64, 3)));
  }
}
