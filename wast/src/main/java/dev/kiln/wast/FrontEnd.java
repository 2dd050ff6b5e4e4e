package dev.kiln.wast;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;

/**
 * Decode + validate, as the executor sees it: {@link #KILN} is the real front end; tests of the
 * engine pass a small fake so that they check the runner, not the decoder.
 */
@FunctionalInterface
public interface FrontEnd {
  /** Kiln's decoder and validator with the script's features (see {@link Proposal}). */
  FrontEnd KILN = Wasm::load;

  /**
   * Decodes and validates a module.
   *
   * @param features the proposals the script was written for
   * @throws dev.kiln.wasm.MalformedException if it does not decode
   * @throws dev.kiln.wasm.InvalidException if it does not validate
   */
  Module load(byte[] bytes, Features features);
}
