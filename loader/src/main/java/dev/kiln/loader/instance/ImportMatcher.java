package dev.kiln.loader.instance;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.TableType;
import dev.kiln.loader.table.TableInstance;
import java.util.List;

/**
 * Link-time type checks of an instance's imports (WebAssembly 2.0 section 4.5.4 step 4, with the
 * matching rules of section 4.5.2 "Import Subtyping"): a function's type must equal the import's; a
 * table's element type and a memory's index type must be the same and their limits must match (the
 * actual minimum at least the import's, and if the import has a maximum, the actual one exists and
 * is at most it); a global's mutability and value type must be the same.
 */
final class ImportMatcher {
  private ImportMatcher() {}

  /**
   * Checks {@code externs} against {@code info}'s imports, in order.
   *
   * @throws ImportLinkException for a missing extern, a kind mismatch or a type mismatch
   */
  static void check(ModuleInfo info, List<Extern> externs) {
    List<Import> imports = info.imports();
    if (externs.size() < imports.size()) {
      Import missing = imports.get(externs.size());
      throw new ImportLinkException(ImportLinkException.UNKNOWN_IMPORT + ": " + describe(missing));
    }
    if (externs.size() > imports.size()) {
      throw new IllegalArgumentException(externs.size() + " externs for " + imports.size() + " imports");
    }
    for (int i = 0; i < imports.size(); i++) {
      Import anImport = imports.get(i);
      Extern extern = externs.get(i);
      String mismatch = mismatch(info, anImport.desc(), extern);
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
  private static String mismatch(ModuleInfo info, ImportDesc desc, Extern extern) {
    if (desc.kind() != extern.kind()) {
      return "expected a " + desc.kind().name().toLowerCase(java.util.Locale.ROOT) + ", got a "
          + extern.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
    return switch (desc) {
      case ImportDesc.Function f -> {
        FuncType wanted = info.types().get(f.typeIndex());
        FuncType actual = ((Extern.Function) extern).function().type();
        yield wanted.equals(actual) ? null : "expected " + wanted + ", got " + actual;
      }
      case ImportDesc.Table t -> {
        TableType actual = currentType(((Extern.Table) extern).table());
        if (actual.elementType() != t.type().elementType() || actual.is64() != t.type().is64()) {
          yield "expected " + t.type() + ", got " + actual;
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
        var actual = ((Extern.Global) extern).global().type();
        yield actual.equals(g.type()) ? null : "expected " + g.type() + ", got " + actual;
      }
      case ImportDesc.Tag t -> {
        // WebAssembly 3.0 spec 4.5.2: a tag matches when its type is the import's (equal types)
        FuncType wanted = info.types().get(t.typeIndex());
        FuncType actual = ((Extern.Tag) extern).tag().type();
        yield wanted.equals(actual) ? null : "expected tag " + wanted + ", got tag " + actual;
      }
    };
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
