package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API's promise that no internal type leaks: every type in a public signature of the package
 * (methods, constructors, fields, record components, supertypes, exceptions, generics) is the
 * package's own or the JDK's.
 */
class PublicSurfaceTest {
  @Test
  void publicSignaturesNameOnlyApiAndJdkTypes() throws Exception {
    List<Class<?>> types = publicTypes();
    assertTrue(types.size() > 15, "found " + types);
    TreeSet<String> leaks = new TreeSet<>();
    for (Class<?> type : types) {
      List<Type> named = new ArrayList<>();
      if (type.getGenericSuperclass() != null) {
        named.add(type.getGenericSuperclass());
      }
      named.addAll(List.of(type.getGenericInterfaces()));
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
          named.add(m.getGenericReturnType());
          signature(m, named);
        }
      }
      for (var c : type.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
          signature(c, named);
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          named.add(f.getGenericType());
        }
      }
      if (type.isRecord()) {
        for (RecordComponent rc : type.getRecordComponents()) {
          named.add(rc.getGenericType());
        }
      }
      for (Type t : named) {
        collect(t, type, leaks);
      }
    }
    assertEquals(new TreeSet<>(), leaks);
  }

  private static void signature(Executable e, List<Type> into) {
    into.addAll(List.of(e.getGenericParameterTypes()));
    into.addAll(List.of(e.getGenericExceptionTypes()));
  }

  private static void collect(Type t, Class<?> owner, TreeSet<String> leaks) {
    switch (t) {
      case Class<?> c when c.isArray() -> collect(c.getComponentType(), owner, leaks);
      case Class<?> c -> {
        String name = c.getName();
        if (!c.isPrimitive() && !name.startsWith("java.") && !name.startsWith("dev.kiln.runtime.")) {
          leaks.add(owner.getSimpleName() + " -> " + name);
        }
      }
      case ParameterizedType p -> {
        collect(p.getRawType(), owner, leaks);
        Stream.of(p.getActualTypeArguments()).forEach(a -> collect(a, owner, leaks));
      }
      case GenericArrayType g -> collect(g.getGenericComponentType(), owner, leaks);
      case WildcardType w -> Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
          .forEach(b -> collect(b, owner, leaks));
      case TypeVariable<?> v -> Stream.of(v.getBounds()).forEach(b -> collect(b, owner, leaks));
      default -> leaks.add(owner.getSimpleName() + " -> " + t);
    }
  }

  /** The package's public top-level and nested types, from its compiled classes. */
  private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve("dev/kiln/runtime");
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String simple = file.getFileName().toString().replace(".class", "");
        if (simple.equals("package-info")) {
          continue;
        }
        Class<?> c = Class.forName("dev.kiln.runtime." + simple, false, PublicSurfaceTest.class.getClassLoader());
        if (Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass() && !c.isSynthetic()) {
          types.add(c);
        }
      }
    }
    return types;
  }
}
