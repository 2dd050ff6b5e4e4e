package dev.kiln.artifact.vm;

import dev.kiln.artifact.IncompatibleArtifactException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an embedder can stop a guest that does not stop by itself: two compile settings, as
 * Wasmtime's {@code Config::epoch_interruption} and {@code Config::consume_fuel}, recorded in the
 * compat header because both change the code and what the runtime must set up.
 *
 * <ul>
 *   <li><b>Epoch interruption.</b> Every loop header, and the entry of every function that calls
 *       another, loads the engine's epoch (through {@link StoreLayout#EPOCH_PTR}) and traps with
 *       {@code INTERRUPT} when it is at or past the store's {@link StoreLayout#EPOCH_DEADLINE}
 *       (unsigned). The embedder, or a timer thread, increments the epoch. Checks at entries as
 *       well as loops bound the time to the next check even in loop-free code that calls deeply; a
 *       function that calls nothing runs straight to a loop header or its return, so its entry needs
 *       none (Wasmtime checks every entry). A deadline of 0 (a fresh store's) traps at the first
 *       check, as in Wasmtime.
 *   <li><b>Fuel.</b> Each executed wasm operator costs 1, except {@code nop}, {@code drop}, {@code
 *       block}, {@code loop}, {@code end}, {@code else}, {@code unreachable} and {@code return}
 *       which cost 0 (Wasmtime's default cost model). The count is added to {@link
 *       StoreLayout#FUEL_CONSUMED} (minus the fuel left), and function entries and loop headers
 *       trap with {@code OUT_OF_FUEL} once it is {@code >= 0}. The count comes from the wasm
 *       alone, so the trap comes after the same operators on every run and on every target.
 * </ul>
 *
 * <p>The checks are in compiled code only: a guest blocked in a host function (a WASI read) stops
 * when the call returns to wasm, and a bulk operation (memory.copy of a gigabyte) finishes first.
 *
 * <p>A runtime that asks for other limits than an artifact was compiled with refuses it ({@link
 * #requireSameAs}): code without checks cannot be stopped, and code with them would stop at once in
 * a store nobody gave a deadline or fuel.
 *
 * @param epochInterruption whether the code checks the epoch deadline
 * @param consumeFuel whether the code counts and checks fuel
 */
public record ExecutionLimits(boolean epochInterruption, boolean consumeFuel) {
  /** The compat-header setting recording {@link #epochInterruption()}, {@code "true"} or {@code "false"}. */
  public static final String EPOCH_INTERRUPTION_SETTING = "epoch_interruption";
  /** The compat-header setting recording {@link #consumeFuel()}, {@code "true"} or {@code "false"}. */
  public static final String CONSUME_FUEL_SETTING = "consume_fuel";

  /** Neither check: code that runs until it returns or traps by itself. */
  public static final ExecutionLimits NONE = new ExecutionLimits(false, false);

  /** The compat-header settings for these limits. */
  public Map<String, String> settings() {
    return Map.of(EPOCH_INTERRUPTION_SETTING, Boolean.toString(epochInterruption),
        CONSUME_FUEL_SETTING, Boolean.toString(consumeFuel));
  }

  /**
   * The limits an artifact's compat-header settings record. An absent setting means false: an
   * artifact written before these settings existed has neither check.
   *
   * @throws IncompatibleArtifactException if a setting is neither {@code "true"} nor {@code "false"}
   */
  public static ExecutionLimits fromSettings(Map<String, String> settings) {
    return new ExecutionLimits(flag(settings, EPOCH_INTERRUPTION_SETTING), flag(settings, CONSUME_FUEL_SETTING));
  }

  private static boolean flag(Map<String, String> settings, String name) {
    String value = settings.getOrDefault(name, "false");
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IncompatibleArtifactException(
          "setting " + name + " is \"" + value + "\" in the artifact; this runtime knows \"true\" and \"false\"");
    };
  }

  /**
   * Refuses code compiled with other limits than these (the runtime's), naming each difference
   * and what to do about it in one message.
   *
   * @throws IncompatibleArtifactException if {@code compiled} differs
   */
  public void requireSameAs(ExecutionLimits compiled) {
    List<String> problems = new ArrayList<>();
    if (compiled.epochInterruption != epochInterruption) {
      problems.add(epochInterruption
          ? "it was compiled without epoch interruption, which this runtime asks for (a timeout);"
              + " recompile it with epoch interruption (kiln compile --epoch-interruption)"
          : "it was compiled with epoch interruption, which this runtime does not ask for (without a"
              + " deadline its code traps at once); give it a timeout (kiln run --timeout) or recompile"
              + " it without --epoch-interruption");
    }
    if (compiled.consumeFuel != consumeFuel) {
      problems.add(consumeFuel
          ? "it was compiled without fuel metering, which this runtime asks for (fuel);"
              + " recompile it with fuel metering (kiln compile --consume-fuel)"
          : "it was compiled with fuel metering, which this runtime does not ask for (without fuel"
              + " its code traps at once); give it fuel (kiln run --fuel N) or recompile it without"
              + " --consume-fuel");
    }
    if (!problems.isEmpty()) {
      throw new IncompatibleArtifactException("incompatible artifact: " + String.join("; ", problems));
    }
  }
}
