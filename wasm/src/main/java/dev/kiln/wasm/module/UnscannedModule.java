package dev.kiln.wasm.module;

import java.util.Objects;
import java.util.Set;

/**
 * A module decoded but for its function bodies' instructions ({@code Decoder.decodeUnscanned}),
 * which its validation reads next ({@code Validator.validateUnscanned}): not a {@link Module} any
 * later stage may take, since its bodies may be malformed and the facts they tell the compiler (the
 * tables code writes, its exception handling) are not known yet. A compile that took the empty
 * facts for true would treat a table code writes as fixed. {@link #complete} makes the module once
 * validation has read the bodies.
 *
 * @param withoutBodyFacts the module, its {@link Module#tablesWrittenByCode} empty and its {@link
 *     Module#firstExceptionInstruction} -1 whatever its bodies hold: for validation only
 */
public record UnscannedModule(Module withoutBodyFacts) {
  public UnscannedModule {
    Objects.requireNonNull(withoutBodyFacts, "withoutBodyFacts");
  }

  /** The module, with the facts validation noted in its bodies. */
  public Module complete(Set<Integer> tablesWrittenByCode, int firstExceptionInstruction) {
    Module m = withoutBodyFacts;
    return new Module(m.source(), m.typeSection(), m.imports(), m.functions(), m.tables(), m.memories(), m.globals(),
        m.tags(), m.exports(), m.start(), m.elements(), m.dataCount(), m.code(), m.data(), m.names(),
        m.customSections(), tablesWrittenByCode, firstExceptionInstruction, m.offsets(), m.tableInitialisers());
  }
}
