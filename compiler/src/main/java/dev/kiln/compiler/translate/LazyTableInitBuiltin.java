package dev.kiln.compiler.translate;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import java.util.List;

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
 * function index, reference section 5.2):
 *
 * <pre>
 *   entry = index < imageLength ? u32 image[index] : 0        // escape index + 1, 0 for null
 *   value = entry == 0 ? INIT_BIT : (funcRefs + (entry - 1) * 32) | INIT_BIT
 *   slot[index] = value; return value
 * </pre>
 *
 * The VMFuncRefs themselves are filled when the owning instance is created (one per escaping
 * function, not per slot), so nothing else needs building here.
 */
public final class LazyTableInitBuiltin {
  /** {@code (i64 vmctx, i64 caller_vmctx, i64 base, i64 index) -> i64}. */
  public static final Signature SIGNATURE = ModuleEnvironment.wasmSignature(List.of(Type.I64, Type.I64), List.of(Type.I64));

  /** The table header, written once when the table is created. */
  private static final MemFlags HEADER = new MemFlags(MemRegion.TABLE, true, true);
  /** The image is read-only data of the loaded module. */
  private static final MemFlags IMAGE = new MemFlags(MemRegion.OTHER, true, true);
  private static final MemFlags SLOT = new MemFlags(MemRegion.TABLE, false, true);

  private LazyTableInitBuiltin() {}

  /** The builtin's IR, named by its FuncKey. */
  public static Function build() {
    FuncKey key = FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index());
    Function function = new Function(new ExternalName.User(key.namespace(), key.index()), SIGNATURE);
    FunctionBuilder b = new FunctionBuilder(function);
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    int base = params[2];
    int index = params[3];

    int store = b.createBlock();
    int value = b.appendBlockParam(store, Type.I64);
    int inImage = b.createBlock();
    int nonNull = b.createBlock();

    InstBuilder ins = b.ins();
    int nullValue = ins.iconst(Type.I64, TableStorage.INIT_BIT);
    int imageLength = ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.IMAGE_LENGTH);
    ins.brif(ins.icmp(IntCC.ULT, index, imageLength), new BranchTarget(inImage),
        new BranchTarget(store, nullValue));
    b.sealBlock(inImage);

    b.switchToBlock(inImage);
    ins = b.ins();
    int image = ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.IMAGE);
    int entryAddress = ins.iadd(image, ins.binary(Opcode.ISHL, Type.I64, index, ins.iconst(Type.I64, 2)));
    int escapePlusOne = ins.load(Opcode.ULOAD32, Type.I64, IMAGE, entryAddress, 0);
    ins.brif(escapePlusOne, new BranchTarget(nonNull), new BranchTarget(store, nullValue));
    b.sealBlock(nonNull);

    b.switchToBlock(nonNull);
    ins = b.ins();
    int funcRefs = ins.load(Opcode.LOAD, Type.I64, HEADER, base, TableStorage.FUNC_REFS);
    int offset = ins.binary(Opcode.ISHL, Type.I64, escapePlusOne,
        ins.iconst(Type.I64, Integer.numberOfTrailingZeros(VmLayout.FUNC_REF_SIZE)));
    // funcRefs + (entry - 1) * 32, tagged
    int address = ins.iadd(ins.isub(funcRefs, ins.iconst(Type.I64, VmLayout.FUNC_REF_SIZE)), offset);
    ins.jump(store, ins.binary(Opcode.BOR, Type.I64, address, ins.iconst(Type.I64, TableStorage.INIT_BIT)));
    b.sealBlock(store);

    b.switchToBlock(store);
    ins = b.ins();
    int slot = ins.iadd(base, ins.binary(Opcode.ISHL, Type.I64, index, ins.iconst(Type.I64, 3)));
    ins.store(Opcode.STORE, SLOT, value, slot, 0);
    ins.ret(value);
    return b.finish();
  }
}
