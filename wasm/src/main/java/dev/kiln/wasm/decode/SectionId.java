package dev.kiln.wasm.decode;

/**
 * Section ids of the binary format (spec 5.5.2) in the order non-custom sections must appear (spec
 * 5.5.16). The data count section has id 12 but comes between the element and code sections, which
 * is why the order is the enum's, not the id's; so does
 * WebAssembly 3.0's tag section (id 13, between memories and globals).
 */
enum SectionId {
  CUSTOM(0),
  TYPE(1),
  IMPORT(2),
  FUNCTION(3),
  TABLE(4),
  MEMORY(5),
  TAG(13),
  GLOBAL(6),
  EXPORT(7),
  START(8),
  ELEMENT(9),
  DATA_COUNT(12),
  CODE(10),
  DATA(11);

  private static final SectionId[] BY_ID = new SectionId[14];

  static {
    for (SectionId s : values()) {
      BY_ID[s.id] = s;
    }
  }

  private final int id;

  SectionId(int id) {
    this.id = id;
  }

  /** The section with binary id {@code id}, or null when no section has that id. */
  static SectionId of(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }
}
