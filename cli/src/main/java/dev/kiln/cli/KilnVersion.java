package dev.kiln.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code kiln --version}: the version from the jar manifest, or "dev" when run from classes. */
final class KilnVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"kiln " + (v == null ? "dev" : v)};
  }
}
