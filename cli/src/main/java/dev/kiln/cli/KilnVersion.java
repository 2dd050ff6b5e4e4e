package dev.kiln.cli;

/** Kiln's version: the jar manifest's, or "dev" when run from classes. */
final class KilnVersion {
  private KilnVersion() {}

  /** The version {@code --version} prints, compat headers record and the module cache keys on. */
  static String current() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
