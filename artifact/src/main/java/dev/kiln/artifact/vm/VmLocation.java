package dev.kiln.artifact.vm;

/**
 * Where an entity's definition lives as seen from a VMContext: inside it, or in another instance's
 * VMContext (or host storage) reached through a pointer stored in this one. Imported memories,
 * tables and globals are shared with their exporter, so a copy would go stale when the owner grows
 * the memory or sets the global; the pointer keeps one definition (spec 4.5.3: imports are
 * references to the exporter's instances, not copies).
 */
public sealed interface VmLocation {
  /**
   * The definition starts at {@code offset} in this VMContext.
   *
   * @param offset byte offset of the definition's first field
   */
  record Inline(int offset) implements VmLocation {}

  /**
   * The definition starts at the address stored in the 8-byte pointer at {@code pointerOffset}.
   *
   * @param pointerOffset byte offset of the pointer in this VMContext
   */
  record ViaPointer(int pointerOffset) implements VmLocation {}
}
