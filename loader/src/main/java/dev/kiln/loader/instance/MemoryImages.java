package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A module's copy-on-write memory images (issue 41): for each memory it defines, the bytes its
 * active data segments put there at instantiation (WebAssembly 2.0 section 4.5.4, step 14: the
 * segments in order, a later one over an earlier one), laid out once in a sealed {@link ImageFile}
 * and mapped {@code MAP_PRIVATE} over each new instance's memory instead of copied into it. A
 * 30 MB program's data then costs an instance one mapping, and a page only when it is touched.
 *
 * <p>A memory gets an image only when the result is certain without running anything: every
 * active segment into it has a constant offset (no {@code global.get}: an imported global's value
 * differs per instance), each lies within the memory's initial size (else instantiation must trap
 * after the segments before it, which the copying path does), and together they hold at least
 * {@link #MIN_IMAGE_BYTES} (below that a copy costs less than a mapping). Otherwise the instance
 * copies its segments as before. Images are made on the module's first instantiation and kept
 * with it ({@link LoadedModule#memoryImages}).
 */
final class MemoryImages {
  /** Data bytes below which a memory is copied rather than imaged: one page. */
  static final long MIN_IMAGE_BYTES = 4096;

  private MemoryImages() {}

  /** The image of each memory {@code module} defines, in definition order, or empty where it is copied. */
  static List<Optional<ImageFile>> of(LoadedModule module) {
    ModuleInfo info = module.info();
    List<Optional<ImageFile>> images = new ArrayList<>(info.memories().size());
    for (int m = 0; m < info.memories().size(); m++) {
      images.add(imageOf(module, info.importedMemoryCount() + m, info.memories().get(m)));
    }
    return List.copyOf(images);
  }

  private static Optional<ImageFile> imageOf(LoadedModule module, int memoryIndex, MemoryType type) {
    ModuleInfo info = module.info();
    long minBytes = type.limits().min() * MemoryType.PAGE_SIZE;
    if (minBytes < 0 || type.limits().min() > (1L << 32)) {
      return Optional.empty();
    }
    List<DataSegment> segments = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    long extent = 0;
    long total = 0;
    for (DataSegment segment : info.data()) {
      if (segment.mode() != SegmentMode.ACTIVE || segment.memoryIndex() != memoryIndex) {
        continue;
      }
      Optional<Long> offset = constant(segment.offset().orElseThrow());
      if (offset.isEmpty()) {
        return Optional.empty();
      }
      long start = type.is64() ? offset.get() : offset.get() & 0xFFFF_FFFFL;
      if (start < 0 || start > minBytes || segment.length() > minBytes - start) {
        return Optional.empty();
      }
      segments.add(segment);
      starts.add(start);
      extent = Math.max(extent, start + segment.length());
      total += segment.length();
    }
    if (total < MIN_IMAGE_BYTES) {
      return Optional.empty();
    }
    MemorySegment data = module.data();
    // Within the initial size, which is whole 64 KiB pages, so the page-aligned extent is too.
    long size = VirtualMemory.pageAlign(extent);
    return Optional.of(ImageFile.create("kiln-memory-image", size, bytes -> {
      for (int i = 0; i < segments.size(); i++) {
        DataSegment segment = segments.get(i);
        MemorySegment.copy(data, segment.dataOffset(), bytes, starts.get(i), segment.length());
      }
    }));
  }

  /** The value of an offset expression that reads nothing (spec 3.3.10's constants and extended-const arithmetic). */
  private static Optional<Long> constant(ConstExpr expr) {
    for (ConstInstr instr : expr.instructions()) {
      if (instr instanceof ConstInstr.GlobalGet || instr instanceof ConstInstr.RefFunc) {
        return Optional.empty();
      }
    }
    ConstExprEvaluator evaluator = new ConstExprEvaluator(unused -> 0, unused -> 0, unused -> 0,
        ConstExprEvaluator.NO_OBJECTS);
    return Optional.of(evaluator.evaluate(expr));
  }
}
