package dev.kiln.cli.disasm;

import dev.kiln.disasm.CapstoneSession;
import dev.kiln.disasm.CapstoneWasmPackage;
import dev.kiln.disasm.CsInsnLayout;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.DisassemblerUnavailableException;
import dev.kiln.disasm.Isa;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Func;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.ValType;
import dev.kiln.runtime.WasmModule;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * {@link Disassembler} over Capstone 5.0 compiled to WebAssembly (npm's {@code capstone-wasm}, {@link
 * CapstoneWasmPackage}), run by Kiln itself through its embedding API: native code for this host,
 * compiled once into the compiled-module cache, so only the first use on a machine pays the compile.
 *
 * <p>The module is emscripten's output: its exports are minified, and capstone-wasm 1.0.3's {@code
 * dist/index.cjs} names them ({@code Module["_cs_open"] = wasmExports["i"]} and so on); {@code "d"}
 * runs the C constructors and must be called once after instantiation. It imports two functions,
 * {@code a.a = emscripten_resize_heap} and {@code a.b = _emscripten_memcpy_js}, implemented here.
 * The C calls are those {@code CapstoneDisassembler} makes natively, with Capstone 5.0's constants
 * (capstone.h at tag 5.0); on wasm32 {@code csh}, {@code size_t} and pointers are i32 and {@code
 * cs_disasm}'s address is an i64.
 */
public final class WasmCapstoneDisassembler extends CapstoneSession {
  // capstone.h of Capstone 5.0: enum cs_err.
  private static final int CS_ERR_MEM = 1;
  /** cs_version's (major << 8) + minor for the pinned package. */
  private static final int CAPSTONE_5_0 = 5 << 8;

  // capstone-wasm 1.0.3's export names (dist/index.cjs).
  private static final String MEMORY = "c";
  private static final String CONSTRUCTORS = "d";
  private static final String CS_VERSION = "e";
  private static final String CS_ERRNO = "g";
  private static final String CS_STRERROR = "h";
  private static final String CS_OPEN = "i";
  private static final String CS_CLOSE = "j";
  private static final String CS_OPTION = "k";
  private static final String CS_DISASM = "l";
  private static final String CS_FREE = "m";
  private static final String MALLOC = "x";
  private static final String FREE = "y";

  private static final CsInsnLayout CS_INSN = CsInsnLayout.CAPSTONE_5_WASM32;
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
  /**
   * Instructions per cs_disasm call. Capstone keeps every decoded instruction of a call in one
   * growing array in the module's 16 MiB heap; bounding a call bounds that array (4096 x 240 bytes)
   * whatever the function's size.
   */
  private static final int CHUNK = 4096;

  private static WasmModule module;

  private final Store store;
  private final Instance instance;
  private final MemorySegment memory;
  private final Func malloc;
  private final Func free;
  private final Func disasm;
  private final Func csFree;
  private final int handlePointer;
  private final int handle;

  private WasmCapstoneDisassembler(Isa isa, Store store, Instance instance) {
    super(isa);
    this.store = store;
    this.instance = instance;
    // The module's memory has min = max = 256 pages, so it never moves: one segment serves every call.
    this.memory = instance.memory(MEMORY).segment();
    this.malloc = instance.func(MALLOC);
    this.free = instance.func(FREE);
    this.disasm = instance.func(CS_DISASM);
    this.csFree = instance.func(CS_FREE);
    instance.func(CONSTRUCTORS).call();
    int version = call(instance.func(CS_VERSION), 0, 0);
    if (version != CAPSTONE_5_0) {
      throw new DisassemblerUnavailableException("capstone.wasm reports Capstone " + (version >> 8) + "."
          + (version & 0xFF) + "; Kiln binds 5.0's cs_insn layout");
    }
    handlePointer = allocate(4);
    check(call(instance.func(CS_OPEN), arch(isa), mode(isa), handlePointer), "cs_open");
    handle = memory.get(I32, handlePointer);
    if (attSyntax(isa)) {
      check(call(instance.func(CS_OPTION), handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT),
          "cs_option(CS_OPT_SYNTAX, ATT)");
    }
  }

