/** The {@code kiln} command line: validate, wast (and, as they land, compile, run, objdump, inspect). */
module dev.kiln.cli {
  requires dev.kiln.wasm;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  opens dev.kiln.cli to info.picocli;
}
