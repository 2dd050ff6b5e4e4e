package dev.kiln.wast;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The proposals whose tests sit under {@code proposals/NAME/} in the 2022 spec test suite, with
 * the change to Kiln's {@link Features} that enables each.
 *
 * <p>The choice per file is the one wabt 1.0.32 made for the same files (its {@code
 * test/spec/NAME/*.txt}, {@code ARGS} lines), as the suite's {@code convert.sh} records; core
 * scripts get {@link Features#STANDARD} (MVP plus the finished proposals: SIMD, bulk memory,
 * reference types, multi-value, saturating conversions, sign extension, mutable globals). A
 * script gets its folder's proposal only, because the suite's files contradict each other
 * where a proposal makes an error valid (a second memory is "multiple memories" in core but fine
 * under multi-memory): a script is judged by the features it was written for, as wabt's runner does.
 */
enum Proposal {
  /** Kiln always reads tail calls: no core test depends on their opcodes being unknown. */
  TAIL_CALL("tail-call", f -> f),
  EXTENDED_CONST("extended-const", f -> f.withExtendedConst(true)),
  MULTI_MEMORY("multi-memory", f -> f.withMultiMemory(true)),
  MEMORY64("memory64", f -> f.withMemory64(true));

  private final String directory;
  private final UnaryOperator<Features> enable;

  Proposal(String directory, UnaryOperator<Features> enable) {
    this.directory = directory;
    this.enable = enable;
  }

  /** The folder under {@code proposals/}. */
  String directory() {
    return directory;
  }

  /** The proposal a script belongs to: the folder after a {@code proposals} folder in its path. */
  static Optional<Proposal> of(Path wast) {
    Path parent = wast.toAbsolutePath().normalize().getParent();
    if (parent == null || parent.getParent() == null || parent.getParent().getFileName() == null
        || !parent.getParent().getFileName().toString().equals("proposals")) {
      return Optional.empty();
    }
    String name = parent.getFileName().toString();
    for (Proposal p : values()) {
      if (p.directory.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The features Kiln's decoder and validator use for a script of the 2022 suite. */
  static Features features(Path wast) {
    Features features = of(wast).map(p -> p.enable.apply(Features.STANDARD)).orElse(Features.STANDARD);
    return withoutReferenceTypes(wast) ? features.withReferenceTypes(false) : features;
  }

  /**
   * memory64/binary.wast is judged with reference types off, as wabt 1.0.32 converted it (test/spec/memory64/
   * binary.txt): the file predates reference types, and some of its malformed cases read
   * differently with them on.
   */
  private static boolean withoutReferenceTypes(Path wast) {
    return of(wast).equals(Optional.of(MEMORY64)) && wast.getFileName().toString().equals("binary.wast");
  }
}
