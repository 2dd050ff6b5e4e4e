package dev.kiln.codegen.lower;

import dev.kiln.codegen.abi.CallConvention;
import dev.kiln.ir.Signature;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each signature's places under one ISA's calling convention ({@link CallLowering.Places}), worked out
 * once for every function of one module's compile that calls or is of that signature. A module's
 * functions share its type section's few signatures, and each function's lowering asked the
 * convention for its own and every callee's layout again (about half a percent of a large module's
 * compile). The places depend on the signature's value alone, so equal signatures share them; the
 * compile workers lower in parallel, hence a concurrent map. One compile owns it ({@code
 * Backend.forOneCompile}) and drops it at its end, so it holds no more than the signatures of the
 * module being compiled, which its decoding and translation hold anyway: a stream of modules, hostile
 * or not, leaves nothing behind.
 */
public final class SignaturePlaces {
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
    CallLowering.Places places = bySignature.get(sig);
    if (places == null) {
      places = layout.apply(sig);
      CallLowering.Places raced = bySignature.putIfAbsent(sig, places);
      places = raced != null ? raced : places;
    }
    return places;
  }

  /** How many signatures' places are kept. */
  public int size() {
    return bySignature.size();
  }
}
