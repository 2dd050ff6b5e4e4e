package dev.kiln.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code kiln --version}: the version from the jar manifest, or "dev" when run from classes. */
final class KilnVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"kiln " + current()};
  }

  /** The version compat headers record and the module cache keys on: the manifest's, or "dev". */
  static String current() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
