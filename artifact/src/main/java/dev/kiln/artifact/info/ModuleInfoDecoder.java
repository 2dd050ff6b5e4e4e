package dev.kiln.artifact.info;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.module.PackedInts;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads {@code .kiln.info} into a {@link ModuleInfo}. Every count is checked against the bytes left
 * before anything is allocated, every code against its enum, every data range against the size of
 * {@code .kiln.data}, and the section must end exactly after the last record; then {@link
 * ModuleInfo}'s constructor checks the cross-references. Any failure is a {@link
 * CorruptArtifactException} naming the field.
 */
public final class ModuleInfoDecoder {
  private static final String SECTION = ".kiln.info";

  private final SectionReader in;
  private final long dataSize;
  private long at;
  /** Where the field read last starts: the location a failure about it reports. */
  private long field;
  /** Fields read so far: the work the deadline is polled by. */
  private long fieldsRead;

  private ModuleInfoDecoder(MemorySegment section, long dataSize) {
    this.in = new SectionReader(section, SECTION);
    this.dataSize = dataSize;
  }

  /**
   * Decodes {@code section}; data segments must lie inside a {@code .kiln.data} of {@code dataSize}
   * bytes.
   */
  public static ModuleInfo decode(MemorySegment section, long dataSize) {
    ModuleInfoDecoder decoder = new ModuleInfoDecoder(section, dataSize);
    try {
      return decoder.read();
    } catch (IllegalArgumentException e) {
      // A record constructor or ModuleInfo's cross-reference check refused what was read.
      throw decoder.in.corrupt(e.getMessage());
    }
  }

