package dev.kiln.emulator;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.emulator.HostCallStubs.HostCall;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.NativeHelper;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.loader.sys.WasmFaults;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Runs AArch64 code on an x86-64 host in the Unicorn 2 emulator (docs/ARCHITECTURE.md section 4,
 * last bullet), with the runtime's own memory: host memory appears in the guest at the same
 * address, so the VMContext, the store context, memories, tables and value arrays are shared by the
 * Java side and the emulated code exactly as with native code.
 *
 * <p><b>Entries.</b> {@link #callArrayEntry} sets x0-x3 to the array call's arguments (AAPCS64
 * 6.8.2), SP to the top of the executor's own stack (the store's stack limit is derived from {@link
 * #stackLow()}), x29 to 0 (the end of the frame chain) and x30 to the stub page's exit slot, and
 * emulates until the pc reaches it; the result is w0. A trap ends the same way: the trap stub
 * returns false to the entry's caller. Engines are kept and reused ({@code uc_open} is costly and
 * every {@code uc_emu_start} costs microseconds, so an entry is one emulation run however many
 * calls it makes).
 *
 * <p><b>Host calls.</b> {@link #hostFunction} gives a slot of the stub page; the code hook on the
 * page reads the arguments from x0-x7 / d0-d7 and then the stack, per the descriptor (AAPCS64
 * 6.8.2: integers and pointers in the next x register, floats in the next v register, the rest in
 * 8-byte stack slots), calls the Java method, writes x0 or d0 and, last, sets the pc to x30. A host
 * function that enters wasm again runs on the engine of the next depth, with its stack below the
 * caller's SP. A guarded upcall answers its failure value as it does on native code; a Java
 * exception escaping a helper or another slot's method, or any other hook that does not finish,
 * cannot unwind emulated frames and leaves the guest on the slot's {@code UDF}: the emulation stops
 * there, the store's entry state is restored and the entry reports a {@link
 * TrapCode#HOST_FUNCTION_FAILED} trap, so the JVM never sees it and the guest never runs on with a
 * result the call did not give. A throwable in the lazy mapping of host memory into the guest stops
 * the emulation too, and the entry throws it ({@link #mappingFailed}): the guest did nothing wrong.
 * Each entry first measures the Java thread's stack ({@link ThreadStack}): Unicorn's frames and the
 * hook's upcall of every nesting level run on it, so an entry without room for one more level traps
 * with {@code call stack exhausted} instead of starting.
 */
public final class UnicornExecutor implements Executor {
  /** Bytes of emulated stack: the store's default budget for wasm plus its headroom, and spare. */
  static final long STACK_SIZE = 2L << 20;
  /** Bytes a nested entry leaves untouched below the SP of the host call that made it. */
  private static final long NESTED_GAP = 256;

  private static final MethodHandle MEMMOVE;
  private static final MethodHandle MEMSET;
  private static final MethodHandle MPROTECT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MEMMOVE = lookup.findStatic(UnicornExecutor.class, "memmove", MethodType.methodType(
          MemorySegment.class, MemorySegment.class, MemorySegment.class, long.class));
      MEMSET = lookup.findStatic(UnicornExecutor.class, "memset", MethodType.methodType(
          MemorySegment.class, MemorySegment.class, int.class, long.class));
      MPROTECT = lookup.findStatic(UnicornExecutor.class, "mprotect", MethodType.methodType(
          int.class, MemorySegment.class, long.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Function<Unicorn, GuestWindows.Mapper> mapping;
  private final VirtualMemory stack;
  private final HostCallStubs stubs;
  private final List<EmulatedCpu> cpus = new ArrayList<>();
  private final Map<NativeHelper, MemorySegment> helpers = new EnumMap<>(NativeHelper.class);
  /** {@link #staticHostFunction}'s slots by upcall, kept until the executor closes. */
  private final Map<GuardedUpcall, MemorySegment> staticHostFunctions = new HashMap<>();
  /** SP of the emulated caller of each host call in progress, innermost last. */
  private final List<Long> hostCallSp = new ArrayList<>();
  private int depth;
  /** What every engine's code hook calls. */
  private final EmulatedCpu.HostCallHandler hostCalls = this::hostCall;
  private boolean closed;
  private boolean released;

  /** An executor with its own stack and stub page; engines are made on first use. */
  public UnicornExecutor() {
    this(unicorn -> unicorn::mapIdentity);
  }

  /** An executor whose engines map guest windows through {@code mapping} (tests put failures in it). */
  UnicornExecutor(Function<Unicorn, GuestWindows.Mapper> mapping) {
    this.mapping = mapping;
    if (!Unicorn.available()) {
      throw new EmulatorException(Unicorn.NOT_INSTALLED);
    }
    stack = VirtualMemory.reserve(STACK_SIZE);
    try {
      stack.protect(0, stack.size(), Protection.READ_WRITE);
      stubs = new HostCallStubs();
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
    helpers.put(NativeHelper.MEMMOVE, MemorySegment.ofAddress(stubs.add(
        HostCall.of(MEMMOVE, NativeHelper.MEMMOVE.descriptor()))));
    helpers.put(NativeHelper.MEMSET, MemorySegment.ofAddress(stubs.add(
        HostCall.of(MEMSET, NativeHelper.MEMSET.descriptor()))));
    helpers.put(NativeHelper.MPROTECT, MemorySegment.ofAddress(stubs.add(
        HostCall.of(MPROTECT, NativeHelper.MPROTECT.descriptor()))));
  }

  /** Whether this host can emulate AArch64: {@code libunicorn.so.2} loads. */
  public static boolean available() {
    return Unicorn.available();
  }

  @Override
  public Target target() {
    return Target.AARCH64;
  }

  @Override
  public long stackLow() {
    return stack.address();
  }

  @Override
  public boolean callArrayEntry(MemorySegment trampoline, long calleeVmctx, long callerVmctx, long values,
      long len, MemorySegment scratch) {
    // Unicorn's native frames and its hook's upcall run on this thread's stack: starting with too
    // little left would fault in the JVM's guard pages or throw inside the upcall, either of which
    // ends the JVM; and the host calls it makes must start with room to link their call sites
    // (ThreadStack.LINK), as compiled code leaves them. Measured first, before anything here may
    // link (cpuAt's first use at a depth); nothing ran yet, so the entry state is untouched: report
    // a stack-exhaustion trap.
    boolean room = ThreadStack.roomToLinkAfter(ThreadStack.LEVEL);
    MemorySegment context = MemorySegment.ofAddress(calleeVmctx).reinterpret(VmLayout.POINTER_SIZE)
        .get(ADDRESS, VmLayout.STORE_CONTEXT).reinterpret(StoreLayout.SIZE);
    if (!room) {
      context.set(JAVA_INT, StoreLayout.TRAP_CODE, TrapCode.STACK_OVERFLOW.code());
      context.set(JAVA_LONG, StoreLayout.TRAP_PC, 0L);
      context.set(JAVA_INT, StoreLayout.BACKTRACE_COUNT, 0);
      return false;
    }
    if (closed) {
      throw new IllegalStateException("executor is closed");
    }
    EmulatedCpu cpu = cpuAt(depth);
    long savedLimit = context.get(JAVA_LONG, StoreLayout.STACK_LIMIT);
    long savedEntrySp = context.get(JAVA_LONG, StoreLayout.ENTRY_SP);
    long savedEntryFp = context.get(JAVA_LONG, StoreLayout.ENTRY_FP);
    long sp = depth == 0 ? stack.address() + stack.size() : (hostCallSp.getLast() - NESTED_GAP) & -16L;
    Unicorn uc = cpu.unicorn;
    cpu.forgetRewrittenCode();
    uc.writeRegister(Arm64Registers.x(0), calleeVmctx);
    uc.writeRegister(Arm64Registers.x(1), callerVmctx);
    uc.writeRegister(Arm64Registers.x(2), values);
    uc.writeRegister(Arm64Registers.x(3), len);
    uc.writeRegister(Arm64Registers.X29, 0);
    uc.writeRegister(Arm64Registers.X30, stubs.exitAddress());
    uc.writeRegister(Arm64Registers.SP, sp);
    int error;
    int hostCallsBefore = hostCallSp.size();
    depth++;
    try {
      error = uc.start(trampoline.address(), stubs.exitAddress());
    } finally {
      depth--;
      // A host call whose frames a failed reallocation popped (GuardedUpcall) left its SP here.
      while (hostCallSp.size() > hostCallsBefore) {
        hostCallSp.removeLast();
      }
    }
    Optional<Throwable> mappingFailure = cpu.takeMappingFailure();
    OptionalLong refused = cpu.takeRefusedAddress();
    boolean nullField = error != 0 && mappingFailure.isEmpty() && refused.isPresent()
        && Long.compareUnsigned(refused.getAsLong(), WasmFaults.NULL_PAGES_END) < 0;
    if (nullField) {
      recordNullReferenceTrap(context, uc); // before the restore below: it reads this entry's entry_fp
    }
    if (mappingFailure.isPresent() || error != 0) {
      // The entry's own epilogue did not run: put back what it would have restored.
      context.set(JAVA_LONG, StoreLayout.STACK_LIMIT, savedLimit);
      context.set(JAVA_LONG, StoreLayout.ENTRY_SP, savedEntrySp);
      context.set(JAVA_LONG, StoreLayout.ENTRY_FP, savedEntryFp);
    }
    if (mappingFailure.isPresent()) {
      throw mappingFailed(mappingFailure.get());
    }
    if (nullField) {
      return false;
    }
    if (error != 0 && stubs.isCallSlot(uc.readRegister(Arm64Registers.PC))) {
      // Stopped on a slot's UDF: its host call did not complete (HostCallStubs). The trap's pc is
      // the call's return address, as a native trampoline's trap would report.
      context.set(JAVA_INT, StoreLayout.TRAP_CODE, TrapCode.HOST_FUNCTION_FAILED.code());
      context.set(JAVA_LONG, StoreLayout.TRAP_PC, uc.readRegister(Arm64Registers.X30));
      context.set(JAVA_INT, StoreLayout.BACKTRACE_COUNT, 0);
      return false;
    }
    if (error != 0) {
      // Not the pc: it is a host address of the module's code, which the user is not shown.
      throw new EmulatorException("emulated code stopped: " + Unicorn.errorText(error) + " (uc_err " + error + ")");
    }
    return (uc.readRegister(Arm64Registers.x(0)) & 0xFF) != 0;
  }

  /**
   * Records what the native trap stub records ({@code codegen.aarch64.abi.TrapStub}) for an access of
   * a null reference's field whose null check the compiler left out (a compiler bug): a {@code null
   * reference} trap, as x86-64 code's fault handler makes it ({@code loader.sys.FaultHandlerCode}),
   * where the run would otherwise end in the emulator's failure.
   *
   * <p>The pc is Unicorn's, one past, for the loader's {@code pc - 1} lookup: the faulting
   * instruction's when its block was just translated, but (as seen with Unicorn 2) the block's first
   * instruction's when the block ran again from Unicorn's cache. A block ends at a branch, so the pc
   * is in the right machine function, but it can name an earlier wasm offset, even one of a callee
   * inlined there. The backtrace is the frame records' return addresses from the faulting frame up
   * to this entry's, each record read only where it lies in this executor's stack.
   */
  private void recordNullReferenceTrap(MemorySegment context, Unicorn uc) {
    long fp = uc.readRegister(Arm64Registers.X29);
    long entryFp = context.get(JAVA_LONG, StoreLayout.ENTRY_FP);
    context.set(JAVA_INT, StoreLayout.TRAP_CODE, TrapCode.NULL_REFERENCE.code());
    context.set(JAVA_LONG, StoreLayout.TRAP_PC, uc.readRegister(Arm64Registers.PC) + 1);
    context.set(JAVA_LONG, StoreLayout.TRAP_FP, fp);
    MemorySegment frames = stack.segment();
    long base = frames.address();
    int count = 0;
    while (count < StoreLayout.BACKTRACE_CAPACITY && fp % 16 == 0
        && fp >= base && fp <= base + frames.byteSize() - 16) {
      long callerFp = frames.get(JAVA_LONG, fp - base);
      if (callerFp == entryFp) {
        break;
      }
      context.set(JAVA_LONG, StoreLayout.BACKTRACE + 8L * count, frames.get(JAVA_LONG, fp - base + 8));
      count++;
      fp = callerFp;
    }
    context.set(JAVA_INT, StoreLayout.BACKTRACE_COUNT, count);
  }

  /**
   * What the entry throws for a failure of the unmapped-memory hook, whose run stopped with an
   * unmapped access that is not the guest's: an {@code Error} (an {@code OutOfMemoryError}) as it
   * is, so that an embedder that catches one sees it, anything else as the emulator's failure.
   */
  private static EmulatorException mappingFailed(Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    return new EmulatorException("emulated code stopped: mapping host memory into the guest failed", failure);
  }

  private EmulatedCpu cpuAt(int level) {
    while (cpus.size() <= level) {
      cpus.add(new EmulatedCpu(hostCalls, mapping, stack.address(), stack.size(), stubs.base(), stubs.size()));
    }
    return cpus.get(level);
  }

  @Override
  public MemorySegment hostFunction(GuardedUpcall upcall, Arena arena) {
    return hostFunction(upcall.handle(), UpcallShape.DESCRIPTOR, arena);
  }

  /**
   * A stub-page slot that runs {@code target}, of any scalar C signature {@code descriptor}
   * describes (the helpers' and tests' own), valid while {@code arena} is alive. It needs no guard
   * of its own: it runs inside the code hook's upcall, whose guard records what it throws as the
   * host call's failure.
   */
  public MemorySegment hostFunction(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
    Objects.requireNonNull(arena, "arena");
    if (!target.type().equals(descriptor.toMethodType())) {
      throw new IllegalArgumentException("host function type " + target.type() + " does not match " + descriptor);
    }
    for (MemoryLayout layout : descriptor.argumentLayouts()) {
      if (!(layout instanceof ValueLayout)) {
        throw new IllegalArgumentException("host function arguments must be scalars or pointers: " + descriptor);
      }
    }
    long address = stubs.add(HostCall.of(target, descriptor));
    return MemorySegment.ofAddress(address).reinterpret(4, arena, ignored -> stubs.remove(address));
  }

  @Override
  public MemorySegment staticHostFunction(GuardedUpcall upcall) {
    MemorySegment slot = staticHostFunctions.get(upcall);
    if (slot == null) {
      slot = hostFunction(upcall, Arena.global());
      staticHostFunctions.put(upcall, slot);
    }
    return slot;
  }

  @Override
  public MemorySegment helper(NativeHelper helper) {
    return helpers.get(helper);
  }

  /**
   * The code hook: the guest reached a stub-page slot. Runs as an upcall from inside {@code
   * uc_emu_start}, where an escaping exception would end the JVM; the hook's guard swallows whatever
   * this throws. Its last act sends the guest back to x30: until then the guest stands on the slot's
   * {@code UDF}, so a throw anywhere here, or a slot with no function (freed), stops the emulation
   * there and the entry reports a {@link TrapCode#HOST_FUNCTION_FAILED} trap ({@link HostCallStubs}).
   * Writing the pc from a hook makes Unicorn leave the current translation block and resume at the
   * new pc ({@code arm64_reg_write}'s {@code quit_request}).
   */
  private void hostCall(EmulatedCpu cpu, long address) throws Throwable {
    Unicorn uc = cpu.unicorn;
    HostCall call = stubs.at(address);
    if (call == null) {
      return;
    }
    long sp = uc.readRegister(Arm64Registers.SP);
    Object[] arguments = readArguments(uc, call.descriptor(), sp);
    hostCallSp.add(sp);
    Object result;
    try {
      result = (Object) call.spread().invokeExact(arguments);
    } finally {
      hostCallSp.removeLast();
    }
    call.descriptor().returnLayout().ifPresent(layout -> writeResult(uc, layout, result));
    uc.writeRegister(Arm64Registers.PC, uc.readRegister(Arm64Registers.X30));
  }

  /** AAPCS64 6.8.2: the next x or v register of the argument's class, then 8-byte stack slots. */
  private static Object[] readArguments(Unicorn uc, FunctionDescriptor descriptor, long sp) {
    List<MemoryLayout> layouts = descriptor.argumentLayouts();
    Object[] arguments = new Object[layouts.size()];
    int nextX = 0;
    int nextV = 0;
    long stackSlot = sp;
    for (int i = 0; i < arguments.length; i++) {
      ValueLayout layout = (ValueLayout) layouts.get(i);
      boolean floating = layout.carrier() == float.class || layout.carrier() == double.class;
      long bits;
      if (floating && nextV < 8) {
        bits = uc.readRegister(Arm64Registers.d(nextV++));
      } else if (!floating && nextX < 8) {
        bits = uc.readRegister(Arm64Registers.x(nextX++));
      } else {
        bits = MemorySegment.ofAddress(stackSlot).reinterpret(8).get(JAVA_LONG, 0);
        stackSlot += 8;
      }
      arguments[i] = box(layout, bits);
    }
    return arguments;
  }

  private static Object box(ValueLayout layout, long bits) {
    Class<?> carrier = layout.carrier();
    if (layout instanceof AddressLayout) {
      return MemorySegment.ofAddress(bits);
    } else if (carrier == long.class) {
      return bits;
    } else if (carrier == int.class) {
      return (int) bits;
    } else if (carrier == short.class) {
      return (short) bits;
    } else if (carrier == char.class) {
      return (char) bits;
    } else if (carrier == byte.class) {
      return (byte) bits;
    } else if (carrier == boolean.class) {
      return (bits & 0xFF) != 0;
    } else if (carrier == float.class) {
      return Float.intBitsToFloat((int) bits);
    } else if (carrier == double.class) {
      return Double.longBitsToDouble(bits);
    }
    throw new IllegalArgumentException("unsupported host-call layout " + layout);
  }

  /** Integers and pointers in x0 (sign-extended from their width), floats in the low bits of v0. */
  private static void writeResult(Unicorn uc, MemoryLayout layout, Object result) {
    long bits = switch (result) {
      case MemorySegment segment -> segment.address();
      case Long l -> l;
      case Integer i -> i;
      case Short s -> s;
      case Character c -> c;
      case Byte b -> b;
      case Boolean b -> b ? 1 : 0;
      case Float f -> Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
      case Double d -> Double.doubleToRawLongBits(d);
      default -> throw new IllegalArgumentException("unsupported host-call result " + result + " for " + layout);
    };
    boolean floating = result instanceof Float || result instanceof Double;
    uc.writeRegister(floating ? Arm64Registers.d(0) : Arm64Registers.x(0), bits);
  }

  @SuppressWarnings("unused") // reached through MEMMOVE
  private static MemorySegment memmove(MemorySegment destination, MemorySegment source, long length) {
    // MemorySegment.copy copies overlapping ranges as if through a temporary buffer, as memmove does.
    MemorySegment.copy(source.reinterpret(length), 0, destination.reinterpret(length), 0, length);
    return destination;
  }

  @SuppressWarnings("unused") // reached through MEMSET
  private static MemorySegment memset(MemorySegment destination, int value, long length) {
    destination.reinterpret(length).fill((byte) value);
    return destination;
  }

  /**
   * The host's mprotect for emulated code: guest addresses are host addresses, and the emulator
   * maps a host page into the guest on its first access, after reading the host's protections, so
   * changing them on the host is all a grow needs.
   */
  @SuppressWarnings("unused") // reached through MPROTECT
  private static int mprotect(MemorySegment address, long length, int bits) {
    try {
      Protection.ofBits(bits).applyTo(address.address(), length);
      return 0;
    } catch (RuntimeException e) {
      return -1; // as mprotect(2) fails: the caller reports "cannot grow"
    }
  }

  /** Lazy mappings the engines made so far (each one read {@code /proc/self/maps}). */
  public long mappingFaults() {
    long total = 0;
    for (EmulatedCpu cpu : cpus) {
      total += cpu.faults();
    }
    return total;
  }

  @Override
  public void close() {
    if (released) {
      return;
    }
    if (depth > 0) {
      throw new IllegalStateException("the emulator is running");
    }
    // The closes are the JDK's arenas': a shared arena's close that overflowed half way spins for
    // ever when closed again, so it starts only with room to finish (issue 35)
    ThreadStack.requireRoom(ThreadStack.STEP, "closing the emulator");
    closed = true; // refuses entries from here on: a field write, which cannot throw
    // Each step is done before it is forgotten (an engine leaves the list once closed; the stub
    // page's and the stack's closes do nothing the second time), and "released" is marked last, so
    // a close that another throwable interrupted is finished by the next instead of leaving the
    // rest held for good (issue 35)
    while (!cpus.isEmpty()) {
      cpus.getLast().close();
      cpus.removeLast();
    }
    stubs.close();
    stack.close();
    released = true;
  }

  /** Whether a close has run to its end: every engine, the stub page and the stack released. */
  boolean released() {
    return released;
  }
}
