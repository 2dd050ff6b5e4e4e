package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.module.EntryPoints;
import dev.kiln.loader.module.LoadedModule;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The VMFuncRefs of a module's defined escaping functions as every instance starts them (issue
 * 41): each one's {@code array_call}, {@code wasm_call} and {@code type_id}, laid out as in the
 * VMContext, made at the first instantiation in an engine and shared by the instances after it. An
 * instance writes its own address into each {@code vmctx} word of a Java copy of the block (array
 * stores, cheap before the JIT has compiled anything) and copies the block into its VMContext in
 * one move ({@link Made#writeInto}); an imported function's VMFuncRef (zeros in the block) is
 * then written from its import, as before. A program with ten thousand escaping functions costs an
 * instance one copy, not ten thousand searches of the module info and forty thousand checked
 * native stores.
 *
 * <p>The copy is the template's one spare array, taken and put back, so instantiating on one
 * thread makes no garbage; a thread that finds it taken clones the template. Every word of a copy
 * other than the {@code vmctx} words is the template's and stays so, and every {@code vmctx} word
 * is written before each use, so no instance sees another's address.
 *
 * <p>The block depends on the engine only through the type ids, so it is kept with the array
 * {@link ModuleTypeIds} gave (one per engine, never written): a store of another registry makes
 * its own. Two threads that both find none compute equal blocks; the volatile field publishes
 * either one whole. It lives on the Java heap, so nothing native outlives the module.
 */
final class FuncRefTemplate {
  /** Longs a VMFuncRef takes, and where its {@code vmctx} word is among them. */
  private static final int WORDS = VmLayout.FUNC_REF_SIZE / Long.BYTES;
  private static final int VMCTX_WORD = VmLayout.FUNC_REF_VMCTX / Long.BYTES;

  private volatile Made last;

  /**
   * The block ({@code long}s, {@link VmLayout#FUNC_REF_SIZE} bytes a VMFuncRef, zeros where an
   * imported function's is), and of each imported escaping function its VMFuncRef index, function
   * index and type index.
   */
  record Made(int[] typeIds, long[] words, int[] importedRefs, int[] importedFunctions, int[] importedTypes,
      AtomicReference<long[]> spare) {

    /**
     * Writes the block into {@code vmctx} at {@code start} with {@code vmctx}'s address in each
     * {@code vmctx} word, ticking {@code deadline} once per VMFuncRef.
     */
    void writeInto(MemorySegment vmctx, long start, InstantiationDeadline deadline) {
      int count = words.length / WORDS;
      deadline.tick(count);
      long[] copy = spare.getAndSet(null);
      if (copy == null) {
        InstantiationWork.FUNC_REF_TEMPLATE_CLONED.increment();
        copy = words.clone();
      }
      long self = vmctx.address();
      for (int at = VMCTX_WORD; at < copy.length; at += WORDS) {
        copy[at] = self;
      }
      MemorySegment.copy(MemorySegment.ofArray(copy), 0, vmctx, start, (long) copy.length * Long.BYTES);
      spare.set(copy);
    }
  }

  private FuncRefTemplate() {}

  /**
   * {@code module}'s block for {@code typeIds} (the shared array of {@link ModuleTypeIds#of}). Making
   * it ticks {@code deadline} once per escaping function.
   */
  static Made of(LoadedModule module, int[] typeIds, InstantiationDeadline deadline) {
    FuncRefTemplate cache = module.derived(FuncRefTemplate.class, unused -> new FuncRefTemplate());
    Made known = cache.last;
    if (known != null && known.typeIds() == typeIds) {
      return known;
    }
    Made made = make(module, typeIds, deadline);
    InstantiationWork.FUNC_REF_TEMPLATE_MADE.increment();
    cache.last = made;
    return made;
  }

  private static Made make(LoadedModule module, int[] typeIds, InstantiationDeadline deadline) {
    ModuleInfo info = module.info();
    List<Integer> escaping = info.escaping();
    EntryPoints entries = module.entryPoints();
    int importedFunctions = info.importedFunctionCount();
    long[] words = new long[Math.multiplyExact(escaping.size(), WORDS)];
    MemorySegment block = MemorySegment.ofArray(words);
    int imported = 0;
    for (int k = 0; k < escaping.size(); k++) {
      imported += entries.wasmCall(k) < 0 ? 1 : 0;
    }
    int[] importedRefs = new int[imported];
    int[] importedIndices = new int[imported];
    int[] importedTypes = new int[imported];
    imported = 0;
    for (int k = 0; k < escaping.size(); k++) {
      deadline.tick();
      int function = escaping.get(k);
      if (entries.wasmCall(k) < 0) {
        importedRefs[imported] = k;
        importedIndices[imported] = function;
        importedTypes[imported++] = info.typeOfFunction(function);
        continue;
      }
      long at = (long) k * VmLayout.FUNC_REF_SIZE;
      block.set(JAVA_LONG, at + VmLayout.FUNC_REF_ARRAY_CALL, module.textAt(entries.arrayCall(k)).address());
      block.set(JAVA_LONG, at + VmLayout.FUNC_REF_WASM_CALL, module.textAt(entries.wasmCall(k)).address());
      block.set(JAVA_INT, at + VmLayout.FUNC_REF_TYPE_ID, typeIds[info.functionTypes().get(function - importedFunctions)]);
    }
    return new Made(typeIds, words, importedRefs, importedIndices, importedTypes, new AtomicReference<>(words.clone()));
  }
}
