package dev.kiln.maven;

import dev.kiln.runtime.ExportType;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.ImportType;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.ValType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Java source of the class that calls a module: {@code public final class C implements
 * AutoCloseable}, made by {@code C.instantiate()} (a module without imports) or {@code
 * C.builder()...instantiate()} (an interface per import module, a lambda per imported function, WASI
 * in one call); one method per exported function with Java primitives, going through a {@code
 * DirectCall} resolved at instantiation (numbers only; a function with v128 or reference values goes
 * through {@code Func} with the API's {@code Val}); a record for several results; an accessor per
 * exported memory, global and table. The class uses Kiln's public API only, and its text depends
 * only on the module's types and the settings, so the same inputs give the same file.
 */
final class BindingWriter {
  /** WASI preview1's import module: linked by {@code Linker.wasi}, not by generated interfaces. */
  private static final String WASI = "wasi_snapshot_preview1";
  /**
   * Members the class has whatever the module exports, {@code Object}'s, and the first names of the
   * packages it names qualified: a field {@code dev} would obscure {@code dev.kiln.runtime} (JLS
   * 6.4.2; red team 40: an export named {@code dev}).
   */
  private static final Set<String> CLASS_MEMBERS = Set.of("instantiate", "builder", "engine", "module", "store",
      "instance", "close", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
      "finalize", "newEngine", "dev", "java");
  private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "getClass", "notify",
      "notifyAll", "wait", "clone", "finalize");
  private static final Set<String> BUILDER_MEMBERS = Set.of("store", "wasi", "link", "instantiate", "bindings",
      "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
  /**
   * The types the class names unqualified, the API's and java.util's it imports and java.lang's: no
   * nested type may take their names, or it would hide them in the whole class (JLS 6.4.1; red team
   * 40 F1: an import module named {@code String}).
   */
  private static final Set<String> UNQUALIFIED_TYPES = Set.of("DirectCall", "Engine", "Func", "FuncType", "Global",
      "Instance", "Linker", "List", "Memory", "Store", "Table", "Val", "ValType", "WasiOptions", "WasmModule",
      "Builder", "Consumer", "Objects", "String", "Object", "Override", "FunctionalInterface", "RuntimeException",
      "IllegalStateException", "Runnable", "AutoCloseable", "Double", "Float");

  /**
   * Names a builder method's body uses itself, which its parameters (one per imported function)
   * must not take: the field it adds to, its lambdas' parameters ({@link #writeBuilder}) and the
   * first names of the packages it names qualified.
   */
  private static final Set<String> BUILDER_METHOD_NAMES = Set.of("bindings", "linker", "caller", "args", "dev", "java");

  /** A typed host-function shape the API links without {@code Val}s: its interface and method. */
  private record Shape(String iface, String method) {}

  private static final Map<FuncType, Shape> HOST_SHAPES = new LinkedHashMap<>();

  static {
    host("Runnable", "run", List.of(), List.of());
    host("java.util.function.IntSupplier", "getAsInt", List.of(), List.of(ValType.I32));
    host("java.util.function.LongSupplier", "getAsLong", List.of(), List.of(ValType.I64));
    host("java.util.function.DoubleSupplier", "getAsDouble", List.of(), List.of(ValType.F64));
    host("java.util.function.IntConsumer", "accept", List.of(ValType.I32), List.of());
    host("java.util.function.LongConsumer", "accept", List.of(ValType.I64), List.of());
    host("java.util.function.DoubleConsumer", "accept", List.of(ValType.F64), List.of());
    host("java.util.function.IntUnaryOperator", "applyAsInt", List.of(ValType.I32), List.of(ValType.I32));
    host("java.util.function.IntBinaryOperator", "applyAsInt", List.of(ValType.I32, ValType.I32),
        List.of(ValType.I32));
    host("java.util.function.LongUnaryOperator", "applyAsLong", List.of(ValType.I64), List.of(ValType.I64));
    host("java.util.function.LongBinaryOperator", "applyAsLong", List.of(ValType.I64, ValType.I64),
        List.of(ValType.I64));
    host("java.util.function.DoubleUnaryOperator", "applyAsDouble", List.of(ValType.F64), List.of(ValType.F64));
    host("java.util.function.DoubleBinaryOperator", "applyAsDouble", List.of(ValType.F64, ValType.F64),
        List.of(ValType.F64));
    host("java.util.function.IntToLongFunction", "applyAsLong", List.of(ValType.I32), List.of(ValType.I64));
    host("java.util.function.LongToIntFunction", "applyAsInt", List.of(ValType.I64), List.of(ValType.I32));
  }

  private static void host(String iface, String method, List<ValType> params, List<ValType> results) {
    HOST_SHAPES.put(FuncType.of(params, results), new Shape(iface, method));
  }

  /** The most arguments {@code DirectCall} takes without an array. */
  private static final int DIRECT_ARITY = 4;

  private final BuildSettings settings;
  private final StringBuilder out = new StringBuilder();
  private final JavaNames types;
  private final JavaNames members = new JavaNames(CLASS_MEMBERS);

  private BindingWriter(BuildSettings settings) {
    this.settings = settings;
    java.util.HashSet<String> reservedTypes = new java.util.HashSet<>(UNQUALIFIED_TYPES);
    reservedTypes.add(settings.simpleName());
    this.types = new JavaNames(reservedTypes);
  }

  /** The class's source for a module with these imports and exports. */
  static String write(BuildSettings settings, List<ImportType> imports, List<ExportType> exports) {
    return new BindingWriter(settings).source(imports, exports);
  }

  /** An import module's functions, with the Java names given to them. */
  private record ImportModule(String wasmName, String iface, String builderMethod, List<HostFunction> functions) {}

  private record HostFunction(String wasmName, String iface, String method, String param, FuncType type) {}

  /** An exported function, memory, global or table, with its Java member name and result record. */
  private record Export(ExportType export, String member, String resultRecord) {}

  private String source(List<ImportType> imports, List<ExportType> exports) {
    String name = settings.simpleName();
    boolean wasi = imports.stream().anyMatch(i -> i.module().equals(WASI));
    List<ImportModule> modules = importModules(imports);
    // an exception tag has no Java accessor: the generated class names the module's other exports
    List<Export> members = exports.stream().filter(e -> !(e.type() instanceof dev.kiln.runtime.TagType))
        .map(this::export).toList();
    boolean needsBuilder = !imports.isEmpty();

    line("/**");
    line(" * The WebAssembly module <code>" + doc(settings.moduleLabel()) + "</code>, compiled by Kiln at build time for "
        + settings.targets().stream().map(Target::displayName).collect(Collectors.joining(" and ")) + ".");
    line(" * The code for this host's target is packed beside this class and loaded from it, checked as any");
    line(" * artifact ({@link WasmModule#fromClassPath})" + (settings.embedWasm()
        ? "; on a host no packed artifact fits, the packed module is compiled at first use." : "."));
    line(" * Compiled with epoch interruption " + onOff(settings.epochInterruption()) + ", fuel metering "
        + onOff(settings.consumeFuel()) + ", explicit bounds checks " + onOff(settings.explicitBoundsChecks())
        + (settings.consumeFuel() ? " (a store starts with no fuel: give it some with {@code store().setFuel(n)})" : "")
        + ".");
    line(" *");
    line(" * <p>An instance lives in a store of its own, which {@link #close()} closes. Like its store, it is");
    line(" * used by one thread at a time.");
    line(" */");
    line("public final class " + name + " implements AutoCloseable {");
    line("  private static final Object LOCK = new Object();");
    line("  private static Engine engine;");
    line("  private static WasmModule module;");
    line("");
    line("  private final Store store;");
    line("  private final Instance instance;");
    for (Export e : members) {
      line("  private final " + fieldType(e.export()) + " " + e.member() + ";");
    }
    line("");
    line("  private " + name + "(Store store, Instance instance) {");
    line("    this.store = store;");
    line("    this.instance = instance;");
    for (Export e : members) {
      line("    this." + e.member() + " = " + resolveExport(e.export()) + ";");
    }
    line("  }");
    line("");
    writeStatics(name);
    writeExportCheck(name, members);
    if (needsBuilder) {
      writeBuilderFactory(name);
    } else {
      writeInstantiate(name);
    }
    for (Export e : members) {
      writeExport(e);
    }
    line("  /**");
    line("   * The store this instance lives in: its fuel, epoch deadline and limits.");
    line("   *");
    line("   * @return the store");
    line("   */");
    line("  public Store store() {");
    line("    return store;");
    line("  }");
    line("");
    line("  /**");
    line("   * The instance, for what this class does not cover (exports by name).");
    line("   *");
    line("   * @return the instance");
    line("   */");
    line("  public Instance instance() {");
    line("    return instance;");
    line("  }");
    line("");
    line("  /** Closes the instance and its store; its memory is freed. */");
    line("  @Override");
    line("  public void close() {");
    line("    store.close();");
    line("  }");
    for (Export e : members) {
      if (e.resultRecord() != null) {
        writeResultRecord(e);
      }
    }
    for (ImportModule m : modules) {
      writeImportInterface(m);
    }
    if (needsBuilder) {
      writeBuilder(name, modules, wasi);
    }
    line("}");
    return header() + out;
  }

  /** The file's first lines: where it comes from, its package, and the imports its body uses. */
  private String header() {
    String body = out.toString();
    StringBuilder head = new StringBuilder();
    head.append("// Generated by kiln-maven-plugin from ").append(javaComment(settings.moduleLabel()))
        .append(". Do not edit: the build\n// writes it again whenever the module or the plugin's settings change.\n");
    if (!settings.packageName().isEmpty()) {
      head.append("package ").append(settings.packageName()).append(";\n");
    }
    head.append('\n');
    for (String type : List.of("DirectCall", "Engine", "Func", "FuncType", "Global", "Instance", "Linker", "Memory",
        "Store", "Table", "Val", "ValType", "WasiOptions", "WasmModule")) {
      if (java.util.regex.Pattern.compile("\\b" + type + "\\b").matcher(body).find()) {
        head.append("import dev.kiln.runtime.").append(type).append(";\n");
      }
    }
    for (String type : List.of("java.util.List", "java.util.Objects", "java.util.function.Consumer")) {
      String simple = type.substring(type.lastIndexOf('.') + 1);
      if (java.util.regex.Pattern.compile("\\b" + simple + "\\b").matcher(body).find()) {
        head.append("import ").append(type).append(";\n");
      }
    }
    return head.append('\n').toString();
  }

  // ---------------------------------------------------------------------------------- statics

  private void writeStatics(String name) {
    line("  /**");
    line("   * The engine every instance of this class runs on, with the settings the code was compiled with.");
    if (settings.epochInterruption()) {
      line("   * Its {@link Engine#incrementEpoch()} interrupts a guest past its store's epoch deadline.");
    }
    line("   *");
    line("   * @return the engine");
    line("   */");
    line("  public static Engine engine() {");
    line("    synchronized (LOCK) {");
    line("      if (engine == null) {");
    line("        engine = Engine.builder().epochInterruption(" + settings.epochInterruption() + ").consumeFuel("
        + settings.consumeFuel() + ").explicitBoundsChecks(" + settings.explicitBoundsChecks() + ").build();");
    line("      }");
    line("      return engine;");
    line("    }");
    line("  }");
    line("");
    line("  /**");
    line("   * The compiled module, loaded from the class path at first use and kept.");
    line("   *");
    line("   * @return the module");
    line("   * @throws dev.kiln.runtime.KilnException if the packed artifact is damaged, or none fits this host");
    line("   *     and no module was packed to compile instead, or an export this class binds has another type");
    line("   *     in it than the class was generated for");
    line("   */");
    line("  public static WasmModule module() {");
    line("    synchronized (LOCK) {");
    line("      if (module == null) {");
    line("        module = checkExports(WasmModule.fromClassPath(engine(), " + name + ".class, " + literal(name) + "));");
    line("      }");
    line("      return module;");
    line("    }");
    line("  }");
    line("");
  }

  /**
   * The check the generated class makes when it loads its artifact: every export it binds has the
   * type it was generated for. The artifact is found on the class path by name, so a jar may carry
   * one of another module or another version (sealed and sound, so the loader takes it); without
   * this, a call would reinterpret the bits of a function of another signature (fewer results read
   * as zero) instead of failing once, naming the export.
   */
  private void writeExportCheck(String name, List<Export> members) {
    line("  /**");
    line("   * {@code loaded}, once each export this class binds has the type the class was generated for.");
    line("   *");
    line("   * @param loaded the module loaded from the class path");
    line("   * @return the module");
    line("   * @throws dev.kiln.runtime.KilnException naming the first export whose type differs (the module is closed)");
    line("   */");
    line("  private static WasmModule checkExports(WasmModule loaded) {");
    line("    java.util.Map<String, dev.kiln.runtime.ExternType> found = new java.util.HashMap<>();");
    line("    for (dev.kiln.runtime.ExportType export : loaded.exports()) {");
    line("      found.put(export.name(), export.type());");
    line("    }");
    for (Export e : members) {
      ExportType export = e.export();
      line("    expect(loaded, found, " + literal(export.name()) + ", dev.kiln.runtime.ExternKind."
          + export.type().kind().name() + ", " + expectedType(export) + ");");
    }
    line("    return loaded;");
    line("  }");
    line("");
    line("  private static void expect(WasmModule loaded, java.util.Map<String, dev.kiln.runtime.ExternType> found,");
    line("      String name, dev.kiln.runtime.ExternKind kind, dev.kiln.runtime.ExternType type) {");
    line("    dev.kiln.runtime.ExternType actual = found.get(name);");
    // representations only: the precise reference types number concrete types by engine (HeapType.Concrete)
    line("    if (actual == null || actual.kind() != kind || (type != null && !shape(type).equals(shape(actual)))) {");
    line("      loaded.close();");
    line("      throw new dev.kiln.runtime.KilnException(\"the artifact packed for " + name + " does not fit it: export \\\"\"");
    line("          + name + \"\\\" is \" + (actual == null ? \"missing\" : actual.kind() + \" \" + actual)");
    line("          + \" in the artifact, \" + kind + (type == null ? \"\" : \" \" + type) + \" in the class\", null);");
    line("    }");
    line("  }");
    line("");
    line("  private static Object shape(dev.kiln.runtime.ExternType type) {");
    line("    return switch (type) {");
    line("      case FuncType f -> List.of(f.params(), f.results());");
    line("      case dev.kiln.runtime.GlobalType g -> List.of(g.content(), g.mutable());");
    line("      default -> type;");
    line("    };");
    line("  }");
    line("");
  }

  /**
   * The type an export is checked against, as a Java expression: a function's and a global's whole
   * type (the class's calls and accessors depend on it), null for a memory or a table (the class
   * hands out the handle, whatever its limits).
   */
  private static String expectedType(ExportType export) {
    return switch (export.type()) {
      case FuncType f -> funcTypeLiteral(f);
      case dev.kiln.runtime.GlobalType g -> "new dev.kiln.runtime.GlobalType(ValType." + g.content().name() + ", "
          + g.mutable() + ")";
      default -> "null";
    };
  }

  private void writeInstantiate(String name) {
    line("  /**");
    line("   * A new instance, in a new store.");
    line("   *");
    line("   * @return the instance");
    line("   * @throws dev.kiln.runtime.Trap if the module's start function traps");
    line("   */");
    line("  public static " + name + " instantiate() {");
    line("    return instantiate(new Store(engine()));");
    line("  }");
    line("");
    line("  /**");
    line("   * A new instance in {@code store}, a store of {@link #engine()} made for it (e.g. with limits:");
    line("   * {@code Store.builder(engine())}); closing the instance closes the store.");
    line("   *");
    line("   * @param store the store");
    line("   * @return the instance");
    line("   * @throws dev.kiln.runtime.Trap if the module's start function traps");
    line("   */");
    line("  public static " + name + " instantiate(Store store) {");
    line("    try {");
    line("      return new " + name + "(store, new Linker(store).instantiate(module()));");
    line("    } catch (RuntimeException e) {");
    line("      store.close();");
    line("      throw e;");
    line("    }");
    line("  }");
    line("");
  }

  private void writeBuilderFactory(String name) {
    line("  /**");
    line("   * A builder that takes the module's imports, then instantiates it.");
    line("   *");
    line("   * @return the builder");
    line("   */");
    line("  public static Builder builder() {");
    line("    return new Builder();");
    line("  }");
    line("");
  }

  // ---------------------------------------------------------------------------------- exports

  private Export export(ExportType export) {
    String member = members.member(export.name());
    String record = null;
    if (export.type() instanceof FuncType f && f.results().size() > 1) {
      record = types.type(export.name(), "Result");
    }
    return new Export(export, member, record);
  }

  private static String fieldType(ExportType export) {
    return switch (export.type()) {
      case FuncType f -> direct(f) ? "DirectCall" : "Func";
      case dev.kiln.runtime.MemoryType m -> "Memory";
      case dev.kiln.runtime.GlobalType g -> "Global";
      case dev.kiln.runtime.TableType t -> "Table";
      case dev.kiln.runtime.TagType t -> throw new IllegalArgumentException("tag exports get no member");
    };
  }

  private static String resolveExport(ExportType export) {
    String name = literal(export.name());
    return switch (export.type()) {
      case FuncType f -> direct(f) ? "instance.func(" + name + ").direct()" : "instance.func(" + name + ")";
      case dev.kiln.runtime.MemoryType m -> "instance.memory(" + name + ")";
      case dev.kiln.runtime.GlobalType g -> "instance.global(" + name + ")";
      case dev.kiln.runtime.TableType t -> "instance.table(" + name + ")";
      case dev.kiln.runtime.TagType t -> throw new IllegalArgumentException("tag exports get no member");
    };
  }

  /** Whether a function is called through a {@code DirectCall}: numbers only, at most 64 of each. */
  private static boolean direct(FuncType f) {
    return f.params().size() <= 64 && f.results().size() <= 64
        && f.params().stream().allMatch(BindingWriter::numeric) && f.results().stream().allMatch(BindingWriter::numeric);
  }

  private void writeExport(Export e) {
    String what = switch (e.export().type()) {
      case FuncType f -> null;
      case dev.kiln.runtime.MemoryType m -> "memory";
      case dev.kiln.runtime.GlobalType g -> "global";
      case dev.kiln.runtime.TableType t -> "table";
      case dev.kiln.runtime.TagType t -> throw new IllegalArgumentException("tag exports get no member");
    };
    if (what != null) {
      line("  /**");
      line("   * The exported " + what + " <code>" + doc(e.export().name()) + "</code>.");
      line("   *");
      line("   * @return the " + what);
      line("   */");
      line("  public " + fieldType(e.export()) + " " + e.member() + "() {");
      line("    return " + e.member() + ";");
      line("  }");
      line("");
      return;
    }
    FuncType f = (FuncType) e.export().type();
    List<String> params = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      params.add(javaType(f.params().get(i)) + " a" + i);
    }
    String returnType = switch (f.results().size()) {
      case 0 -> "void";
      case 1 -> javaType(f.results().getFirst());
      default -> e.resultRecord();
    };
    line("  /**");
    line("   * Calls the exported function <code>" + doc(e.export().name()) + "</code>, " + "{@code " + f + "}.");
    line("   *");
    for (int i = 0; i < f.params().size(); i++) {
      line("   * @param a" + i + " argument " + i + " (" + typeName(f.params().get(i)) + ")");
    }
    if (!f.results().isEmpty()) {
      line("   * @return " + (f.results().size() == 1 ? "the result (" + typeName(f.results().getFirst()) + ")"
          : "the results"));
    }
    line("   * @throws dev.kiln.runtime.Trap if the code traps");
    line("   * @throws IllegalStateException if the instance is closed or another thread is using it");
    line("   */");
    line("  public " + returnType + " " + e.member() + "(" + String.join(", ", params) + ") {");
    if (direct(f)) {
      writeDirectBody(e, f);
    } else {
      writeFuncBody(e, f);
    }
    line("  }");
    line("");
  }

  private void writeDirectBody(Export e, FuncType f) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      words.add(toBits("a" + i, f.params().get(i)));
    }
    if (f.params().size() <= DIRECT_ARITY && f.results().size() <= 1) {
      String call = e.member() + ".call(" + String.join(", ", words) + ")";
      line(f.results().isEmpty() ? "    " + call + ";" : "    return " + fromBits(call, f.results().getFirst()) + ";");
      return;
    }
    line("    long[] out = new long[" + f.results().size() + "];");
    line("    " + e.member() + ".call(new long[] {" + String.join(", ", words) + "}, out);");
    if (f.results().size() == 1) {
      line("    return " + fromBits("out[0]", f.results().getFirst()) + ";");
    } else if (f.results().size() > 1) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < f.results().size(); i++) {
        parts.add(fromBits("out[" + i + "]", f.results().get(i)));
      }
      line("    return new " + e.resultRecord() + "(" + String.join(", ", parts) + ");");
    }
  }

  private void writeFuncBody(Export e, FuncType f) {
    List<String> vals = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      vals.add(toVal("a" + i, f.params().get(i)));
    }
    String call = e.member() + ".call(" + String.join(", ", vals) + ")";
    switch (f.results().size()) {
      case 0 -> line("    " + call + ";");
      case 1 -> line("    return " + fromVal(call + ".getFirst()", f.results().getFirst()) + ";");
      default -> {
        line("    List<Val> out = " + call + ";");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < f.results().size(); i++) {
          parts.add(fromVal("out.get(" + i + ")", f.results().get(i)));
        }
        line("    return new " + e.resultRecord() + "(" + String.join(", ", parts) + ");");
      }
    }
  }

  private void writeResultRecord(Export e) {
    FuncType f = (FuncType) e.export().type();
    line("");
    line("  /**");
    line("   * The results of <code>" + doc(e.export().name()) + "</code>, in order.");
    line("   *");
    List<String> components = new ArrayList<>();
    for (int i = 0; i < f.results().size(); i++) {
      line("   * @param r" + i + " result " + i + " (" + typeName(f.results().get(i)) + ")");
      components.add(javaType(f.results().get(i)) + " r" + i);
    }
    line("   */");
    line("  public record " + e.resultRecord() + "(" + String.join(", ", components) + ") {}");
  }

  // ---------------------------------------------------------------------------------- imports

  private List<ImportModule> importModules(List<ImportType> imports) {
    Map<String, List<ImportType>> byModule = new LinkedHashMap<>();
    for (ImportType i : imports) {
      if (!i.module().equals(WASI) && i.type() instanceof FuncType) {
        byModule.computeIfAbsent(i.module(), m -> new ArrayList<>()).add(i);
      }
    }
    JavaNames builderMethods = new JavaNames(BUILDER_MEMBERS);
    List<ImportModule> modules = new ArrayList<>();
    byModule.forEach((module, functions) -> {
      String iface = types.type(module, "");
      // A nested interface must not take the name of what encloses it, nor hide a type the
      // generated code names unqualified (JLS 6.4.1).
      Set<String> enclosingAndImported = new java.util.HashSet<>(UNQUALIFIED_TYPES);
      enclosingAndImported.addAll(Set.of(iface, settings.simpleName()));
      JavaNames nested = new JavaNames(enclosingAndImported);
      JavaNames methodParams = new JavaNames(BUILDER_METHOD_NAMES);
      List<HostFunction> hostFunctions = new ArrayList<>();
      for (ImportType i : functions) {
        hostFunctions.add(new HostFunction(i.name(), nested.type(i.name(), ""), new JavaNames(OBJECT_METHODS).member(i.name()),
            methodParams.member(i.name()), (FuncType) i.type()));
      }
      modules.add(new ImportModule(module, iface, builderMethods.member(module), hostFunctions));
    });
    return modules;
  }

  private void writeImportInterface(ImportModule m) {
    line("");
    line("  /**");
    line("   * The functions the module imports from <code>" + doc(m.wasmName()) + "</code>, one functional");
    line("   * interface each, so that each can be a lambda ({@link Builder#" + m.builderMethod() + "}).");
    line("   */");
    line("  public interface " + m.iface() + " {");
    boolean first = true;
    for (HostFunction h : m.functions()) {
      if (!first) {
        line("");
      }
      first = false;
      FuncType f = h.type();
      line("    /** The imported function <code>" + doc(m.wasmName()) + "." + doc(h.wasmName()) + "</code>, "
          + "{@code " + f + "}. */");
      line("    @FunctionalInterface");
      line("    interface " + h.iface() + " {");
      line("      /**");
      line("       * Runs the function; an exception it throws makes the calling code trap.");
      line("       *");
      List<String> params = new ArrayList<>();
      for (int i = 0; i < f.params().size(); i++) {
        line("       * @param a" + i + " argument " + i + " (" + typeName(f.params().get(i)) + ")");
        params.add(javaType(f.params().get(i)) + " a" + i);
      }
      if (!f.results().isEmpty()) {
        line("       * @return " + (f.results().size() == 1 ? "the result (" + typeName(f.results().getFirst()) + ")"
            : "one value per result, of its type"));
      }
      line("       */");
      line("      " + hostReturnType(f) + " " + h.method() + "(" + String.join(", ", params) + ");");
      line("    }");
    }
    line("  }");
  }

  private void writeBuilder(String name, List<ImportModule> modules, boolean wasi) {
    line("");
    line("  /** Takes the module's imports, then instantiates it ({@link " + name + "#builder()}). */");
    line("  public static final class Builder {");
    line("    private final List<Consumer<Linker>> bindings = new java.util.ArrayList<>();");
    line("    private Store store;");
    line("");
    line("    private Builder() {}");
    line("");
    for (ImportModule m : modules) {
      line("    /**");
      line("     * The functions imported from <code>" + doc(m.wasmName()) + "</code>.");
      line("     *");
      List<String> params = new ArrayList<>();
      for (HostFunction h : m.functions()) {
        line("     * @param " + h.param() + " <code>" + doc(h.wasmName()) + "</code>, " + "{@code " + h.type() + "}");
        params.add(m.iface() + "." + h.iface() + " " + h.param());
      }
      line("     * @return this builder");
      line("     */");
      line("    public Builder " + m.builderMethod() + "(" + String.join(", ", params) + ") {");
      for (HostFunction h : m.functions()) {
        line("      Objects.requireNonNull(" + h.param() + ", " + literal(h.param()) + ");");
      }
      line("      bindings.add(linker -> {");
      for (HostFunction h : m.functions()) {
        writeHostBinding(m, h);
      }
      line("      });");
      line("      return this;");
      line("    }");
      line("");
    }
    if (wasi) {
      line("    /**");
      line("     * WASI preview1 for the module's <code>" + WASI + "</code> imports.");
      line("     *");
      line("     * @param options arguments, environment, standard streams and preopened directories");
      line("     * @return this builder");
      line("     */");
      line("    public Builder wasi(WasiOptions options) {");
      line("      Objects.requireNonNull(options, \"options\");");
      line("      bindings.add(linker -> linker.wasi(options));");
      line("      return this;");
      line("    }");
      line("");
    }
    line("    /**");
    line("     * Links more with the instance's linker (an imported memory, table or global, a function by");
    line("     * {@link FuncType}), after what the other methods give.");
    line("     *");
    line("     * @param more what to do with the linker");
    line("     * @return this builder");
    line("     */");
    line("    public Builder link(Consumer<Linker> more) {");
    line("      bindings.add(Objects.requireNonNull(more, \"more\"));");
    line("      return this;");
    line("    }");
    line("");
    line("    /**");
    line("     * Instantiates in {@code store}, a store of {@link " + name + "#engine()} made for it (default: a");
    line("     * new one); closing the instance closes the store.");
    line("     *");
    line("     * @param store the store");
    line("     * @return this builder");
    line("     */");
    line("    public Builder store(Store store) {");
    line("      this.store = Objects.requireNonNull(store, \"store\");");
    line("      return this;");
    line("    }");
    line("");
    line("    /**");
    line("     * A new instance with the imports given.");
    line("     *");
    line("     * @return the instance");
    line("     * @throws dev.kiln.runtime.KilnException if an import is missing or of another type");
    line("     * @throws dev.kiln.runtime.Trap if the module's start function traps");
    line("     */");
    line("    public " + name + " instantiate() {");
    line("      Store chosen = store != null ? store : new Store(engine());");
    line("      try {");
    line("        Linker linker = new Linker(chosen);");
    line("        bindings.forEach(binding -> binding.accept(linker));");
    line("        return new " + name + "(chosen, linker.instantiate(module()));");
    line("      } catch (RuntimeException e) {");
    line("        chosen.close();");
    line("        throw e;");
    line("      }");
    line("    }");
    line("  }");
  }

  private void writeHostBinding(ImportModule m, HostFunction h) {
    String module = literal(m.wasmName());
    String function = literal(h.wasmName());
    FuncType f = h.type();
    Shape shape = HOST_SHAPES.get(f);
    if (shape != null) {
      // The API's typed host functions: wasm's call reaches the lambda with no Val objects.
      line("        linker.func(" + module + ", " + function + ", " + shape.iface() + ".class, " + h.param() + "::"
          + h.method() + ");");
      return;
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      args.add(fromVal("args.get(" + i + ")", f.params().get(i)));
    }
    String call = h.param() + "." + h.method() + "(" + String.join(", ", args) + ")";
    line("        linker.func(" + module + ", " + function + ", " + funcTypeLiteral(f) + ", (caller, args) -> {");
    switch (f.results().size()) {
      case 0 -> {
        line("          " + call + ";");
        line("          return List.of();");
      }
      case 1 -> line("          return List.of(" + toVal(call, f.results().getFirst()) + ");");
      default -> line("          return " + call + ";");
    }
    line("        });");
  }

  private static String hostReturnType(FuncType f) {
    return switch (f.results().size()) {
      case 0 -> "void";
      case 1 -> javaType(f.results().getFirst());
      default -> "List<Val>";
    };
  }

  private static String funcTypeLiteral(FuncType f) {
    return "FuncType.of(List.of(" + f.params().stream().map(t -> "ValType." + t.name()).collect(Collectors.joining(", "))
        + "), List.of(" + f.results().stream().map(t -> "ValType." + t.name()).collect(Collectors.joining(", ")) + "))";
  }

  // ---------------------------------------------------------------------------------- values

  private static boolean numeric(ValType t) {
    return t == ValType.I32 || t == ValType.I64 || t == ValType.F32 || t == ValType.F64;
  }

  private static String javaType(ValType t) {
    return switch (t) {
      case I32 -> "int";
      case I64 -> "long";
      case F32 -> "float";
      case F64 -> "double";
      case V128, FUNCREF, EXTERNREF, ANYREF, EXNREF -> "Val";
    };
  }

  private static String typeName(ValType t) {
    return t.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The expression's bits as {@code DirectCall} takes them (an int widens to long by itself). */
  private static String toBits(String expr, ValType t) {
    return switch (t) {
      case F32 -> "Float.floatToRawIntBits(" + expr + ")";
      case F64 -> "Double.doubleToRawLongBits(" + expr + ")";
      default -> expr;
    };
  }

  private static String fromBits(String expr, ValType t) {
    return switch (t) {
      case I32 -> "(int) " + expr;
      case F32 -> "Float.intBitsToFloat((int) " + expr + ")";
      case F64 -> "Double.longBitsToDouble(" + expr + ")";
      default -> expr;
    };
  }

  private static String toVal(String expr, ValType t) {
    return switch (t) {
      case I32 -> "Val.i32(" + expr + ")";
      case I64 -> "Val.i64(" + expr + ")";
      case F32 -> "Val.f32(" + expr + ")";
      case F64 -> "Val.f64(" + expr + ")";
      case V128, FUNCREF, EXTERNREF, ANYREF, EXNREF -> expr;
    };
  }

  private static String fromVal(String expr, ValType t) {
    return switch (t) {
      case I32 -> expr + ".asInt()";
      case I64 -> expr + ".asLong()";
      case F32 -> expr + ".asFloat()";
      case F64 -> expr + ".asDouble()";
      case V128, FUNCREF, EXTERNREF, ANYREF, EXNREF -> expr;
    };
  }

  // ---------------------------------------------------------------------------------- text

  private void line(String text) {
    out.append(text).append('\n');
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  /**
   * A Java string literal of any wasm name: the quote and backslash, and everything outside
   * printable ASCII, escaped (JLS 3.10.7), so no name can end the literal or the line. ASCII control
   * characters take octal escapes, not Unicode ones: the compiler replaces a Unicode escape before
   * it reads literals (JLS 3.3), so the Unicode escape of a line feed would be a line break that
   * ends the literal.
   * Above ASCII a Unicode escape is safe, since only LF and CR end a line (JLS 3.4).
   */
  static String literal(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else if (c < 0x80) {
        b.append(String.format("\\%03o", (int) c));
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.append('"').toString();
  }

  /**
   * A wasm name inside Javadoc: HTML's special characters, those that could end the comment, start
   * a tag or a Unicode escape ({@code *}, {@code /}, {@code @}, braces, backslash: JLS 3.3), and
   * everything outside printable ASCII (a line break would end a {@code //} comment) as numeric
   * character references; a control, private-use or unassigned character, which HTML (and
   * javadoc's lint) refuses as a reference, as the text {@code U+XXXX}.
   */
  static String doc(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      boolean plain = c >= 0x20 && c <= 0x7e && "&<>*@{}\\".indexOf(c) < 0;
      if (plain) {
        b.appendCodePoint(c);
      } else if (Character.isDefined(c) && !Character.isISOControl(c) && Character.getType(c) != Character.PRIVATE_USE) {
        b.append("&#").append(c).append(';');
      } else {
        b.append(String.format("U+%04X", c));
      }
    });
    return b.toString();
  }

  /**
   * A path in a {@code //} comment: printable ASCII but the backslash (which could start a Unicode
   * escape of a line break, JLS 3.3) as it is, anything else as {@code ?}.
   */
  private static String javaComment(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.appendCodePoint(c >= 0x20 && c <= 0x7e && c != '\\' ? c : '?'));
    return b.toString();
  }
}
