package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.AccessFlags;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.reflect.AccessFlag;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No operation of the embedding API reaches an {@code invokedynamic} site without first asking
 * for the stack its first link may take ({@code ThreadStack.requireRoomToLink}): a site first
 * linked near a thread's stack end, where the JDK's bootstrap overflowed, fails with {@code
 * BootstrapMethodError} for the JVM's life (JVMS 5.4.3.6; issue 35, red team 23 F1: {@code
 * Memory.write} and {@code Table.grow} broken in every store). Read from the class files of Kiln's
 * modules on the class path, as {@code javap -c} shows them: from every public method and
 * constructor of the API's public classes, every Kiln method a call may reach (a virtual call:
 * every override in a Kiln subtype) is followed until a method whose first call is the check; an
 * {@code invokedynamic} met before it is a path that can break. Calls into the JDK are not
 * followed. So a method added next year is held to it as soon as it is written.
 *
 * <p>Code that wasm calls (host calls, WASI, the collector's slow path) is not reached from here:
 * compiled code leaves {@code ThreadStack.LINK} bytes above the JVM's zones for it ({@code
 * NativeStore.DEFAULT_HEADROOM}), which {@link StackOverflowInCallTest}'s sweeps check.
 */
class FirstLinkGuardTest {
  private static final String GUARD_OWNER = "dev/kiln/loader/sys/ThreadStack";
  /**
   * The checks: one that throws, one whose caller refuses without throwing when it is false, and
   * the refusal of a call into wasm as the trap "call stack exhausted", by owner and name.
   */
  private static final Set<String> GUARDS = Set.of(GUARD_OWNER + ".requireRoomToLink",
      GUARD_OWNER + ".roomToLinkAfter", "dev/kiln/runtime/Failures.requireRoomToCall");

  /** A method, by owner, name and descriptor. */
  private record Ref(String owner, String name, String type) {
    @Override
    public String toString() {
      return owner.replaceAll(".*/", "") + "." + name;
    }
  }

  private final Map<String, ClassModel> classes = new HashMap<>();
  private final Set<String> initialisedAtStart = new HashSet<>();
  /** Direct subtypes of each Kiln class or interface. */
  private final Map<String, List<String>> subtypes = new HashMap<>();

  /**
   * The API's way in has no static initialiser: an embedder's first {@code Engine.builder()} or
   * {@code Engine.create()} may be near its thread's stack end, where an initialiser, run before the
   * method's own check, would overflow and leave the class unusable for the JVM's life (JLS 12.4.2;
   * red team 25 F0, under a JVM AOT cache). Engine's statics live in {@code Engine.Statics}, which
   * the first engine initialises on a thread of its own.
   */
  @Test
  void theEngineClassesHaveNoStaticInitialiser() throws IOException {
    readKilnClasses();
    for (String entry : List.of("dev/kiln/runtime/Engine", "dev/kiln/runtime/Engine$Builder")) {
      ClassModel model = classes.get(entry);
      assertTrue(model != null, entry + " not found on the class path");
      assertTrue(model.methods().stream().noneMatch(m -> m.methodName().equalsString("<clinit>")),
          entry + " has a static initialiser");
    }
  }

  @Test
  void everyApiOperationAsksForRoomBeforeItsFirstInvokedynamic() throws IOException {
    readKilnClasses();
    // An engine initialises these before any store exists; an operation that needs a store cannot
    // be the first to run their initialisers.
    for (String name : dev.kiln.loader.runtime.CallPathClasses.kilnClasses()) {
      initialisedAtStart.add(name.replace('.', '/'));
    }
    for (Class<?> api : Engine.Statics.INITIALISED_AT_START) {
      initialisedAtStart.add(api.getName().replace('.', '/'));
    }
    assertTrue(classes.size() > 1000, classes.size() + " classes read");
    List<Ref> roots = new ArrayList<>();
    for (ClassModel model : classes.values()) {
      String name = model.thisClass().asInternalName();
      // public top-level and nested classes: a nested class's public flag is in its own class file
      if (!name.matches("dev/kiln/runtime/[^/]+") || !model.flags().has(AccessFlag.PUBLIC)) {
        continue;
      }
      for (MethodModel method : model.methods()) {
        AccessFlags flags = method.flags();
        if (flags.has(AccessFlag.PUBLIC) && method.code().isPresent() && !flags.has(AccessFlag.SYNTHETIC)) {
          roots.add(new Ref(name, method.methodName().stringValue(), method.methodType().stringValue()));
        }
      }
    }
    assertTrue(roots.size() > 200, roots.size() + " API methods");
    Set<String> unguarded = new TreeSet<>();
    for (Ref root : roots) {
      String path = pathToInvokedynamic(root);
      if (path != null) {
        unguarded.add(path);
      }
    }
    assertEquals("", String.join("\n", unguarded));
  }

