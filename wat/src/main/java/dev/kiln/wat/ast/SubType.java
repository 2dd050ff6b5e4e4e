package dev.kiln.wat.ast;

import dev.kiln.wat.lex.Token;
import java.util.List;

/**
 * One type definition (spec 6.4.9): {@code (type $id? (sub final? $super* comptype))}; a bare
 * composite type is final with no supertypes.
 *
 * @param name the type's identifier, or null
 * @param isFinal whether the type is final
 * @param supertypes the declared supertypes
 * @param comp the composite type
 * @param at where the definition starts
 */
public record SubType(String name, boolean isFinal, List<Ref> supertypes, CompType comp, Token at) {}
