package dev.kiln.wasm.code;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;

/**
 * Decodes instructions one at a time from {@code source[start, end)} (spec 5.4): {@link #next()}
 * reads an opcode and its immediates, and the accessors describe the immediates of the instruction
 * just read until the following call. Nothing is allocated per instruction; br_table targets and
 * select types land in arrays reused across calls (they grow only when a longer vector appears).
 *
 * <p>The reader checks encoding only: opcodes exist, integers obey the LEB128 rules, reserved
 * bytes are zero, reference and value types are valid bytes. Whether an index exists or the
 * instruction is well typed is the validator's business. Errors are {@link MalformedException}s
 * worded like the spec suite's expectations.
 *
 * <p>Which bytes are reserved depends on {@link Features}; see there.
 */
public final class InstructionReader {
  /** {@link #blockTypeIndex()} when the block type is not a type index. */
  public static final int NO_TYPE_INDEX = -1;
  /** try_table clause kinds ({@link #catchKind(int)}), their binary encodings (spec 3.0 5.4.1). */
  public static final int CATCH = 0;
  public static final int CATCH_REF = 1;
  public static final int CATCH_ALL = 2;
  public static final int CATCH_ALL_REF = 3;

  private final ByteReader in;
  private final boolean referenceTypes;
  private final boolean multiMemory;
  private final boolean memory64;
  private final boolean wasm3;

  private int instructionStart;
  private Opcode opcode;
  private int index;
  private int secondIndex;
  private int alignment;
  private long offset;
  private long bits;
  private long highBits;
  private int lane;
  private final byte[] shuffle = new byte[16];
  private int blockTypeIndex;
  private ValueType blockValueType;
  private HeapType heapType;
  private HeapType sourceHeapType;
  private boolean targetNullable;
  private boolean sourceNullable;
  private int[] targets = new int[8];
  private int targetCount;
  private ValueType[] selectTypes = new ValueType[1];
  private int selectTypeCount;
  private int[] catchKinds = new int[4];
  private int[] catchTags = new int[4];
  private int[] catchLabels = new int[4];
  private int catchCount;

  public InstructionReader(byte[] source, int start, int end, Features features) {
    this.in = new ByteReader(source, start, end);
    this.referenceTypes = features.referenceTypes();
    this.multiMemory = features.multiMemory();
    this.memory64 = features.memory64();
    this.wasm3 = features.wasm3();
  }

  /** A reader with every proposal on ({@link Features#ALL}). */
  public InstructionReader(byte[] source, int start, int end) {
    this(source, start, end, Features.ALL);
  }

  public boolean hasNext() {
    return in.hasMore();
  }

  /** Absolute offset of the next byte to read. */
  public int position() {
    return in.position();
  }

  /** Absolute offset one past the last byte of the range. */
  public int end() {
    return in.end();
  }

  /** Absolute offset of the first byte (the opcode or prefix) of the instruction last read. */
  public int instructionStart() {
    return instructionStart;
  }

  /** The instruction last read. */
  public Opcode opcode() {
    return opcode;
  }

  /**
   * The prefix of the threads proposal's atomic operators, which WebAssembly 3.0 does not include:
   * its code is illegal there, as in Kiln, but a toolchain built for threads (Emscripten's
   * {@code -pthread} or {@code -matomics}) emits it even for one thread, and Wasmtime compiles it
   * (npm's {@code @ffmpeg/core} 0.12.10), so the reason says what the module uses.
   */
  private static final int THREADS_PREFIX = 0xFE;
  /** The reason for an instruction under {@link #THREADS_PREFIX}; it begins as every illegal code's does. */
  static final String THREADS_OPCODE = "illegal opcode (0xfe: an atomic operator of the threads proposal, which Kiln does not implement)";

