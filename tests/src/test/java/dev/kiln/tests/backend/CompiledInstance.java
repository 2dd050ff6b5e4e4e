package dev.kiln.tests.backend;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.loader.runtime.Store;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.Global;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One wasm module compiled by {@link X64Backend} and made runnable without the linker and loader
 * (which are being written): every defined function, its ARRAY_TO_WASM trampoline and the trap
 * handler laid out in one image, calls resolved here (rel32 = S - 4 - P), the image published R|X, a
 * VMContext with the store pointer, a linear memory and the defined globals.
 *
 * <p>A function the backend cannot compile (floats, for now) is left out; so is every function that
 * calls it, since its call could not be resolved. {@link #notCompiled} says why.
 */
final class CompiledInstance implements AutoCloseable {
  private static final int PAGE = 65536;
  /** The most a test memory can grow to here (256 MiB), reserved read-write up front. */
  private static final long RESERVED_PAGES = 4096;

  final Module module;
  final ModuleEnvironment env;
  private final Arena arena = Arena.ofShared();
  private final VirtualMemory code;
  private final VirtualMemory memory;
  final MemorySegment vmctx;
  private final Map<Integer, Long> trampolines = new HashMap<>();
  final Map<Integer, String> notCompiled = new HashMap<>();
  /**
   * Functions left out for reasons outside the integer backend: the translator does not support an
   * operator yet, or the function computes with floats; and the functions calling them.
   */
  final Set<Integer> outOfScope = new HashSet<>();

  CompiledInstance(byte[] wasm, X64Backend backend, Store store) {
    module = Wasm.load(wasm);
    if (!module.imports().isEmpty()) {
      throw new IllegalArgumentException("modules with imports are not instantiated by this helper");
    }
    env = new ModuleEnvironment(module);
    int defined = env.definedFunctionCount();
    int moduleIndex = env.moduleIndex();
    Map<Long, CompiledFunction> pieces = new HashMap<>();
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < defined; i++) {
      try {
        Function f = FuncTranslator.translate(env, i);
        long key = FuncKey.definedWasmFunction(moduleIndex, i).raw();
        pieces.put(key, backend.compileFunction(f));
        order.add(key);
        long tk = FuncKey.arrayToWasmTrampoline(moduleIndex, i).raw();
        pieces.put(tk, backend.arrayToWasmTrampoline(f.signature(),
            FuncKey.definedWasmFunction(moduleIndex, i)));
        order.add(tk);
      } catch (RuntimeException e) {
        notCompiled.put(i, e.getClass().getSimpleName() + ": " + e.getMessage());
        if (isOutOfScope(e)) {
          outOfScope.add(i);
        }
      }
    }
    long trapKey = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw();
    pieces.put(trapKey, backend.trapHandler());
    order.add(trapKey);
    long maxPages = 0;
    if (!module.memories().isEmpty()) {
      var limits = module.memories().get(0).limits();
      maxPages = Math.min(limits.max().orElse(65536), RESERVED_PAGES);
      long growKey = FuncKey.wasmToBuiltinTrampoline(Builtin.MEMORY_GROW.index()).raw();
      pieces.put(growKey, MemoryGrowStub.emit(env.layout().memoryLength(0), maxPages));
      order.add(growKey);
    }

    // Leave out what calls something that is not there, until nothing changes.
    boolean changed = true;
    while (changed) {
      changed = false;
      for (long key : List.copyOf(order)) {
        for (Reloc r : pieces.get(key).relocs()) {
          if (!pieces.containsKey(r.targetKey())) {
            order.remove(key);
            pieces.remove(key);
            FuncKey k = FuncKey.fromRaw(key);
            if (notCompiled.putIfAbsent(k.index(), "calls 0x" + Long.toHexString(r.targetKey())
                + ", which is not compiled") == null
                && outOfScope.contains(FuncKey.fromRaw(r.targetKey()).index())) {
              outOfScope.add(k.index());
            }
            changed = true;
            break;
          }
        }
      }
    }

    Map<Long, Integer> offsets = new HashMap<>();
    int size = 0;
    for (long key : order) {
      size = (size + 15) & -16;
      offsets.put(key, size);
      size += pieces.get(key).size();
    }
    byte[] image = new byte[Math.max(size, 1)];
    ByteBuffer patch = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    for (long key : order) {
      CompiledFunction f = pieces.get(key);
      int at = offsets.get(key);
      System.arraycopy(f.code(), 0, image, at, f.size());
      for (Reloc r : f.relocs()) {
        if (r.kind() != RelocKind.X86_CALL_PC_REL4) {
          throw new IllegalStateException("unexpected relocation " + r);
        }
        long p = at + r.offset();
        long value = offsets.get(r.targetKey()) + r.addend() - p;
        patch.putInt((int) p, Math.toIntExact(value));
      }
    }
    code = VirtualMemory.reserve(image.length);
    code.protect(0, code.size(), Protection.READ_WRITE);
    MemorySegment.copy(MemorySegment.ofArray(image), 0, code.segment(), 0, image.length);
    code.protect(0, code.size(), Protection.READ_EXECUTE);
    for (long key : order) {
      FuncKey k = FuncKey.fromRaw(key);
      if (key == FuncKey.arrayToWasmTrampoline(moduleIndex, k.index()).raw()) {
        trampolines.put(k.index(), code.address() + offsets.get(key));
      }
    }

    VmLayout layout = env.layout();
    vmctx = arena.allocate(Math.max(layout.size(), 16), 16);
    vmctx.set(ValueLayout.ADDRESS, VmLayout.STORE_CONTEXT, store.context());
    if (module.memories().isEmpty()) {
      memory = null;
    } else {
      long bytes = module.memories().get(0).limits().min() * PAGE;
      memory = VirtualMemory.reserve(Math.max(maxPages, 1) * PAGE);
      memory.protect(0, memory.size(), Protection.READ_WRITE);
      vmctx.set(ValueLayout.JAVA_LONG, layout.memoryBase(0), memory.address());
      vmctx.set(ValueLayout.JAVA_LONG, layout.memoryLength(0), bytes);
      for (DataSegment d : module.data()) {
        if (d.mode() instanceof SegmentMode.Active(int index, var offset)) {
          long at = constValue(offset.source(), offset.start());
          if (at < 0 || at + d.length() > bytes) {
            throw new IllegalArgumentException("data segment out of bounds");
          }
          MemorySegment.copy(MemorySegment.ofArray(d.source()), d.start(), memory.segment(), at,
              d.length());
        }
      }
    }
    for (int g = 0; g < module.globals().size(); g++) {
      Global global = module.globals().get(g);
      long v = constValue(global.init().source(), global.init().start());
      vmctx.set(ValueLayout.JAVA_LONG, layout.definedGlobal(g), v);
    }
  }

  /**
   * i32.const or i64.const (opcode 0x41 / 0x42, signed LEB128), f32.const or f64.const (0x43 / 0x44,
   * little-endian bits).
   */
  private static long constValue(byte[] source, int start) {
    int op = source[start] & 0xff;
    if (op == 0x43 || op == 0x44) {
      ByteBuffer b = ByteBuffer.wrap(source, start + 1, op == 0x43 ? 4 : 8)
          .order(ByteOrder.LITTLE_ENDIAN);
      return op == 0x43 ? b.getInt() & 0xffff_ffffL : b.getLong();
    }
    if (op != 0x41 && op != 0x42) {
      throw new IllegalArgumentException("constant expression 0x" + Integer.toHexString(op)
          + " not evaluated by this helper");
    }
    long result = 0;
    int shift = 0;
    int pos = start + 1;
    int b;
    do {
      b = source[pos++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return op == 0x41 ? (int) result : result;
  }

  private static boolean isOutOfScope(RuntimeException e) {
    return e instanceof dev.kiln.compiler.UnsupportedFeatureException
        || String.valueOf(e.getMessage()).contains("covers the integer subset");
  }

  /** The trampoline of defined function {@code definedIndex}, or 0 when it was left out. */
  long trampoline(int definedIndex) {
    return trampolines.getOrDefault(definedIndex, 0L);
  }

  Set<Integer> compiled() {
    return new HashSet<>(trampolines.keySet());
  }

  @Override
  public void close() {
    code.close();
    if (memory != null) {
      memory.close();
    }
    arena.close();
  }
}
