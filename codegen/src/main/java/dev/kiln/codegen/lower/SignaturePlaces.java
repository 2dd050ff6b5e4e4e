package dev.kiln.codegen.lower;

import dev.kiln.codegen.abi.CallConvention;
import dev.kiln.ir.Signature;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each signature's places under one ISA's calling convention ({@link CallLowering.Places}), worked out
 * once for every function that calls or is of that signature. A module's functions share its type
 * section's few signatures, and each function's lowering asked the convention for its own and every
 * callee's layout again (about half a percent of a large module's compile). The places depend on the
 * signature's value alone, so equal signatures share them; the compile workers lower in parallel,
 * hence a concurrent map. The map lives as long as the process and its keys come from modules, which
 * may be hostile: it holds at most {@link #CAPACITY} signatures, each of at most {@link
 * #MAX_KEPT_VALUES} parameters and results, so that what any stream of modules can make it keep is
 * bounded (without the second bound, 4,096 signatures of up to 4,095 values each pinned about 8
 * million parameters). Other signatures' places are worked out each time, as before.
 */
public final class SignaturePlaces {
  /** The most signatures kept: far more than a module's distinct call signatures. */
  static final int CAPACITY = 4096;
  /** The most parameters and results of a signature kept: more than ordinary code's calls have. */
  static final int MAX_KEPT_VALUES = 16;

  private final Function<Signature, CallLowering.Places> layout;
  private final Map<Signature, CallLowering.Places> bySignature = new ConcurrentHashMap<>();

  /** The places of {@code layout}'s signatures, each worked out once. */
  SignaturePlaces(Function<Signature, CallLowering.Places> layout) {
    this.layout = layout;
  }

  /** The places of {@code convention}'s signatures, each worked out once. */
  public static SignaturePlaces of(CallConvention<?, ?> convention) {
    return new SignaturePlaces(sig -> CallLowering.Places.of(convention.layout(sig)));
  }

  /** Where {@code sig}'s parameters and results go. */
  public CallLowering.Places places(Signature sig) {
    if (sig.params().size() + sig.results().size() > MAX_KEPT_VALUES) {
      return layout.apply(sig);
    }
    CallLowering.Places places = bySignature.get(sig);
    if (places == null) {
      places = layout.apply(sig);
      if (bySignature.size() < CAPACITY) {
        CallLowering.Places raced = bySignature.putIfAbsent(sig, places);
        places = raced != null ? raced : places;
      }
    }
    return places;
  }
}
