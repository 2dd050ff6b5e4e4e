package dev.kiln.wasm.validate;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.code.BodyFacts;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.UnscannedModule;
import java.util.List;
import java.util.OptionalInt;

/**
 * Validates a decoded module (spec 3.4.10): first the module-level rules, cheapest first (types and
 * limits, then constant expressions and segments, then exports and the start function), then every
 * function body with a {@link FunctionValidator}, whose errors name the function ({@link
 * ParallelBodyValidation}: on the calling thread alone, or on several for a large module's bodies).
 */
public final class Validator {
  private Validator() {}

  /** Validates {@code module} with every feature Kiln supports ({@link Features#ALL}). */
  public static void validate(Module module) {
    validate(module, Features.ALL);
  }

  /**
   * Validates {@code module} as the proposals in {@code features} define validity (they differ on
   * whether a module may have several memories).
   *
   * @throws dev.kiln.wasm.InvalidException at the first rule the module breaks
   * @throws dev.kiln.wasm.MalformedException if a body or expression does not decode (only for a
   *     module that did not come from {@link dev.kiln.wasm.decode.Decoder#decode(byte[], Features)},
   *     which rejects those)
   */
  public static void validate(Module module, Features features) {
    validate(module, features, 1);
  }

  /**
   * Validates {@code module} as {@link #validate(Module, Features)} does, its function bodies on up
   * to {@code threads} threads once they hold {@value #PARALLEL_BODY_BYTES} bytes or more (below
   * that, starting a thread costs more than it saves). The outcome is the one-thread outcome: the
   * same first error (that of the lowest-indexed body that breaks a rule) or none.
   *
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public static void validate(Module module, Features features, int threads) {
    validateGathering(module, features, threads);
  }

  /**
   * Validates {@code unscanned}, a module the decoder did not scan ({@link
   * dev.kiln.wasm.decode.Decoder#decodeUnscanned}), as {@link #validate(Module, Features, int)} does,
   * noting what its function bodies tell ({@link BodyFacts}) as their instructions are read, so that
   * each body is read once, here, instead of twice; then checks those facts as the decoder checks
   * its scan's ({@link BodyFacts#requireDataCount}).
   *
   * @return {@code unscanned} with its bodies' facts: the module {@link
   *     dev.kiln.wasm.decode.Decoder#decode(byte[], Features)} gives
   * @throws dev.kiln.wasm.WasmException if the module does not load; since the decoder did not scan
   *     the bodies, not always the error decoding then validating gives (a malformed body after an
   *     invalid one, or before an error in a later section, is that error)
   */
  public static Module validateUnscanned(UnscannedModule unscanned, Features features, int threads) {
    Module module = unscanned.withoutBodyFacts();
    BodyFacts facts = validateGathering(module, features, threads);
    facts.requireDataCount(module.dataCount(), module.data().size());
    return unscanned.complete(facts.tablesWritten(), facts.firstExceptionUse());
  }

  /** Validates {@code module}; returns what its bodies tell, noted as they are read (a few compares an instruction). */
  private static BodyFacts validateGathering(Module module, Features features, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    ModuleTypeRules.check(module, features);
    ValidationContext context = context(module, features);
    ModuleSegmentRules.check(module, context);
    ModuleExportRules.check(module, context);
    List<FunctionBody> code = module.code();
    if (code.size() != module.functions().size()) {
      // The decoder rejects this as malformed, at the end of the module as here; a hand-built
      // Module could still get here.
      throw new InvalidException("function and code section have inconsistent lengths", module.source().length);
    }
    if (code.isEmpty()) {
      return new BodyFacts();
    }
    int bodyThreads = threads > 1 && bodyBytes(code) >= PARALLEL_BODY_BYTES ? threads : 1;
    return ParallelBodyValidation.validate(code, module.importedFunctionCount(), context, bodyThreads);
  }

  /** The function bodies' size from which {@link #validate(Module, Features, int)} uses its threads. */
  public static final int PARALLEL_BODY_BYTES = 1 << 20;

  private static long bodyBytes(List<FunctionBody> code) {
    long bytes = 0;
    for (FunctionBody body : code) {
      bytes += body.codeEnd() - body.bodyStart();
    }
    return bytes;
  }

  /**
   * The context C of spec 3.4.10. Its data count is the number of data segments: that is what
   * validation means by C.datas, and the binary format's rule that code naming a data segment needs
   * the data count section is enforced apart ({@link BodyFacts#requireDataCount}): by the decoder, or
   * after validation for a module it did not scan ({@link #validateUnscanned}).
   */
  public static ValidationContext context(Module module, Features features) {
    ValidationContext c = ValidationContext.of(module, features);
    return new ValidationContext(
        c.features(),
        c.typeSection(),
        c.functionTypeIndices(),
        c.tables(),
        c.memories(),
        c.globals(),
        c.importedGlobalCount(),
        c.elementTypes(),
        OptionalInt.of(module.data().size()),
        c.declaredFunctionReferences(),
        c.tagTypeIndices());
  }
}
