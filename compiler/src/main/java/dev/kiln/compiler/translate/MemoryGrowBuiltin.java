package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;

/**
 * The body of builtin {@link Builtin#MEMORY_GROW}, built as IR so every backend compiles it into
 * {@code .text} under {@code FuncKey.builtin}: {@code memory.grow} (spec 4.4.7.7) without a call
 * into the runtime. Compiled code calls it directly with the wasm calling convention as {@code
 * (i64 vmctx, i64 caller vmctx, i64 definition, i64 delta) -> i64 old pages or -1}, {@code definition} being the
 * address of the memory's {@code {base, length, max_length}} record (inline in the VMContext, or
 * the owner's record for an imported memory, so every importer sees the new length) and {@code
 * delta} the page count as an unsigned i64 (a 32-bit memory's i32 zero-extended).
 *
 * <pre>
 *   old = length >> 16
 *   if delta > (max_length - length) >> 16: return -1      // past the maximum or the reservation
 *   if delta == 0: return old
 *   bytes = delta << 16
 *   if bytes > limit - used: return -1                      // the store's memory limit (StoreLimits)
 *   if memory_protect(base + length, bytes, READ | WRITE) != 0: return -1
 *   used += bytes; length += bytes; return old
 * </pre>
 *
 * <p>The spec lets a grow fail for any reason, and a failed grow changes nothing. The account and
 * the record are written after the pages are committed, so neither ever claims a page that is not
 * there; a plain read-modify-write of the account is safe because only the thread holding the
 * store's claim runs wasm or changes the account ({@link StoreLayout}). New pages read as zero:
 * they were reserved without backing and never written (a memory never shrinks).
 */
public final class MemoryGrowBuiltin {
  /** The record's length and the store's account change only through this builtin or the runtime. */
  private static final MemFlags MUTABLE = MemFlags.VMCTX;
  /** The record's base and maximum and the store's limit are written once, before any code runs. */
  private static final MemFlags READONLY = MemFlags.VMCTX_READONLY;
  private static final int PAGE_SHIFT = 16;

  private MemoryGrowBuiltin() {}

  /** The builtin's IR, named by its FuncKey; {@code layout} places the MEMORY_PROTECT slot. */
  public static Function build(VmLayout layout) {
    CompiledBuiltin body = CompiledBuiltin.begin(Builtin.MEMORY_GROW);
    FunctionBuilder b = body.builder();
    int[] params = body.params();
    int vmctx = params[0];
    int definition = params[2];
    int delta = params[3];

    InstBuilder ins = b.ins();
    int pageShift = ins.iconst(Type.I64, PAGE_SHIFT);
    int length = ins.load(Opcode.LOAD, Type.I64, MUTABLE, definition, VmLayout.MEMORY_LENGTH);
    int maxLength = ins.load(Opcode.LOAD, Type.I64, READONLY, definition, VmLayout.MEMORY_MAX_LENGTH);
    int oldPages = ins.binary(Opcode.USHR, Type.I64, length, pageShift);
    int pagesLeft = ins.binary(Opcode.USHR, Type.I64, ins.isub(maxLength, length), pageShift);
    int fail = b.createBlock();
    int nonZero = b.createBlock();
    int unchanged = b.createBlock();
    int account = b.createBlock();
    ins.brif(ins.icmp(IntCC.UGT, delta, pagesLeft), fail, nonZero);
    b.sealBlock(nonZero);

    b.switchToBlock(nonZero);
    b.ins().brif(b.ins().icmp(IntCC.EQ, delta, b.ins().iconst(Type.I64, 0)), unchanged, account);
    b.sealBlock(unchanged);
    b.sealBlock(account);
    b.switchToBlock(unchanged);
    b.ins().ret(oldPages);

    // delta <= pagesLeft < 2^48, so the shift cannot overflow.
    b.switchToBlock(account);
    ins = b.ins();
    int bytes = ins.binary(Opcode.ISHL, Type.I64, delta, pageShift);
    int context = ins.load(Opcode.LOAD, Type.I64, READONLY, vmctx, VmLayout.STORE_CONTEXT);
    int used = ins.load(Opcode.LOAD, Type.I64, MUTABLE, context, StoreLayout.MEMORY_BYTES_USED);
    int limit = ins.load(Opcode.LOAD, Type.I64, READONLY, context, StoreLayout.MEMORY_BYTES_LIMIT);
    int commit = b.createBlock();
    ins.brif(ins.icmp(IntCC.UGT, bytes, ins.isub(limit, used)), fail, commit);
    b.sealBlock(commit);

    b.switchToBlock(commit);
    ins = b.ins();
    int newPages = ins.iadd(ins.load(Opcode.LOAD, Type.I64, READONLY, definition, VmLayout.MEMORY_BASE), length);
    int protect = ins.load(Opcode.LOAD, Type.I64, READONLY, vmctx, layout.builtin(Builtin.MEMORY_PROTECT));
    int status = b.instResults(ins.callIndirect(b.importSignature(FuncEnvironment.directBuiltinSignature(
        Builtin.MEMORY_PROTECT)), protect, newPages, bytes, ins.iconst(Type.I64, Builtin.PROTECT_READ_WRITE)))[0];
    int publish = b.createBlock();
    b.ins().brif(b.ins().icmp(IntCC.NE, status, b.ins().iconst(Type.I32, 0)), fail, publish);
    b.sealBlock(publish);
    b.sealBlock(fail);

    b.switchToBlock(publish);
    ins = b.ins();
    ins.store(Opcode.STORE, MUTABLE, ins.iadd(used, bytes), context, StoreLayout.MEMORY_BYTES_USED);
    ins.store(Opcode.STORE, MUTABLE, ins.iadd(length, bytes), definition, VmLayout.MEMORY_LENGTH);
    ins.ret(oldPages);

    b.switchToBlock(fail);
    b.ins().ret(b.ins().iconst(Type.I64, -1));
    return b.finish();
  }
}