  /**
   * Reads the next instruction and its immediates.
   *
   * @throws MalformedException for an unknown opcode ("illegal opcode"), a bad immediate or the end
   *     of the range in the middle of an instruction ("unexpected end of section or function")
   */
  public Opcode next() {
    instructionStart = in.position();
    int b = in.u8();
    Opcode op;
    if (b == 0xFC) {
      op = Opcode.fromFcCode(in.u32());
    } else if (b == 0xFD) {
      op = Opcode.fromFdCode(in.u32());
      if (op != null && op.isRelaxed() && !wasm3) {
        op = null; // relaxed SIMD is WebAssembly 3.0: in 2.0 these codes are illegal
      }
    } else if (b == 0xFB && wasm3) {
      op = Opcode.fromFbCode(in.u32());
    } else {
      op = Opcode.fromCode(b);
    }
    if (op == null || (!wasm3 && (op.isTypedReference() || op.isGc() || op.isException()))) {
      throw new MalformedException(b == THREADS_PREFIX ? THREADS_OPCODE : "illegal opcode", instructionStart);
    }
    opcode = op;
    switch (op.immediate()) {
      case NONE -> {}
      case BLOCK_TYPE -> readBlockType();
      case LABEL, FUNC_INDEX, TYPE_INDEX, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG -> index = in.u32();
      case TRY_TABLE -> {
        readBlockType();
        readCatches();
      }
      case BR_TABLE -> readBrTable();
      case CALL_INDIRECT -> {
        index = in.u32();
        secondIndex = referenceTypes ? in.u32() : reservedZero("zero flag expected");
      }
      case MEMARG -> readMemarg();
      case MEMORY -> index = readMemoryIndex();
      case I32 -> bits = in.s32();
      case I64 -> bits = in.s64();
      case F32 -> bits = in.i32LittleEndian() & 0xFFFF_FFFFL;
      case F64 -> bits = in.i64LittleEndian();
      case V128 -> {
        bits = in.i64LittleEndian();
        highBits = in.i64LittleEndian();
      }
      case LANE -> lane = in.u8();
      case MEMARG_LANE -> {
        readMemarg();
        lane = in.u8();
      }
      case SHUFFLE -> {
        for (int i = 0; i < 16; i++) {
          shuffle[i] = (byte) in.u8();
        }
      }
      case REF_TYPE -> heapType = ValueTypes.heapType(in, "malformed reference type", wasm3);
      case TYPE_AND_INDEX -> {
        index = in.u32();
        secondIndex = in.u32();
      }
      case HEAP_TYPE -> {
        heapType = ValueTypes.heapType(in, "malformed heap type", true);
        targetNullable = op == Opcode.REF_TEST_NULL || op == Opcode.REF_CAST_NULL;
      }
      case CAST_BRANCH -> readCastBranch();
      case SELECT_TYPES -> readSelectTypes();
      case MEMORY_INIT -> {
        index = in.u32();
        secondIndex = readMemoryIndex();
      }
      case MEMORY_COPY -> {
        index = readMemoryIndex();
        secondIndex = readMemoryIndex();
      }
      case TABLE_INIT, TABLE_COPY -> {
        index = in.u32();
        secondIndex = in.u32();
      }
    }
    return op;
  }

  /** br_on_cast's immediates (spec 5.4.1): flags, label, source and target heap types. */
  private void readCastBranch() {
    int at = in.position();
    int flags = in.u8();
    if ((flags & ~0x03) != 0) {
      throw new MalformedException("malformed cast flags", at);
    }
    index = in.u32();
    sourceHeapType = ValueTypes.heapType(in, "malformed heap type", true);
    heapType = ValueTypes.heapType(in, "malformed heap type", true);
    sourceNullable = (flags & 0x01) != 0;
    targetNullable = (flags & 0x02) != 0;
  }

  private int readMemoryIndex() {
    if (multiMemory) {
      return in.u32();
    }
    return reservedZero(referenceTypes ? "zero byte expected" : "zero flag expected");
  }

  /** A reserved byte that must be 0x00 (read as a byte, not a LEB128: 0x80 0x00 is rejected too). */
  private int reservedZero(String message) {
    int at = in.position();
    if (in.u8() != 0) {
      throw new MalformedException(message, at);
    }
    return 0;
  }

