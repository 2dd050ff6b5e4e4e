package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.FuncType;
import java.util.HashSet;
import java.util.Set;

/** Exports (spec 3.4.8, 3.4.10: names unique, indices in range) and the start function (3.4.9). */
final class ModuleExportRules {
  private ModuleExportRules() {}

  static void check(Module module, ValidationContext context) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < module.exports().size(); i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      Export e = module.exports().get(i);
      int at = module.offsets().exports().get(i);
      int count =
          switch (e.kind()) {
            case FUNC -> context.functionCount();
            case TABLE -> context.tables().size();
            case MEMORY -> context.memories().size();
            case GLOBAL -> context.globals().size();
            case TAG -> context.tagTypeIndices().size();
          };
      if (Integer.compareUnsigned(e.index(), count) >= 0) {
        String kind =
            switch (e.kind()) {
              case FUNC -> "function";
              case TABLE -> "table";
              case MEMORY -> "memory";
              case GLOBAL -> "global";
              case TAG -> "tag";
            };
        throw new InvalidException("unknown " + kind + " " + Integer.toUnsignedString(e.index()), at);
      }
      if (!names.add(e.name())) {
        throw new InvalidException("duplicate export name", at);
      }
    }
    if (module.start().isPresent()) {
      int start = module.start().getAsInt();
      int at = module.offsets().start();
      if (Integer.compareUnsigned(start, context.functionCount()) >= 0) {
        throw new InvalidException("unknown function " + Integer.toUnsignedString(start), at);
      }
      // Spec 3.4.9: the start function takes and returns nothing. The error is the start
      // section's, where the index is; the function itself may be well-formed.
      FuncType type = context.types().get(context.functionTypeIndices().get(start));
      if (!type.params().isEmpty() || !type.results().isEmpty()) {
        throw new InvalidException("start function", at, start);
      }
    }
  }
}
