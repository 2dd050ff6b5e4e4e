/** The {@code kiln} command line: validate, wast (and, as they land, compile, run, objdump, inspect). */
module dev.kiln.cli {
  requires transitive dev.kiln.wasm;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  exports dev.kiln.cli.wast;

  opens dev.kiln.cli to info.picocli;
  opens dev.kiln.cli.wast to info.picocli;
}