  private void readBlockType() {
    int b = in.peek();
    if (b == 0x40) {
      in.u8();
      blockTypeIndex = NO_TYPE_INDEX;
      blockValueType = null;
      return;
    }
    if (b >= 0 && (b & 0xC0) == 0x40) {
      // one byte in 0x40..0x7F is a negative s33: a value type
      int at = in.position();
      in.u8();
      ValueType t = ValueTypes.afterCode(b, in, wasm3);
      if (t == null) {
        throw new MalformedException("malformed value type", at);
      }
      blockTypeIndex = NO_TYPE_INDEX;
      blockValueType = t;
      return;
    }
    int at = in.position();
    long v = in.s33();
    if (v < 0) {
      throw new MalformedException("malformed value type", at);
    }
    if (v > Integer.MAX_VALUE) {
      throw new MalformedException("integer too large", at);
    }
    blockTypeIndex = (int) v;
    blockValueType = null;
  }

  /** try_table's catch clauses (spec 3.0 5.4.1): kind 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref. */
  private void readCatches() {
    int at = in.position();
    int n = in.u32();
    // each clause takes at least two bytes: a count beyond the bytes left cannot be honest
    if (n < 0 || n > in.remaining()) {
      throw new MalformedException("unexpected end of section or function", n < 0 ? at : in.end());
    }
    if (n > catchKinds.length) {
      int size = Math.max(n, catchKinds.length * 2);
      catchKinds = new int[size];
      catchTags = new int[size];
      catchLabels = new int[size];
    }
    for (int i = 0; i < n; i++) {
      int kindAt = in.position();
      int kind = in.u8();
      if (kind > CATCH_ALL_REF) {
        throw new MalformedException("malformed catch clause", kindAt);
      }
      catchKinds[i] = kind;
      catchTags[i] = kind <= CATCH_REF ? in.u32() : -1;
      catchLabels[i] = in.u32();
    }
    catchCount = n;
  }

  private void readBrTable() {
    int at = in.position();
    int n = in.u32();
    // each target takes at least one byte: a count beyond the bytes left cannot be honest
    if (n < 0 || n > in.remaining()) {
      throw new MalformedException("unexpected end of section or function", n < 0 ? at : in.end());
    }
    if (n > targets.length) {
      targets = new int[Math.max(n, targets.length * 2)];
    }
    int[] t = targets;
    for (int i = 0; i < n; i++) {
      t[i] = in.u32();
    }
    targetCount = n;
    index = in.u32();
  }

  private void readMemarg() {
    int at = in.position();
    int align = in.u32();
    if (wasm3 && Integer.compareUnsigned(align, 0x80) >= 0) {
      // WebAssembly 3.0 (spec 5.4.7, from multi-memory): flags below 2^6 are the alignment, 2^6..2^7-1
      // the alignment plus 2^6 with a memory index following; nothing else is a memarg
      throw new MalformedException("malformed memop flags", at);
    }
    if ((align & 0x40) != 0) {
      // multi-memory (spec 5.4.6): bit 6 of the alignment field says a memory index follows
      align &= ~0x40;
      index = in.u32();
    } else {
      index = 0;
    }
    if (align < 0) {
      throw new MalformedException("integer too large", at);
    }
    alignment = align;
    offset = memory64 ? in.u64() : in.u32() & 0xFFFF_FFFFL;
  }

  private void readSelectTypes() {
    int at = in.position();
    int n = in.u32();
    if (n < 0 || n > in.remaining()) {
      throw new MalformedException("unexpected end of section or function", n < 0 ? at : in.end());
    }
    if (n > selectTypes.length) {
      selectTypes = new ValueType[n];
    }
    for (int i = 0; i < n; i++) {
      int tat = in.position();
      ValueType t = ValueTypes.afterCode(in.u8(), in, wasm3);
      if (t == null) {
        throw new MalformedException("malformed value type", tat);
      }
      selectTypes[i] = t;
    }
    selectTypeCount = n;
  }

  /**
   * The instruction's first index: label depth (br, br_if; the default label of br_table),
   * function, local, global, table, data or element segment index; the type index of call_indirect;
   * the memory index of a memarg, memory.size/grow/fill; the destination memory of memory.copy; the
   * data segment of memory.init; the element segment of table.init; the destination table of
   * table.copy; the type index of a GC instruction. An unsigned 32-bit value: compare with {@link Integer#compareUnsigned} or treat a
   * negative value as "too large".
   */
  public int index() {
    return index;
  }