  private ModuleInfo read() {
    if (u32("magic") != InfoFormat.MAGIC) {
      throw corrupt("bad magic (not module info)");
    }
    int version = u16("version");
    if (version != InfoFormat.VERSION) {
      throw corrupt("format version " + version + ", this loader reads " + InfoFormat.VERSION);
    }
    int flags = u16("flags");
    if ((flags & ~InfoFormat.FLAG_TAGS) != 0) {
      throw corrupt("unknown header flags " + flags);
    }
    int typeCount = count("types", 4);
    List<FuncType> types = new ArrayList<>(typeCount);
    for (int i = 0; i < typeCount; i++) {
      int params = u16("param count");
      int results = u16("result count");
      in.require(at, params + results, "type " + i + " value types");
      List<ValType> p = new ArrayList<>(params);
      for (int k = 0; k < params; k++) {
        p.add(valType("param type"));
      }
      List<ValType> r = new ArrayList<>(results);
      for (int k = 0; k < results; k++) {
        r.add(valType("result type"));
      }
      types.add(new FuncType(p, r));
    }
    int importCount = count("imports", 13);
    List<Import> imports = new ArrayList<>(importCount);
    for (int i = 0; i < importCount; i++) {
      String module = string("import module name");
      String name = string("import name");
      ExternKind kind = externKind("import kind");
      ImportDesc desc = switch (kind) {
        case FUNCTION -> new ImportDesc.Function(u32("imported function type"));
        case TABLE -> new ImportDesc.Table(table());
        case MEMORY -> new ImportDesc.Memory(memory());
        case GLOBAL -> new ImportDesc.Global(globalType());
        case TAG -> new ImportDesc.Tag(u32("imported tag type"));
      };
      imports.add(new Import(module, name, desc));
    }
    int functionCount = count("functions", 4);
    List<Integer> functionTypes = new ArrayList<>(functionCount);
    for (int i = 0; i < functionCount; i++) {
      functionTypes.add(u32("function type"));
    }
    int tableCount = count("tables", 10);
    List<TableType> tables = new ArrayList<>(tableCount);
    for (int i = 0; i < tableCount; i++) {
      tables.add(table());
    }
    int memoryCount = count("memories", 9);
    List<MemoryType> memories = new ArrayList<>(memoryCount);
    for (int i = 0; i < memoryCount; i++) {
      memories.add(memory());
    }
    int globalCount = count("globals", 7);
    List<Global> globals = new ArrayList<>(globalCount);
    for (int i = 0; i < globalCount; i++) {
      globals.add(new Global(globalType(), expr("global initialiser")));
    }
    List<Integer> tags = new ArrayList<>();
    if ((flags & InfoFormat.FLAG_TAGS) != 0) {
      int tagCount = count("tags", 4);
      for (int i = 0; i < tagCount; i++) {
        tags.add(u32("tag type"));
      }
    }
    int exportCount = count("exports", 9);
    List<Export> exports = new ArrayList<>(exportCount);
    for (int i = 0; i < exportCount; i++) {
      exports.add(new Export(string("export name"), externKind("export kind"), u32("export index")));
    }
    int start = u32("start function");
    int elementCount = count("element segments", 7);
    List<ElementSegment> elements = new ArrayList<>(elementCount);
    for (int i = 0; i < elementCount; i++) {
      elements.add(element(i));
    }
    int dataCount = count("data segments", 9);
    List<DataSegment> data = new ArrayList<>(dataCount);
    for (int i = 0; i < dataCount; i++) {
      data.add(dataSegment(i));
    }
    int escapingCount = count("escaping functions", 4);
    List<Integer> escaping = new ArrayList<>(escapingCount);
    for (int i = 0; i < escapingCount; i++) {
      escaping.add(u32("escaping function"));
    }
    Map<Integer, String> names = functionNames(count("function names", 8));
    OptionalInt startFunction = start == InfoFormat.NO_START ? OptionalInt.empty() : OptionalInt.of(start);
    if (at == in.size()) {
      return checkedOnLoad(() -> new ModuleInfo(types, imports, functionTypes, tables, memories, globals, exports,
          startFunction, elements, data, escaping, names, tags));
    }
    PreciseTypes precise = preciseTypes();
    int initialised = count("table initialisers", 8);
    Map<Integer, ConstExpr> tableInitialisers = new java.util.HashMap<>();
    for (int i = 0; i < initialised; i++) {
      int table = u32("initialised table");
      if (tableInitialisers.put(table, expr("table initialiser")) != null) {
        throw corrupt("table " + Integer.toUnsignedString(table) + " has two initialisers");
      }
    }
    if (at != in.size()) {
      throw in.corrupt(at, (in.size() - at) + " bytes after the last record");
    }
    return checkedOnLoad(() -> new ModuleInfo(types, imports, functionTypes, tables, memories, globals, exports,
        startFunction, elements, data, escaping, names, tags, precise, tableInitialisers));
  }

  /** {@code make}, whose cross-reference checks poll the load's deadline as this decoder does. */
  private static ModuleInfo checkedOnLoad(java.util.function.Supplier<ModuleInfo> make) {
    return ScopedValue.where(ModuleInfo.CHECKED_IN, Phase.LOAD).call(make::get);
  }

