package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.tools.ArtifactContents;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kiln inspect FILE.cwasm}: what an artifact holds, read through the same checks the loader
 * uses ({@link ArtifactContents}): its seal (digest, signed or not), its sections with offsets and sizes, the compat header,
 * a summary of the module info, and the function index (its size, bytes per function, and every
 * entry with key, kind, text offset, size and name). A corrupt or foreign file is one line on stderr and exit 1.
 */
final class InspectCommand implements Subcommand {
  private static final ParameterSpec<Path> FILE =
      ParameterSpec.one("FILE.cwasm", ValueType.INPUT_FILE, "the artifact to describe");

  private static final CommandSpec SPEC = new CommandSpec("inspect",
      List.of("Print the sections, compat header and function index of a .cwasm artifact."), List.of(), List.of(FILE),
      List.of(new ExitStatus("0", "printed"), new ExitStatus("1", "unreadable, corrupt or foreign file")), List.of());

  private Path file;

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
    file = args.get(FILE);
    try (Arena arena = Arena.ofConfined()) {
      try {
        // The side tables are checked when first read, so printing them can find damage too.
        print(out, ArtifactContents.open(file, arena));
      } catch (KilnException e) {
        out.flush();
        err.println("error: " + file + ": not a usable .cwasm: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, ArtifactContents artifact) {
    out.println(file + ": " + artifact.fileSize() + " bytes, seal " + artifact.seal());

    ArtifactContents.Header compat = artifact.header();
    out.println();
    out.println("compat header:");
    out.println("  format version  " + compat.formatVersion());
    out.println("  target          " + compat.target());
    out.println("  Kiln version    " + compat.kilnVersion());
    compat.settings().forEach((k, v) -> out.println("  setting         " + k + " = " + v));

    out.println();
    out.println("sections:");
    out.printf("  %-15s %10s %10s%n", "name", "offset", "size");
    for (ArtifactContents.Section s : artifact.sections()) {
      out.printf("  %-15s %#10x %10d%n", s.name(), s.fileOffset(), s.size());
    }

    ArtifactContents.ModuleSummary info = artifact.module();
    out.println();
    out.println("module:");
    out.printf("  %d types, %d imports, %d defined functions, %d tables, %d memories, %d globals%n",
        info.types(), info.imports(), info.definedFunctions(), info.tables(), info.memories(), info.globals());
    out.printf("  %d exports, %d element segments, %d data segments (%d bytes), %d escaping functions%s%n",
        info.exports().size(), info.elements(), info.dataSegments(), info.dataBytes(), info.escaping(),
        info.start().isPresent() ? ", start function " + info.start().getAsInt() : "");
    for (ArtifactContents.Export e : info.exports()) {
      out.println("  export \"" + e.name() + "\" " + e.kind() + " " + e.index());
    }

    ArtifactContents.IndexSummary index = artifact.index();
    out.println();
    out.printf("function index: %d bytes for %d functions (%.2f bytes per function); %d namespaces, %d runs, %d slots%n",
        index.sizeInBytes(), index.functionCount(), index.bytesPerFunction(), index.namespaceCount(),
        index.runCount(), index.slotCount());
    ArtifactContents.WasmtimeTable wasmtime = artifact.wasmtimeTable();
    out.printf("  Wasmtime's table for the same functions: %d bytes (%.2f bytes per function; %d without src_locs)%n",
        wasmtime.total(), index.functionCount() == 0 ? 0.0 : (double) wasmtime.total() / index.functionCount(),
        wasmtime.withoutSrcLocs());
    // key = namespace:index, the two u32s the index stores (docs/ARCHITECTURE.md section 3,
    // "FuncKey").
    out.printf("  %-20s %-28s %10s %8s  %s%n", "key", "kind", "offset", "size", "name");
    for (ArtifactContents.Function f : artifact.functions()) {
      String key = String.format("0x%08x:%d", f.namespace(), Integer.toUnsignedLong(f.index()));
      out.printf("  %-20s %-28s %#10x %8d  %s%n", key, f.kind(), f.start(), f.length(), f.name());
    }
    out.println();
    out.printf("text: %d bytes, %d trap sites, %d address map entries%n", artifact.textSize(),
        artifact.trapSiteCount(), artifact.addressMapSize());
  }
}
