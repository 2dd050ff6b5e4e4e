package dev.kiln.artifact;

import java.util.OptionalLong;

/**
 * The bytes are not a well-formed Kiln artifact (or one of its sections): damaged (the seal's
 * digest does not match), unauthenticated (a key was required and the tag is missing or wrong),
 * truncated, foreign, or an offset, length or ordering that breaks the documented layout. Readers
 * throw this, and only this, for any malformed input, before any out-of-range read can happen.
 *
 * <p>It says where: the section (or ELF structure) that failed, and the byte offset of the field
 * when one field is to blame. A reader that only sees one section knows the offset inside it;
 * {@code CwasmFile}, which knows where each section lies, turns it into a file offset ({@link
 * #inSectionAt}), so a user can look at the byte with any hex dump.
 */
public final class CorruptArtifactException extends ArtifactException {
  private static final long serialVersionUID = 1L;
  private static final long UNKNOWN = -1;

  private final String section;
  private final long offset;
  private final long sectionStart;
  private final String detail;

  /** A failure of {@code section} as a whole: no single field is to blame. */
  public CorruptArtifactException(String section, String detail) {
    this(section, UNKNOWN, UNKNOWN, detail);
  }

  /** A failure of the field at {@code offset}, counted from the start of {@code section}. */
  public CorruptArtifactException(String section, long offset, String detail) {
    this(section, offset, UNKNOWN, detail);
  }

  private CorruptArtifactException(String section, long offset, long sectionStart, String detail) {
    super(message(section, offset, sectionStart, detail));
    this.section = section;
    this.offset = offset;
    this.sectionStart = sectionStart;
    this.detail = detail;
  }

  private static String message(String section, long offset, long sectionStart, String detail) {
    String where;
    if (offset != UNKNOWN && sectionStart != UNKNOWN) {
      where = " at file offset 0x" + Long.toHexString(sectionStart + offset);
    } else if (offset != UNKNOWN) {
      where = " at offset 0x" + Long.toHexString(offset);
    } else if (sectionStart != UNKNOWN) {
      where = " (file offset 0x" + Long.toHexString(sectionStart) + ")";
    } else {
      where = "";
    }
    return section + where + ": " + detail;
  }

  /**
   * The same failure, for a section that starts at file offset {@code sectionStart}; unchanged if
   * the position in the file is already known.
   */
  public CorruptArtifactException inSectionAt(long sectionStart) {
    if (this.sectionStart != UNKNOWN) {
      return this;
    }
    CorruptArtifactException located = new CorruptArtifactException(section, offset, sectionStart, detail);
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** The section or ELF structure that failed, e.g. {@code .kiln.funcs} or {@code ELF header}. */
  public String section() {
    return section;
  }

  /** Where the failing field is in the file, when both the field and the section's place are known. */
  public OptionalLong fileOffset() {
    return offset != UNKNOWN && sectionStart != UNKNOWN ? OptionalLong.of(sectionStart + offset) : OptionalLong.empty();
  }

  /** What is wrong, without the location. */
  public String detail() {
    return detail;
  }
}
