package dev.kiln.compiler.driver;

import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.compiler.link.LinkException;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.compiler.link.Linker;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Module;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * Links a {@link CompiledModule} and writes it as a {@code .cwasm} (docs/ARCHITECTURE.md section 3,
 * docs/cwasm-format.md): the compat header (target, Kiln version, the backend's settings and the
 * code-changing compile options), {@code .text} with the function index, trap table and address map
 * from the linker, {@code .kiln.info} (module info, which also carries the function names from the
 * wasm name section for backtraces and tools) and {@code .kiln.data} (every data segment's bytes,
 * concatenated in segment order).
 */
public final class ArtifactEmitter {
  private ArtifactEmitter() {}

  /**
   * Links {@code compiled} with its roots and symbol names.
   *
   * @throws LinkException if linking fails
   */
  public static LinkedText link(CompiledModule compiled) {
    Module module = compiled.environment().module();
    List<Map.Entry<String, Integer>> exports = module.exports().stream()
        .filter(e -> e.kind() == ExternKind.FUNC)
        .map(e -> Map.entry(e.name(), e.index()))
        .toList();
    SymbolNames names = SymbolNames.of(module.names().functionNames(), exports, module.importedFunctionCount());
    return new Linker(compiled.target()).link(compiled.functions(), compiled.roots(), names::of);
  }

  /**
   * The artifact's bytes.
   *
   * @throws LinkException if a function's table entry or relocation is out of place ({@link
   *     LinkedText#writeTo}, {@link LinkedText#textImage})
   */
  public static byte[] emit(CompiledModule compiled, LinkedText linked, String kilnVersion) {
    return writer(compiled, linked, kilnVersion).toByteArray();
  }

  /**
   * A writer given everything the artifact holds, before it lays the file out. It keeps the text
   * and the tables' entries, not {@code compiled} or {@code linked}: a caller that drops those
   * before {@link CwasmWriter#toByteArray} frees every compiled function's code and tables while
   * the file is made (issue 40, "bounded memory"). The text's relocations are checked as the writer
   * writes it, so its {@code toByteArray} or {@code writeTo} may throw {@link LinkException} too, and
   * then makes no artifact.
   *
   * @throws LinkException if a function's table entry is out of place ({@link LinkedText#writeTo})
   */
  public static CwasmWriter writer(CompiledModule compiled, LinkedText linked, String kilnVersion) {
    Module module = compiled.environment().module();
    CwasmWriter writer = new CwasmWriter(CompatHeader.current(kilnVersion, compiled.target(), compiled.settings()));
    linked.writeTo(writer);
    writer.moduleInfo(ModuleInfoEncoding.encode(module, compiled.environment().escaping()));
    writer.data(dataBytes(module));
    return writer;
  }

  /** Every data segment's bytes in segment order: segment {@code i} starts at the sum of the earlier lengths. */
  static byte[] dataBytes(Module module) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (DataSegment d : module.data()) {
      out.write(d.source(), d.start(), d.length());
    }
    return out.toByteArray();
  }
}
