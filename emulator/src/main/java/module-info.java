/**
 * Kiln's emulator: runs AArch64 code on an x86-64 host in Unicorn 2, so that both targets are tested
 * on one machine. The loader finds it through {@code dev.kiln.loader.exec.spi.ExecutorProvider} and
 * imports nothing of it: a deployment that runs only its host's code leaves this module out.
 *
 * <p>It exports nothing: its failures reach the API as the loader's {@code ExecutorException}, and
 * the tests that drive Unicorn directly read it from the class path.
 */
module dev.kiln.emulator {
  requires transitive dev.kiln.loader;

  provides dev.kiln.loader.exec.spi.ExecutorProvider with dev.kiln.emulator.UnicornExecutorProvider;
}
