package dev.kiln.cli;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.compiler.driver.SymbolNames;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@code .cwasm} opened for {@code kiln inspect} and {@code kiln objdump}: the checked file
 * ({@link CwasmFile#open} validates every structure before anything is read), its module info, and
 * the symbol name of each function as the compiler chose it: the module info's function names (from
 * the wasm name section), else the export name. Any damage surfaces as an {@code ArtifactException}
 * from {@link #open}, which the commands print as one line.
 */
record OpenedArtifact(CwasmFile file, ModuleInfo info, SymbolNames symbols) {
  static OpenedArtifact open(Path path, Arena arena) throws IOException {
    CwasmFile file = CwasmFile.read(path, arena);
    ModuleInfo info = file.moduleInfo();
    List<Map.Entry<String, Integer>> exports = info.exports().stream()
        .filter(e -> e.kind() == ExternKind.FUNCTION)
        .map(e -> Map.entry(e.name(), e.index()))
        .toList();
    return new OpenedArtifact(file, info,
        SymbolNames.of(info.functionNames(), exports, info.importedFunctionCount()));
  }

  String nameOf(FuncKey key) {
    return symbols.of(key);
  }
}
