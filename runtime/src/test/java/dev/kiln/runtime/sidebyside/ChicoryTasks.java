package dev.kiln.runtime.sidebyside;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The three tasks of docs/EMBEDDING.md in Chicory 1.7 (the document quotes these methods' bodies). */
final class ChicoryTasks {
  private ChicoryTasks() {}

  static int callExport(Path wasm) {
    Instance instance = Instance.builder(Parser.parse(wasm)).build();
    ExportFunction add = instance.export("add");
    return (int) add.apply(2, 40)[0];
  }

  static String hostFunctionWithMemory(byte[] wasm) {
    StringBuilder printed = new StringBuilder();
    HostFunction print = new HostFunction("env", "print",
        FunctionType.of(List.of(ValType.I32, ValType.I32), List.of()), (instance, args) -> {
          printed.append(instance.memory().readString((int) args[0], (int) args[1]));
          return null;
        });
    Instance instance = Instance.builder(Parser.parse(wasm))
        .withImportValues(ImportValues.builder().addFunction(print).build()).build();
    instance.export("greet").apply();
    return printed.toString();
  }

  static String runWasi(byte[] wasm) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(WasiOptions.builder()
        .withArguments(List.of("hello")).withStdout(stdout).build()).build()) {
      Instance instance = Instance.builder(Parser.parse(wasm))
          .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
          .withStart(false).build();
      try {
        instance.export("_start").apply();
      } catch (WasiExitException exit) {
        System.err.println("exit status " + exit.exitCode());
      }
    }
    return stdout.toString(StandardCharsets.UTF_8);
  }
}
