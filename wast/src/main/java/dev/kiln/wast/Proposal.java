package dev.kiln.wast;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The proposals whose tests sit under {@code proposals/NAME/} in the spec test suite, with the
 * wast2json flags that enable them and the matching change to Kiln's {@link Features}.
 *
 * <p>The flags are those wabt 1.0.32 uses for the same files (its {@code test/spec/NAME/*.txt},
 * {@code ARGS} lines), as the suite's {@code convert.sh} records; core scripts need none (wabt's
 * defaults are MVP plus the finished proposals: SIMD, bulk memory, reference types, multi-value,
 * saturating conversions, sign extension, mutable globals). Kiln's front end is run with the same
 * choice, starting from {@link Features#STANDARD}, because the suite's files contradict each other
 * where a proposal makes an error valid (a second memory is "multiple memories" in core but fine
 * under multi-memory): a script is judged by the features it was written for, as wabt's runner does.
 */
enum Proposal {
  /** Kiln always reads tail calls: no core test depends on their opcodes being unknown. */
  TAIL_CALL("tail-call", "--enable-tail-call", f -> f),
  EXTENDED_CONST("extended-const", "--enable-extended-const", f -> f.withExtendedConst(true)),
  MULTI_MEMORY("multi-memory", "--enable-multi-memory", f -> f.withMultiMemory(true)),
  MEMORY64("memory64", "--enable-memory64", f -> f.withMemory64(true));

  private final String directory;
  private final String flag;
  private final UnaryOperator<Features> enable;

  Proposal(String directory, String flag, UnaryOperator<Features> enable) {
    this.directory = directory;
    this.flag = flag;
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

  /** The wast2json feature flags for a script. */
  static List<String> wast2jsonFlags(Path wast) {
    List<String> flags = new ArrayList<>();
    of(wast).ifPresent(p -> flags.add(p.flag));
    if (withoutReferenceTypes(wast)) {
      flags.add("--disable-reference-types");
    }
    return List.copyOf(flags);
  }

  /** The features Kiln's decoder and validator use for a script: the flags' counterpart. */
  static Features features(Path wast) {
    Features features = of(wast).map(p -> p.enable.apply(Features.STANDARD)).orElse(Features.STANDARD);
    return withoutReferenceTypes(wast) ? features.withReferenceTypes(false) : features;
  }

  /**
   * wabt 1.0.32 converts memory64/binary.wast with reference types off (test/spec/memory64/
   * binary.txt): the file predates reference types, and some of its malformed cases read
   * differently with them on.
   */
  private static boolean withoutReferenceTypes(Path wast) {
    return of(wast).equals(Optional.of(MEMORY64)) && wast.getFileName().toString().equals("binary.wast");
  }
}
