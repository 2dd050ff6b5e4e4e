package dev.kiln.disasm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * npm's {@code capstone-wasm} package, pinned: Capstone 5.0 compiled to one WebAssembly module
 * ({@code dist/capstone.wasm}) with its JavaScript loader. It is Kiln's x86-64 disassembler on a
 * machine without Debian's {@code libcapstone4}: {@code kiln objdump} runs the module on Kiln, the
 * encoder tests run it on Node through the package's own API.
 *
 * <p>The package is fetched on first use by {@link PinnedNpmPackage} (checked against the pinned
 * {@code dist.integrity}, {@code npm view capstone-wasm@1.0.3 dist.integrity}, unpacked into {@code
 * $XDG_CACHE_HOME/kiln-capstone-wasm/1.0.3}, else {@code ~/.cache/...}). A machine without npm gets a
 * {@link DisassemblerUnavailableException} whose one line says what to install.
 */
public final class CapstoneWasmPackage {
  public static final String NAME = "capstone-wasm";
  public static final String VERSION = "1.0.3";
  /** {@code dist.integrity} of capstone-wasm 1.0.3 on registry.npmjs.org. */
  static final String INTEGRITY =
      "sha512-4DCE+JsgZ2eDUUp1kDDTa6pxD4m3hY5Eh1Xl6r7XKD/g3Jxt7IOnidCJsAKXua2aTL6SAqUGsdKJ184K3rXGwA==";
  private static final String WASM = "dist/capstone.wasm";
  static final PinnedNpmPackage PACKAGE = new PinnedNpmPackage(NAME, VERSION, INTEGRITY, WASM);

  private final Path directory;

  private CapstoneWasmPackage(Path directory) {
    this.directory = directory;
  }

  /** The unpacked package (its {@code package.json} at the top), fetched first if it is not there yet. */
  public Path directory() {
    return directory;
  }

  /** Capstone compiled to WebAssembly. */
  public Path wasm() {
    return directory.resolve(WASM);
  }

  /**
   * The package in this user's cache, fetched with npm if it is not there.
   *
   * @throws DisassemblerUnavailableException if it is not there and cannot be fetched (no npm, no
   *     network, a tarball that does not match the pinned integrity)
   */
  public static CapstoneWasmPackage obtain() {
    return obtain(cacheRoot(System.getenv()).resolve(VERSION), List.of("npm", "pack", "--silent", PACKAGE.spec()));
  }

  /** The package unpacked under {@code home}, fetched there first by {@code pack} if it is not. */
  static CapstoneWasmPackage obtain(Path home, List<String> pack) {
    try {
      return new CapstoneWasmPackage(PACKAGE.obtain(home, pack));
    } catch (PinnedNpmPackage.UnavailableException e) {
      if (e.noCommand()) {
        throw new DisassemblerUnavailableException("no Capstone for this ISA: install Debian's libcapstone4"
            + " (apt-get install libcapstone4), or " + pack.get(0) + " (not on PATH), which fetches "
            + PACKAGE.spec(), e);
      }
      throw new DisassemblerUnavailableException(e.getMessage(), e);
    }
  }

  /** Where packages go: beside the compiled-module cache, so {@code kiln cache clean} leaves them. */
  static Path cacheRoot(Map<String, String> environment) {
    return PACKAGE.cacheRoot(environment);
  }
}
