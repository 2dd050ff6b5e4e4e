package dev.kiln.tests.x64;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SIGSEGV that is no fault, sent with {@code tgkill} to a thread while it runs wasm: {@link
 * SentSigsegvTest} runs this in a child JVM. The signal's {@code siginfo} holds the sender's pid and
 * uid where a fault's address would be, a small number when root sends it; Kiln's handler must pass
 * it on (to the JVM, which then ends the process) rather than take it for a null reference's field.
 * Prints {@code outcome: ...} if the wasm call ended at all.
 */
public final class SentSigsegv {
  private static final String WAT = """
      (module
        (func (export "spin") (param i32) (result i32)
          (loop $l (br_if $l (i32.ne (local.get 0) (i32.const 0))))
          (i32.const 42)))
      """;
  private static final long SYS_GETTID = 186;
  private static final long SYS_TGKILL = 234;
  private static final long SIGSEGV = 11;

  private SentSigsegv() {}

  public static void main(String[] args) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    byte[] artifact = Artifacts.compile(Wasm.load(Wat.toBinary(WAT, "sent-sigsegv.wat")), new X64Backend(CpuFeatures.host(), false),
        new CompileOptions(1));
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      LoadedInstance instance = LoadedInstance.instantiate(loaded, store);
      AtomicLong tid = new AtomicLong();
      CountDownLatch entering = new CountDownLatch(1);
      Thread spinner = new Thread(() -> {
        try {
          tid.set((long) syscall.invokeExact(SYS_GETTID, 0L, 0L, 0L));
          entering.countDown();
          System.out.println("outcome: " + instance.invoke("spin", 1));
        } catch (Throwable e) {
          System.out.println("outcome: " + e);
        }
      });
      spinner.setDaemon(true);
      spinner.start();
      entering.await();
      Thread.sleep(500); // in the loop by now
      long sent = (long) syscall.invokeExact(SYS_TGKILL, ProcessHandle.current().pid(), tid.get(), SIGSEGV);
      System.out.println("sent: " + sent);
      spinner.join(10_000);
    }
  }
}