  /** The optional last part ({@link PreciseTypes}); ModuleInfo checks it against the representations. */
  private PreciseTypes preciseTypes() {
    int groupCount = count("recursion groups", 4);
    List<List<SubType>> groups = new ArrayList<>(groupCount);
    for (int g = 0; g < groupCount; g++) {
      // a type is at least 8 bytes: finality, a u32 count of supertypes, and an array of i8 (form, type, mutability)
      int size = count("types of recursion group " + g, 8);
      List<SubType> group = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int finality = u8("type finality");
        if (finality > 1) {
          throw corrupt("type finality " + finality + " is neither 0 nor 1");
        }
        int superCount = count("supertypes", 4);
        List<HeapType> supers = new ArrayList<>(superCount);
        for (int k = 0; k < superCount; k++) {
          supers.add(new HeapType.Concrete(u32("supertype")));
        }
        group.add(new SubType(finality == 1, supers, composite()));
      }
      groups.add(group);
    }
    int tableCount = count("precise table types", 6);
    List<RefType> tables = new ArrayList<>(tableCount);
    for (int i = 0; i < tableCount; i++) {
      if (!(preciseValue("precise table type") instanceof RefType r)) {
        throw corrupt("table " + i + " element type is not a reference type");
      }
      tables.add(r);
    }
    int globalCount = count("precise global types", 1);
    List<ValueType> globals = new ArrayList<>(globalCount);
    for (int i = 0; i < globalCount; i++) {
      globals.add(preciseValue("precise global type"));
    }
    int elementCount = count("precise element segment types", 6);
    List<RefType> elements = new ArrayList<>(elementCount);
    for (int i = 0; i < elementCount; i++) {
      if (!(preciseValue("precise element segment type") instanceof RefType r)) {
        throw corrupt("element segment " + i + " element type is not a reference type");
      }
      elements.add(r);
    }
    return new PreciseTypes(new TypeSection(groups), tables, globals, elements);
  }

  /** A precise type's composite type: a function, struct or array type (InfoFormat.COMPOSITE_*). */
  private dev.kiln.wasm.types.CompositeType composite() {
    int form = u8("composite type form");
    return switch (form) {
      case InfoFormat.COMPOSITE_FUNC -> {
        // a number type is one byte (preciseValue)
        int params = count("precise params", 1);
        int results = count("precise results", 1);
        if (params > dev.kiln.artifact.info.FuncType.MAX_ARITY || results > dev.kiln.artifact.info.FuncType.MAX_ARITY) {
          throw corrupt("more than " + dev.kiln.artifact.info.FuncType.MAX_ARITY + " params or results");
        }
        List<ValueType> p = new ArrayList<>(params);
        for (int k = 0; k < params; k++) {
          p.add(preciseValue("precise param type"));
        }
        List<ValueType> r = new ArrayList<>(results);
        for (int k = 0; k < results; k++) {
          r.add(preciseValue("precise result type"));
        }
        yield new dev.kiln.wasm.types.FuncType(p, r);
      }
      case InfoFormat.COMPOSITE_STRUCT -> {
        int fields = count("struct fields", 2);
        List<dev.kiln.wasm.types.FieldType> list = new ArrayList<>(fields);
        for (int k = 0; k < fields; k++) {
          list.add(preciseField("struct field"));
        }
        yield new dev.kiln.wasm.types.StructType(list);
      }
      case InfoFormat.COMPOSITE_ARRAY -> new dev.kiln.wasm.types.ArrayType(preciseField("array element"));
      default -> throw corrupt("composite type form 0x" + Integer.toHexString(form) + " is unknown");
    };
  }

  private dev.kiln.wasm.types.FieldType preciseField(String what) {
    int code = in.u8(at, what);
    dev.kiln.wasm.types.StorageType storage = dev.kiln.wasm.types.PackedType.fromCode(code) != null
        ? dev.kiln.wasm.types.PackedType.fromCode(u8(what + " packed type")) : preciseValue(what + " type");
    int mutability = u8(what + " mutability");
    if (mutability > 1) {
      throw corrupt(what + " mutability " + mutability + " is neither 0 nor 1");
    }
    return new dev.kiln.wasm.types.FieldType(storage, mutability == 1);
  }

  private ValueType preciseValue(String what) {
    int code = u8(what);
    if (code != InfoFormat.REF_NULLABLE && code != InfoFormat.REF) {
      ValType t = ValType.ofCode(code).filter(v -> !v.isReference()).orElseThrow(() -> corrupt(what + " 0x"
          + Integer.toHexString(code) + " is not a number, vector or reference type"));
      return PreciseTypes.precise(t);
    }
    int form = u8(what + " heap form");
    int value = u32(what + " heap type");
    HeapType heap = switch (form) {
      case InfoFormat.HEAP_TYPE_INDEX -> new HeapType.Concrete(value);
      case InfoFormat.HEAP_ABSTRACT -> {
        HeapType.Abstract a = HeapType.Abstract.fromCode(value);
        if (a == null || a == HeapType.Abstract.BOT) {
          throw corrupt(what + " heap type 0x" + Integer.toHexString(value) + " is not an abstract heap type");
        }
        yield a;
      }
      default -> throw corrupt(what + " heap form " + form + " is unknown");
    };
    return new RefType(code == InfoFormat.REF_NULLABLE, heap);
  }

  /**
   * The function names, the section's last records: {u32 function, u32 length, UTF-8 bytes} in
   * increasing function order. Their bytes are copied out in one piece and read from the copy, and
   * the names' strings are made when first read ({@link FunctionNameTable}): field by field through
   * the section and with a charset decoder per name, they were most of a large module's load while
   * the JVM interprets it. Every name is still checked here: an ASCII name is its own bytes, any
   * other is decoded strictly now.
   */
  private Map<Integer, String> functionNames(int count) {
    long base = at;
    byte[] bytes = in.slice(base, in.size() - base, "function names").toArray(SectionReader.U8);
    int[] functions = new int[count];
    int[] starts = new int[count];
    int[] lengths = new int[count];
    String[] names = new String[count];
    int p = 0;
    for (int i = 0; i < count; i++) {
      field = base + p;
      if (bytes.length - p < 8) {
        throw corrupt("function name " + i + " (8 bytes) runs past the end (" + in.size() + " bytes)");
      }
      functions[i] = littleEndianU32(bytes, p);
      if (i > 0 && Integer.compareUnsigned(functions[i], functions[i - 1]) <= 0) {
        throw corrupt("function names are not in increasing function order at entry " + i);
      }
      field = base + p + 4;
      long length = Integer.toUnsignedLong(littleEndianU32(bytes, p + 4));
      p += 8;
      if (length > bytes.length - p) {
        throw corrupt("function name (" + length + " bytes) runs past the end (" + in.size() + " bytes)");
      }
      starts[i] = p;
      lengths[i] = (int) length;
      if (!FunctionNameTable.isAscii(bytes, p, lengths[i])) {
        names[i] = in.utf8(base + p, lengths[i], "function name");
      }
      p += lengths[i];
    }
    at = base + p;
    return new FunctionNameTable(functions, starts, lengths, bytes, names);
  }

  private static int littleEndianU32(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | bytes[at + 3] << 24;
  }

  private ElementSegment element(int index) {
    String what = "element segment " + index;
    SegmentMode mode = mode(what + " mode");
    int table = 0;
    Optional<ConstExpr> offset = Optional.empty();
    if (mode == SegmentMode.ACTIVE) {
      table = u32(what + " table");
      offset = Optional.of(expr(what + " offset"));
    }
    ValType type = valType(what + " element type");
    if (!type.isReference()) {
      throw corrupt(what + " element type " + type + " is not a reference type");
    }
    int itemsKind = u8(what + " item encoding");
    ElementItems items = switch (itemsKind) {
      case InfoFormat.ITEMS_FUNCTIONS -> {
        int n = count(what + " items", 4);
        PackedInts.Builder functions = new PackedInts.Builder(n);
        for (int k = 0; k < n; k++) {
          functions.add(u32(what + " function"));
        }
        yield new ElementItems.Functions(functions.build());
      }
      case InfoFormat.ITEMS_EXPRESSIONS -> {
        int n = count(what + " items", 5);
        List<ConstExpr> exprs = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          exprs.add(expr(what + " item"));
        }
        yield new ElementItems.Expressions(exprs);
      }
      default -> throw corrupt(what + " item encoding " + itemsKind + " is unknown");
    };
    return new ElementSegment(mode, table, offset, type, items);
  }

  private DataSegment dataSegment(int index) {
    String what = "data segment " + index;
    SegmentMode mode = mode(what + " mode");
    if (mode == SegmentMode.DECLARATIVE) {
      throw corrupt(what + " is declarative; data segments are active or passive");
    }
    int memory = 0;
    Optional<ConstExpr> offset = Optional.empty();
    if (mode == SegmentMode.ACTIVE) {
      memory = u32(what + " memory");
      offset = Optional.of(expr(what + " offset"));
    }
    long dataOffset = Integer.toUnsignedLong(u32(what + " data offset"));
    long length = Integer.toUnsignedLong(u32(what + " length"));
    if (dataOffset > dataSize || length > dataSize - dataOffset) {
      throw corrupt(what + " bytes [" + dataOffset + ", +" + length + ") lie outside .kiln.data (" + dataSize
          + " bytes)");
    }
    return new DataSegment(mode, memory, offset, dataOffset, length);
  }

  private ConstExpr expr(String what) {
    int n = count(what + " instructions", 1);
    if (n == 0) {
      throw corrupt(what + " is empty");
    }
    List<ConstInstr> instructions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int opcode = u8(what + " opcode");
      instructions.add(switch (opcode) {
        case ConstInstr.I32Const.OPCODE -> new ConstInstr.I32Const(u32(what + " i32.const"));
        case ConstInstr.I64Const.OPCODE -> new ConstInstr.I64Const(u64(what + " i64.const"));
        case ConstInstr.F32Const.OPCODE -> new ConstInstr.F32Const(u32(what + " f32.const"));
        case ConstInstr.F64Const.OPCODE -> new ConstInstr.F64Const(u64(what + " f64.const"));
        case ConstInstr.V128Const.OPCODE -> new ConstInstr.V128Const(u64(what + " v128.const"),
            u64(what + " v128.const"));
        case ConstInstr.GlobalGet.OPCODE -> new ConstInstr.GlobalGet(u32(what + " global.get"));
        case ConstInstr.RefFunc.OPCODE -> new ConstInstr.RefFunc(u32(what + " ref.func"));
        case ConstInstr.RefNull.OPCODE -> {
          ValType type = valType(what + " ref.null type");
          if (!type.isReference()) {
            throw corrupt(what + " ref.null of non-reference type " + type);
          }
          yield new ConstInstr.RefNull(type);
        }
        case ConstInstr.RefI31.OPCODE -> {
          int sub = u8(what + " 0xFB sub-opcode");
          yield switch (sub) {
            case ConstInstr.RefI31.SUB_OPCODE -> new ConstInstr.RefI31();
            case ConstInstr.GcNew.STRUCT_NEW, ConstInstr.GcNew.STRUCT_NEW_DEFAULT, ConstInstr.GcNew.ARRAY_NEW,
                ConstInstr.GcNew.ARRAY_NEW_DEFAULT, ConstInstr.GcNew.ARRAY_NEW_FIXED ->
                new ConstInstr.GcNew(sub, u32(what + " type index"), u32(what + " operand count"));
            default -> throw corrupt(what + " opcode 0xfb 0x" + Integer.toHexString(sub)
                + " is not allowed in a constant expression");
          };
        }
        default -> new ConstInstr.Binary(ConstInstr.Op.ofOpcode(opcode)
            .orElseThrow(() -> corrupt(what + " opcode 0x" + Integer.toHexString(opcode)
                + " is not allowed in a constant expression")));
      });
    }
    return new ConstExpr(instructions);
  }

  private TableType table() {
    ValType element = valType("table element type");
    if (!element.isReference()) {
      throw corrupt("table element type " + element + " is not a reference type");
    }
    int flags = u8("table flags");
    if ((flags & ~(InfoFormat.HAS_MAX | InfoFormat.IS_64)) != 0) {
      throw corrupt("table flags 0x" + Integer.toHexString(flags) + " has unknown bits");
    }
    return new TableType(element, limits(flags, "table", true), (flags & InfoFormat.IS_64) != 0);
  }

  private MemoryType memory() {
    int flags = u8("memory flags");
    if ((flags & ~(InfoFormat.HAS_MAX | InfoFormat.IS_64 | InfoFormat.SHARED)) != 0) {
      throw corrupt("memory flags 0x" + Integer.toHexString(flags) + " has unknown bits");
    }
    return new MemoryType(limits(flags, "memory", false), (flags & InfoFormat.IS_64) != 0,
        (flags & InfoFormat.SHARED) != 0);
  }

  /**
   * Limits as u64; {@code wholeRange} for a table's (a 64-bit table's may reach 2^64-1), a memory's
   * below 2^63.
   */
  private Limits limits(int flags, String what, boolean wholeRange) {
    long min = limit(what + " minimum", wholeRange);
    if ((flags & InfoFormat.HAS_MAX) == 0) {
      return new Limits(min, OptionalLong.empty());
    }
    long max = limit(what + " maximum", wholeRange);
    if (Long.compareUnsigned(max, min) < 0) {
      throw corrupt(what + " maximum " + Long.toUnsignedString(max) + " is below its minimum "
          + Long.toUnsignedString(min));
    }
    return new Limits(min, OptionalLong.of(max));
  }

  private long limit(String what, boolean wholeRange) {
    long value = u64(what);
    if (!wholeRange && value < 0) {
      throw corrupt(what + " is " + Long.toUnsignedString(value) + ", 2^63 or more");
    }
    return value;
  }

  private GlobalType globalType() {
    ValType type = valType("global type");
    int mutable = u8("global mutability");
    if (mutable > 1) {
      throw corrupt("global mutability " + mutable + " is neither 0 nor 1");
    }
    return new GlobalType(type, mutable == 1);
  }

  private SegmentMode mode(String what) {
    int code = u8(what);
    return SegmentMode.ofCode(code).orElseThrow(() -> corrupt(what + " " + code + " is unknown"));
  }

  private ValType valType(String what) {
    int code = u8(what);
    return ValType.ofCode(code).orElseThrow(() -> corrupt(what + " 0x" + Integer.toHexString(code)
        + " is not a value type"));
  }

  private ExternKind externKind(String what) {
    int code = u8(what);
    return ExternKind.ofCode(code).orElseThrow(() -> corrupt(what + " " + code + " is unknown"));
  }

  /**
   * A u32 count whose records take at least {@code minRecordSize} bytes each: checked against the
   * bytes left (and Kiln's per-kind limit) before the caller allocates anything for it.
   */
  private int count(String what, int minRecordSize) {
    long n = Integer.toUnsignedLong(u32(what + " count"));
    if (n > VmShape.MAX_COUNT || n * minRecordSize > in.size() - at) {
      throw corrupt(what + " count " + n + " cannot fit in the " + (in.size() - at) + " bytes left");
    }
    return (int) n;
  }

  private String string(String what) {
    long length = Integer.toUnsignedLong(u32(what + " length"));
    in.require(at, length, what);
    String s = in.utf8(at, (int) length, what);
    at += length;
    return s;
  }

  /**
   * Notes where the next field starts, and polls the load's deadline once every {@link
   * CompileDeadline#POLL_INTERVAL} fields: every record of every part is read field by field, so a
   * section of a million segments or globals is stopped inside its loop, whatever the part.
   */
  private void startField() {
    field = at;
    CompileDeadline.pollCounted(Phase.LOAD, ++fieldsRead);
  }

  /** A failure of the field read last. */
  private CorruptArtifactException corrupt(String message) {
    return in.corrupt(field, message);
  }

  private int u8(String what) {
    startField();
    int v = in.u8(at, what);
    at += 1;
    return v;
  }

  private int u16(String what) {
    startField();
    int v = in.u16(at, what);
    at += 2;
    return v;
  }

  private int u32(String what) {
    startField();
    int v = in.u32(at, what);
    at += 4;
    return v;
  }

  private long u64(String what) {
    startField();
    in.require(at, 8, what);
    long v = in.segment().get(SectionReader.U64, at);
    at += 8;
    return v;
  }
}
