package dev.kiln.wat.ast;

import dev.kiln.wat.lex.Token;
import java.util.List;

/**
 * A module as the text format writes it, before identifiers are resolved (spec 6.6).
 *
 * @param id the module's identifier, or null
 * @param fields the fields in text order
 * @param at where the module starts
 */
public record TextModule(String id, List<ModuleField> fields, Token at) {}
