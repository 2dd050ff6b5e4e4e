package dev.kiln.codegen.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.disasm.CapstoneDisassembler;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The loop of an encoder's oracle test (after Cranelift's cranelift/assembler-x64/src/fuzz.rs):
 * {@code perForm} random instructions of every form are encoded and decoded by Capstone, whose text
 * must equal the ISA printer's. The ISA supplies one round trip; this class runs it over the forms,
 * keeps the first 40 failures for the message and fails if there is any.
 *
 * <p>The oracle itself is {@link #disassembler(Isa)}, the one definition every encoder, lowering and
 * trampoline test decodes with: for x86-64 Capstone 5.0 as npm's {@code capstone-wasm} on Node
 * ({@link NodeCapstone}), on every machine, so the texts the tests pin never depend on which Capstone
 * the machine has installed; for AArch64 Capstone 4 through {@link CapstoneDisassembler} (Debian's
 * {@code libcapstone4}, else the ARM-only library bundled in Maven Central's
 * {@code com.github.zhkl0228:capstone}). Where the oracle cannot be had, the tests fail with the reason.
 */
public final class CapstoneOracle {
  /** Failures kept for the message; the count covers all of them. */
  private static final int MAX_REPORTED = 40;

  /**
   * Encodes one random instruction of {@code form}, decodes it with {@code capstone} and compares:
   * null when both texts agree, else a description naming the form, bytes and both texts.
   */
  @FunctionalInterface
  public interface RoundTrip<F> {
    String check(F form, Disassembler capstone);
  }

  private static final Map<Isa, Disassembler> SHARED = new EnumMap<>(Isa.class);

  private CapstoneOracle() {}

  /**
   * The oracle for {@code isa}, opened once per JVM and shared by its tests (do not close it; a
   * shutdown hook does). Sharing matters for x86-64: each oracle there is a Node process.
   */
  public static synchronized Disassembler disassembler(Isa isa) {
    Disassembler oracle = SHARED.get(isa);
    if (oracle == null) {
      Disassembler opened = isa == Isa.X86_64 ? NodeCapstone.start() : CapstoneDisassembler.open(isa);
      Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "close " + isa + " oracle"));
      SHARED.put(isa, opened);
      oracle = opened;
    }
    return oracle;
  }

  /** Runs {@code roundTrip} {@code perForm} times per form; returns how many were checked. */
  public static <F> int run(String isaName, Isa isa, long seed, List<F> forms, int perForm,
      RoundTrip<F> roundTrip) {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int mismatches = 0;
    Disassembler capstone = disassembler(isa);
    for (F form : forms) {
      for (int i = 0; i < perForm; i++) {
        String failure = roundTrip.check(form, capstone);
        checked++;
        if (failure != null && ++mismatches <= MAX_REPORTED) {
          failures.add(failure);
        }
      }
    }
    System.out.printf("%s Capstone round trip: %d instructions over %d forms, seed %#x%n", isaName,
        checked, forms.size(), seed);
    int total = mismatches;
    assertTrue(failures.isEmpty(), () -> total + " mismatches (seed " + seed + "), the first "
        + failures.size() + ":\n" + String.join("\n", failures));
    return checked;
  }
}
