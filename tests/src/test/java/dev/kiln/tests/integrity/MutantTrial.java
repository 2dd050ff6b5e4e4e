package dev.kiln.tests.integrity;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.index.FunctionIndex;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads one damaged artifact the way {@code kiln run} does and judges what happened. The rule: a
 * damaged artifact is refused with an {@link ArtifactException} whose message is one line, or it
 * runs and gives exactly the right answer. Behind a recomputed seal (a "resealed" mutant, as a
 * faulty writer would make it) there is a third honest outcome: the loader accepted well-formed
 * tables or code that differ from the original's. Such an artifact is a different program, whose
 * code the loader trusts as the seal's signer vouched for it, so it is not run; the test still
 * demands that the loader found every section exactly where the writer put it, and, when the code
 * and the function index are the original's and no start function would run, that instantiating
 * the changed module info fails only the documented ways (refused, uninstantiable, unlinkable).
 */
final class MutantTrial {
  /** What became of a mutant that broke no rule. */
  enum Outcome {
    REFUSED,
    RAN_CORRECTLY,
    /** Accepted with changed content; instantiated (refusals allowed) but nothing called. */
    CHANGED_INSTANTIATED,
    /** Accepted with changed code, function index or a start function: only loaded. */
    CHANGED_LOADED
  }

  /** A mutant that broke the rule: the JVM survived, but the loader or the run did something wrong. */
  static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;

    Violation(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final CorruptionSubject subject;
  private final CwasmFile original;

  MutantTrial(CorruptionSubject subject) {
    this.subject = subject;
    this.original = CwasmFile.open(MemorySegment.ofArray(subject.artifact()));
  }

  Outcome judge(byte[] mutant) throws Violation {
    LoadedModule module;
    try {
      module = LoadedModule.fromBytes(mutant, null);
    } catch (ArtifactException refused) {
      return refused(refused);
    } catch (Throwable escaped) {
      throw new Violation("loading threw " + escaped, escaped);
    }
    try (module) {
      try {
        module.file().traps(); // validated on first use: as good as at load for this judgement
        module.file().addressMap();
      } catch (ArtifactException refused) {
        return refused(refused);
      } catch (Throwable escaped) {
        throw new Violation("opening the trap table or address map threw " + escaped, escaped);
      }
      EnumSet<KilnSection> changed = EnumSet.noneOf(KilnSection.class);
      for (KilnSection section : KilnSection.values()) {
        if (module.file().fileOffset(section) != original.fileOffset(section)) {
          throw new Violation("accepted with " + section.elfName() + " at file offset 0x"
              + Long.toHexString(module.file().fileOffset(section)) + " instead of 0x"
              + Long.toHexString(original.fileOffset(section)), null);
        }
        if (module.file().section(section).mismatch(original.section(section)) != -1) {
          changed.add(section);
        }
      }
      if (changed.contains(KilnSection.HANDLERS) || changed.contains(KilnSection.STACKMAPS)) {
        checkSideTables(module.file());
      }
      if (!changed.isEmpty()) {
        if (changed.contains(KilnSection.TEXT) || changed.contains(KilnSection.FUNCS)
            || module.info().start().isPresent()) {
          return Outcome.CHANGED_LOADED;
        }
        instantiateOnly(module);
        return Outcome.CHANGED_INSTANTIATED;
      }
      List<WasmValue> results = run(module);
      if (!results.equals(subject.expected())) {
        throw new Violation("ran and returned " + results + " instead of " + subject.expected(), null);
      }
      return Outcome.RAN_CORRECTLY;
    }
  }

  /**
   * What the loader promises of side tables it accepted behind a seal (docs/SECURITY.md, section
   * 7), checked here apart from its own checks: every stack map's frame is a whole number of 16-byte
   * units up to 1 GiB and each slot an 8-byte word inside it; every entry of either table returns
   * into a function after its first byte, a handler lands in that same function's body, and one
   * function's entries give one frame depth. So whatever a resealed table says, neither the
   * collector's frame walk nor the unwinder reads or writes outside the frame or function it names.
   */
  private static void checkSideTables(CwasmFile file) throws Violation {
    FunctionIndex functions = file.functions();
    Map<Integer, Integer> depths = new HashMap<>();
    List<String> broken = new ArrayList<>();
    file.stackMaps().forEach((ret, map) -> {
      int frame = map.frameBelowFp();
      if (frame % 16 != 0 || frame < 0 || frame > (1 << 30)) {
        broken.add("stack map at " + ret + " has a frame of " + frame + " bytes");
      }
      for (int slot : map.slotOffsets()) {
        if (slot % 8 != 0 || slot < 0 || slot + 8 > frame) {
          broken.add("stack map at " + ret + " has slot sp+" + slot + " outside its frame of " + frame);
        }
      }
      entry(functions, depths, broken, "stack map", ret, frame, -1);
    });
    file.handlers().forEach((ret, landing) ->
        entry(functions, depths, broken, "handler", ret, landing.frameBelowFp(), landing.landingOffset()));
    if (!broken.isEmpty()) {
      throw new Violation("accepted a side table that breaks the loader's promise: " + broken.getFirst(), null);
    }
  }

  private static void entry(FunctionIndex functions, Map<Integer, Integer> depths, List<String> broken, String what,
      int ret, int frame, int landing) {
    TextRange function = functions.keyAt(ret).flatMap(functions::lookup).filter(r -> r.contains(ret)).orElse(null);
    if (function == null || ret <= function.start()) {
      broken.add(what + " at " + ret + " returns into no function's body");
      return;
    }
    if (landing >= 0 && (landing <= function.start() || landing >= function.end())) {
      broken.add(what + " at " + ret + " lands at " + landing + ", outside its function");
    }
    Integer depth = depths.putIfAbsent(function.start(), frame);
    if (depth != null && depth != frame) {
      broken.add(what + " at " + ret + " gives frame " + frame + " where its function's other entries give " + depth);
    }
  }

  private static Outcome refused(ArtifactException refused) throws Violation {
    String message = refused.getMessage();
    if (message == null || message.isBlank() || message.contains("\n")) {
      throw new Violation("refused without a one-line message: " + message, refused);
    }
    return Outcome.REFUSED;
  }

  /** Instantiates without calling anything: only the loader's own work on the changed module info. */
  private void instantiateOnly(LoadedModule module) throws Violation {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store, module.file().target());
      subject.imports().accept(linker);
      linker.instantiate(module).close();
    } catch (ArtifactException | ModuleInstantiationException | ImportLinkException documented) {
      // The ways instantiation may refuse a module.
    } catch (Throwable escaped) {
      throw new Violation("instantiating changed module info threw " + escaped, escaped);
    }
  }

  private List<WasmValue> run(LoadedModule module) throws Violation {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store, module.file().target());
      subject.imports().accept(linker);
      try (LoadedInstance instance = linker.instantiate(module)) {
        return instance.invoke(subject.export(), subject.args());
      }
    } catch (Throwable failed) {
      throw new Violation("an accepted artifact with the original's sections failed to run: " + failed, failed);
    }
  }
}
