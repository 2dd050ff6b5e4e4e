package dev.kiln.wat.ast;

import dev.kiln.wat.lex.Token;
import java.util.List;

/**
 * A type use (spec 6.6.3): {@code (type x)?} followed by parameters and results. Without the
 * index, resolution finds the first matching function type or appends one (spec 6.6.3,
 * abbreviations).
 *
 * @param type the explicit type index, or null
 * @param params the parameters written inline
 * @param results the results written inline
 * @param at where the type use starts
 */
public record TypeUse(Ref type, List<CompType.Param> params, List<ValType> results, Token at) {
  /** Whether parameters or results were written out (not only a type index). */
  public boolean hasInlineSignature() {
    return !params.isEmpty() || !results.isEmpty();
  }
}
