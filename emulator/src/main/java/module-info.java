/**
 * Kiln's emulator: runs AArch64 code on an x86-64 host in Unicorn 2, so that both targets are tested
 * on one machine. The loader finds it through {@code dev.kiln.loader.exec.spi.ExecutorProvider} and
 * imports nothing of it: a deployment that runs only its host's code leaves this module out.
 *
 * <p>Its package is exported only to the command line, which reports an {@code EmulatorException} as
 * one error line; a module named there may be absent when this one is compiled alone, hence the
 * {@code module} lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.emulator {
  requires transitive dev.kiln.loader;

  exports dev.kiln.emulator to dev.kiln.cli;

  provides dev.kiln.loader.exec.spi.ExecutorProvider with dev.kiln.emulator.UnicornExecutorProvider;
}
