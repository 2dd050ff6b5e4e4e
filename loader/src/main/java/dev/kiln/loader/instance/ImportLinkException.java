package dev.kiln.loader.instance;

/**
 * A module cannot be linked: an import has no definition ({@value #UNKNOWN_IMPORT}) or the
 * definition's type does not match the import's ({@value #INCOMPATIBLE_IMPORT_TYPE}). The messages
 * start with the spec test suite's texts for {@code assert_unlinkable}. Nothing of the module ran.
 */
public final class ImportLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The spec suite's text for an import with no definition. */
  public static final String UNKNOWN_IMPORT = "unknown import";
  /** The spec suite's text for an import whose definition has the wrong type. */
  public static final String INCOMPATIBLE_IMPORT_TYPE = "incompatible import type";

  public ImportLinkException(String message) {
    super(message);
  }
}