  /**
   * Opens a Capstone handle for {@code isa} in a fresh instance of capstone.wasm: 64-bit mode with
   * AT&amp;T syntax for x86-64, little-endian ARM64 for AArch64. The first call in a process fetches
   * the package if needed ({@link CapstoneWasmPackage#obtain()}) and compiles or maps the module.
   *
   * @throws DisassemblerUnavailableException if the package cannot be had or Kiln cannot run it here
   */
  public static WasmCapstoneDisassembler open(Isa isa) {
    Objects.requireNonNull(isa, "isa");
    WasmModule capstone = module();
    Store store = new Store(capstone.engine());
    try {
      Linker linker = new Linker(store);
      // emscripten_resize_heap(requested_size) -> 1 if the heap grew, 0 if not (emscripten/heap.h).
      // The memory's maximum equals its minimum, so it never can: 0 makes malloc return NULL, which
      // Capstone reports as CS_ERR_MEM (emscripten's JavaScript aborts the program instead).
      linker.func("a", "a", IntUnaryOperator.class, requestedSize -> 0);
      // _emscripten_memcpy_js(dest, src, num): emscripten's memcpy hands large copies to the host;
      // the JavaScript is HEAPU8.copyWithin, and MemorySegment.copy is overlap-safe as that is.
      linker.func("a", "b", FuncType.of(List.of(ValType.I32, ValType.I32, ValType.I32), List.of()),
          (caller, args) -> {
            MemorySegment heap = caller.memory(MEMORY).orElseThrow().segment();
            MemorySegment.copy(heap, unsigned(args.get(1)), heap, unsigned(args.get(0)),
                unsigned(args.get(2)));
            return List.of();
          });
      return new WasmCapstoneDisassembler(isa, store, linker.instantiate(capstone));
    } catch (KilnException e) {
      store.close();
      throw new DisassemblerUnavailableException("cannot run capstone.wasm on Kiln: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** capstone.wasm compiled for this host, once per process (and once per machine through the cache). */
  private static synchronized WasmModule module() {
    if (module == null) {
      CapstoneWasmPackage capstone = CapstoneWasmPackage.obtain();
      try {
        module = WasmModule.compile(Engine.builder().moduleCache().build(), capstone.wasm());
      } catch (KilnException | IllegalStateException e) {
        throw new DisassemblerUnavailableException("cannot compile " + capstone.wasm() + " with Kiln: "
            + e.getMessage(), e);
      }
    }
    return module;
  }

  @Override
  protected void decode(byte[] code, long address, List<DisassembledInstruction> into) {
    int input = allocate(code.length);
    int insnsOut = allocate(4);
    try {
      MemorySegment.copy(code, 0, memory, ValueLayout.JAVA_BYTE, input, code.length);
      int offset = 0;
      while (offset < code.length) {
        long count = Integer.toUnsignedLong(disasm.call(Val.i32(handle), Val.i32(input + offset),
            Val.i32(code.length - offset), Val.i64(address + offset), Val.i32(CHUNK), Val.i32(insnsOut))
            .getFirst().asInt());
        if (count == 0) {
          int errno = call(instance.func(CS_ERRNO), handle);
          if (errno == CS_ERR_MEM) {
            throw new IllegalStateException("capstone.wasm ran out of memory at offset " + offset);
          }
          break; // bytes that are not an instruction: the decoded prefix is the answer, as in cs_disasm
        }
        int insns = memory.get(I32, insnsOut);
        try {
          for (long i = 0; i < count; i++) {
            DisassembledInstruction decoded =
                CS_INSN.read(memory, Integer.toUnsignedLong(insns) + i * CS_INSN.struct().byteSize());
            into.add(decoded);
            offset += decoded.size();
          }
        } finally {
          csFree.call(Val.i32(insns), Val.i32((int) count));
        }
        if (count < CHUNK) {
          break; // cs_disasm stopped before its limit: the rest does not decode
        }
      }
    } finally {
      free.call(Val.i32(insnsOut));
      free.call(Val.i32(input));
    }
  }

  @Override
  protected void release() {
    try {
      check(call(instance.func(CS_CLOSE), handlePointer), "cs_close");
    } finally {
      instance.close();
      store.close();
    }
  }

  private int allocate(int bytes) {
    int pointer = malloc.call(Val.i32(bytes)).getFirst().asInt();
    if (pointer == 0) {
      throw new IllegalStateException("capstone.wasm cannot allocate " + bytes
          + " bytes (its heap is 16 MiB)");
    }
    return pointer;
  }

  private void check(int err, String what) {
    if (err != 0) {
      int message = call(instance.func(CS_STRERROR), err);
      throw new IllegalStateException(what + " failed: " + memory.getString(Integer.toUnsignedLong(message))
          + " (cs_err " + err + ")");
    }
  }

  private static int call(Func func, int... args) {
    Val[] vals = new Val[args.length];
    for (int i = 0; i < args.length; i++) {
      vals[i] = Val.i32(args[i]);
    }
    return func.call(vals).getFirst().asInt();
  }

  private static long unsigned(Val i32) {
    return Integer.toUnsignedLong(i32.asInt());
  }
}