  /**
   * The calls from {@code root} to an {@code invokedynamic} that no check precedes, as "A.m > B.n >
   * indy in B.n", or null if there is none.
   */
  private String pathToInvokedynamic(Ref root) {
    Map<Ref, Ref> reachedFrom = new LinkedHashMap<>();
    Deque<Ref> work = new ArrayDeque<>();
    reachedFrom.put(root, null);
    work.add(root);
    while (!work.isEmpty()) {
      Ref at = work.poll();
      MethodModel method = method(at);
      if (method == null || method.code().isEmpty()) {
        continue;
      }
      List<Ref> calls = new ArrayList<>();
      for (CodeElement element : method.code().get()) {
        // A class's initialiser runs at its first static use or instance (JVMS 5.5); one that
        // fails leaves the class erroneous for good, so its sites count as the caller's.
        if (element instanceof FieldInstruction field
            && (field.opcode() == Opcode.GETSTATIC || field.opcode() == Opcode.PUTSTATIC)) {
          calls.add(initialiser(field.owner().asInternalName()));
        } else if (element instanceof NewObjectInstruction created) {
          calls.add(initialiser(created.className().asInternalName()));
        } else if (element instanceof InvokeInstruction invoke) {
          Ref target = new Ref(invoke.owner().asInternalName(), invoke.name().stringValue(),
              invoke.type().stringValue());
          if (GUARDS.contains(target.owner() + "." + target.name()) && calls.isEmpty()) {
            calls = null; // checked first: what follows may link
            break;
          }
          if (target.name().equals("<init>") && (target.owner().equals("java/lang/Object")
              || target.owner().equals("java/lang/Record"))) {
            continue; // a constructor's first call, which links nothing
          }
          if (target.owner().equals(GUARD_OWNER)) {
            continue; // the check's own first use is linked on a thread of its own (OwnStackThread)
          }
          if (invoke.opcode() == Opcode.INVOKESTATIC) {
            calls.add(initialiser(target.owner()));
          }
          calls.add(target);
        } else if (element instanceof InvokeDynamicInstruction indy) {
          StringBuilder path = new StringBuilder("invokedynamic " + indy.name().stringValue() + " in " + at);
          for (Ref r = reachedFrom.get(at); r != null; r = reachedFrom.get(r)) {
            path.insert(0, r + " > ");
          }
          return path.toString();
        }
      }
      if (calls == null) {
        continue;
      }
      for (Ref call : calls) {
        for (Ref target : targets(call)) {
          if (!reachedFrom.containsKey(target)) {
            reachedFrom.put(target, at);
            work.add(target);
          }
        }
      }
    }
    return null;
  }

  /** The Kiln methods a call may run: the declared one (or the one inherited) and every override. */
  private List<Ref> targets(Ref call) {
    if (!classes.containsKey(call.owner())) {
      return List.of();
    }
    List<Ref> found = new ArrayList<>();
    if (call.name().equals("<init>")) {
      return method(call) == null ? found : List.of(call);
    }
    if (call.name().equals("<clinit>")) {
      // a class's initialisation starts with its superclass's (JVMS 5.5 step 7)
      for (String owner = call.owner(); owner != null; owner = superOf(owner)) {
        Ref ref = initialiser(owner);
        if (method(ref) != null && !initialisedAtStart.contains(owner)) {
          found.add(ref);
        }
      }
      return found;
    }
    Set<String> seen = new HashSet<>();
    Deque<String> down = new ArrayDeque<>(List.of(call.owner()));
    while (!down.isEmpty()) {
      String owner = down.poll();
      if (!seen.add(owner)) {
        continue;
      }
      Ref ref = new Ref(owner, call.name(), call.type());
      if (method(ref) != null) {
        found.add(ref);
      }
      down.addAll(subtypes.getOrDefault(owner, List.of()));
    }
    // inherited from a Kiln superclass
    for (String up = superOf(call.owner()); up != null; up = superOf(up)) {
      Ref ref = new Ref(up, call.name(), call.type());
      if (method(ref) != null) {
        found.add(ref);
        break;
      }
    }
    return found;
  }

  private static Ref initialiser(String owner) {
    return new Ref(owner, "<clinit>", "()V");
  }

  private String superOf(String owner) {
    ClassModel model = classes.get(owner);
    if (model == null || model.superclass().isEmpty()) {
      return null;
    }
    String up = model.superclass().get().asInternalName();
    return classes.containsKey(up) ? up : null;
  }

  private MethodModel method(Ref ref) {
    ClassModel model = classes.get(ref.owner());
    if (model == null) {
      return null;
    }
    for (MethodModel method : model.methods()) {
      if (method.methodName().equalsString(ref.name()) && method.methodType().equalsString(ref.type())) {
        return method;
      }
    }
    return null;
  }

  private void readKilnClasses() throws IOException {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      // the modules' own classes: target/classes of a module, or a kiln-*.jar (not its tests)
      boolean kiln = path.endsWith(Path.of("target", "classes"))
          || path.getFileName().toString().matches("kiln-.*-SNAPSHOT\\.jar");
      if (!kiln || !Files.exists(path)) {
        continue;
      }
      if (Files.isDirectory(path)) {
        read(path);
      } else {
        try (FileSystem jar = FileSystems.newFileSystem(path)) {
          read(jar.getPath("/"));
        }
      }
    }
    for (ClassModel model : classes.values()) {
      String name = model.thisClass().asInternalName();
      model.superclass().ifPresent(s -> subtypes.computeIfAbsent(s.asInternalName(), k -> new ArrayList<>()).add(name));
      model.interfaces().forEach(i -> subtypes.computeIfAbsent(i.asInternalName(), k -> new ArrayList<>()).add(name));
    }
  }

  private void read(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
        classes.put(model.thisClass().asInternalName(), model);
      }
    }
  }
}