  /**
   * The instruction's second index: the table of call_indirect, the memory of memory.init, the
   * source memory of memory.copy, the table of table.init, the source table of table.copy; a GC
   * instruction's field index, array.new_fixed's length, the data or element segment of
   * array.new_data/_elem and array.init_data/_elem, array.copy's source type.
   */
  public int secondIndex() {
    return secondIndex;
  }

  /** The memory index of the last memarg or memory instruction (same as {@link #index()}). */
  public int memoryIndex() {
    return index;
  }

  /** log2 of the alignment a memarg declares. */
  public int alignment() {
    return alignment;
  }

  /** A memarg's offset (unsigned; a u64 with memory64, else below 2^32). */
  public long offset() {
    return offset;
  }

  /** The value of i32.const. */
  public int i32() {
    return (int) bits;
  }

  /** The value of i64.const. */
  public long i64() {
    return bits;
  }

  /** The bits of f32.const (Float.intBitsToFloat gives the value; NaN payloads are kept). */
  public int f32Bits() {
    return (int) bits;
  }

  /** The bits of f64.const. */
  public long f64Bits() {
    return bits;
  }

  /** Bytes 0..7 of v128.const, little-endian. */
  public long v128Low() {
    return bits;
  }

  /** Bytes 8..15 of v128.const, little-endian. */
  public long v128High() {
    return highBits;
  }

  /** The lane index byte of a lane instruction (not yet checked against the shape). */
  public int lane() {
    return lane;
  }

  /** Lane index {@code i} (0..15) of i8x16.shuffle, 0..255 as read. */
  public int shuffleLane(int i) {
    return shuffle[i] & 0xFF;
  }

  /** The type index of a block type, or {@link #NO_TYPE_INDEX}. */
  public int blockTypeIndex() {
    return blockTypeIndex;
  }

  /** The single result type's representation of a block type, or null when empty or a type index. */
  public ValType blockValType() {
    return blockValueType == null ? null : blockValueType.kind();
  }

  /** The single result type of a block type, or null when empty or a type index. */
  public ValueType blockValueType() {
    return blockValueType;
  }

  /** The representation of ref.null's reference. */
  public ValType refType() {
    return new RefType(true, heapType).kind();
  }

  /** ref.null's heap type; a type index is a {@link HeapType.Concrete}. */
  public HeapType heapType() {
    return heapType;
  }

  /**
   * The target type of ref.test, ref.cast, br_on_cast and br_on_cast_fail: {@link #heapType()},
   * nullable for the {@code null} forms.
   */
  public RefType castTargetType() {
    return new RefType(targetNullable, heapType);
  }

  /** br_on_cast's and br_on_cast_fail's declared source type (its first reference type). */
  public RefType castSourceType() {
    return new RefType(sourceNullable, sourceHeapType);
  }

  /** How many labels br_table lists before its default. */
  public int brTableCount() {
    return targetCount;
  }

  /** br_table label {@code i} (i below {@link #brTableCount()}). */
  public int brTableTarget(int i) {
    return targets[i];
  }

  /**
   * The array holding br_table's labels in {@code [0, brTableCount())}. Reused: valid until the
   * next call to {@link #next()}, and must not be modified.
   */
  public int[] brTableTargets() {
    return targets;
  }

  /** br_table's default label. */
  public int brTableDefault() {
    return index;
  }

  /** How many types {@code select t*} lists (the validator requires exactly one). */
  public int selectTypeCount() {
    return selectTypeCount;
  }

  /** The representation of select's type {@code i}. */
  public ValType selectType(int i) {
    return selectTypes[i].kind();
  }

  /** select's type {@code i}. */
  public ValueType selectValueType(int i) {
    return selectTypes[i];
  }

  /** try_table: how many catch clauses it has. */
  public int catchCount() {
    return catchCount;
  }

  /** try_table: clause {@code i}'s kind, {@link #CATCH} to {@link #CATCH_ALL_REF}. */
  public int catchKind(int i) {
    return catchKinds[i];
  }

  /** try_table: clause {@code i}'s tag index ({@link #CATCH} and {@link #CATCH_REF} only). */
  public int catchTag(int i) {
    return catchTags[i];
  }

  /** try_table: clause {@code i}'s label (relative depth, counted outside the try_table). */
  public int catchLabel(int i) {
    return catchLabels[i];
  }
}
