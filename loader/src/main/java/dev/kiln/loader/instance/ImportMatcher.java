package dev.kiln.loader.instance;

import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.TableType;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.runtime.RuntimeTypes;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.wasm.types.CanonicalType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * Link-time type checks of an instance's imports (WebAssembly 3.0 spec 4.5.4 step 4, with the
 * matching rules of 4.5.2 "Import matching" and 3.3 "Matching"): a function's own type must be a
 * subtype of the import's (by runtime type id and its display, {@link RuntimeTypes}); a table's
 * element type must be equivalent to the import's (each matches the other), its address type the
 * same, and its limits must match (the actual minimum at least the import's, and if the import has
 * a maximum, the actual one exists and is at most it); a memory's index type and limits likewise; a
 * global's mutability must be the same, and its value type a subtype of the import's, equivalent
 * when mutable. Precise types are compared in closed form (canonical heap types), so types of
 * different modules compare by iso-recursive identity.
 */
final class ImportMatcher {
  private ImportMatcher() {}

  /**
   * Checks {@code externs} against {@code info}'s imports, in order, ticking {@code deadline} per
   * import (a module may import one host function 2^20 times).
   *
   * @throws ImportLinkException for a missing extern, a kind mismatch or a type mismatch
   */
  static void check(ModuleInfo info, List<Extern> externs, RuntimeTypes types, InstantiationDeadline deadline) {
    List<Import> imports = info.imports();
    if (externs.size() < imports.size()) {
      Import missing = imports.get(externs.size());
      throw new ImportLinkException(ImportLinkException.UNKNOWN_IMPORT + ": " + describe(missing));
    }
    if (externs.size() > imports.size()) {
      throw new IllegalArgumentException(externs.size() + " externs for " + imports.size() + " imports");
    }
    TypeMatcher matcher = info.precise().section().matcher();
    int tables = 0;
    int globals = 0;
    for (int i = 0; i < imports.size(); i++) {
      deadline.tick();
      Import anImport = imports.get(i);
      Extern extern = externs.get(i);
      ValueType precise = switch (anImport.desc()) {
        case ImportDesc.Table t -> matcher.close(info.precise().tables().get(tables++));
        case ImportDesc.Global g -> matcher.close(info.precise().globals().get(globals++));
        default -> null;
      };
      String mismatch = mismatch(info, anImport.desc(), precise, extern, types);
      if (mismatch != null) {
        throw new ImportLinkException(ImportLinkException.INCOMPATIBLE_IMPORT_TYPE + ": " + describe(anImport)
            + ": " + mismatch);
      }
    }
  }

  static String describe(Import anImport) {
    return "\"" + anImport.module() + "\" \"" + anImport.name() + "\" ("
        + anImport.desc().kind().name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  /** Why {@code extern} does not match {@code desc}, or null when it does. */
  private static String mismatch(ModuleInfo info, ImportDesc desc, ValueType precise, Extern extern,
      RuntimeTypes types) {
    if (desc.kind() != extern.kind()) {
      return "expected a " + desc.kind().name().toLowerCase(java.util.Locale.ROOT) + ", got a "
          + extern.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
    return switch (desc) {
      case ImportDesc.Function f -> {
        CanonicalType wanted = info.precise().section().matcher().canonical(f.typeIndex());
        FunctionInstance actual = ((Extern.Function) extern).function();
        yield types.isSubtype(actual.typeId(), wanted) ? null
            : "expected " + info.precise().section().subTypes().get(f.typeIndex()).composite() + ", got "
                + types.type(actual.typeId()).subType().composite()
                + (actual.type().equals(info.types().get(f.typeIndex())) ? " (a type that is not a subtype of it)" : "");
      }
      case ImportDesc.Table t -> {
        TableInstance table = ((Extern.Table) extern).table();
        TableType actual = currentType(table);
        if (actual.elementType() != t.type().elementType() || actual.is64() != t.type().is64()
            || !equivalent(table.referenceType(), precise)) {
          yield "expected a table of " + precise + (t.type().is64() ? " (i64)" : "") + ", got one of "
              + table.referenceType() + (actual.is64() ? " (i64)" : "");
        }
        yield limitsMismatch(actual.limits(), t.type().limits());
      }
      case ImportDesc.Memory m -> {
        MemoryType actual = ((Extern.Memory) extern).memory().type();
        if (actual.is64() != m.type().is64() || actual.shared() != m.type().shared()) {
          yield "expected " + m.type() + ", got " + actual;
        }
        yield limitsMismatch(actual.limits(), m.type().limits());
      }
      case ImportDesc.Global g -> {
        GlobalInstance global = ((Extern.Global) extern).global();
        // Decided by the precise types alone (spec 3.0 4.5.2): the artifact's representation of a
        // concrete struct or array type is a funcref's, so comparing representations refused an
        // immutable (ref null $s) global imported as anyref or structref (red team 15 F2). A subtype
        // never leaves its hierarchy, so the global's word is one the importer's code reads right.
        boolean matches = global.type().mutable() == g.type().mutable()
            && (g.type().mutable() ? equivalent(global.preciseType(), precise)
                : TypeMatcher.matchesClosed(global.preciseType(), precise));
        yield matches ? null : "expected " + (g.type().mutable() ? "(mut " + precise + ")" : precise) + ", got "
            + (global.type().mutable() ? "(mut " + global.preciseType() + ")" : global.preciseType());
      }
      case ImportDesc.Tag t -> {
        // WebAssembly 3.0 spec 4.5.2: a tag matches when its type is the import's (equal canonical
        // types: their representations alone cannot tell (ref $a) from (ref $b))
        CanonicalType wanted = info.precise().section().matcher().canonical(t.typeIndex());
        TagInstance actual = ((Extern.Tag) extern).tag();
        yield types.id(wanted) == actual.typeId() ? null
            : "expected tag " + info.precise().section().subTypes().get(t.typeIndex()).composite() + ", got tag "
                + types.type(actual.typeId()).subType().composite();
      }
    };
  }

  /** Each matches the other (spec 3.0 4.5.2: a table's or mutable global's type is invariant). */
  private static boolean equivalent(ValueType a, ValueType b) {
    return TypeMatcher.matchesClosed(a, b) && TypeMatcher.matchesClosed(b, a);
  }

  /** A table's type as import matching sees it (spec 4.5.2): its current size as the minimum. */
  private static TableType currentType(TableInstance table) {
    TableType declared = table.type();
    return new TableType(declared.elementType(), new Limits(table.size(), declared.limits().max()), declared.is64());
  }

  /** Spec 4.5.2, limits: {@code actual} matches {@code wanted}, or why not. */
  private static String limitsMismatch(Limits actual, Limits wanted) {
    if (Long.compareUnsigned(actual.min(), wanted.min()) < 0) {
      return "minimum " + Long.toUnsignedString(actual.min()) + " is below the import's "
          + Long.toUnsignedString(wanted.min());
    }
    if (wanted.max().isPresent()) {
      if (actual.max().isEmpty()) {
        return "no maximum, the import's is " + Long.toUnsignedString(wanted.max().getAsLong());
      }
      if (Long.compareUnsigned(actual.max().getAsLong(), wanted.max().getAsLong()) > 0) {
        return "maximum " + Long.toUnsignedString(actual.max().getAsLong()) + " exceeds the import's "
            + Long.toUnsignedString(wanted.max().getAsLong());
      }
    }
    return null;
  }
}
