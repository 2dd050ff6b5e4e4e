package dev.kiln.wasm.decode;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.code.BodyFacts;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.CustomSection;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.EntryOffsets;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Global;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.PackedInts;
import dev.kiln.wasm.module.UnscannedModule;
import dev.kiln.wasm.module.NameSection;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Decodes the binary format (spec 5) into a {@link Module}: the header, then the sections in the
 * order spec 5.5.16 fixes with custom sections anywhere between them. Function bodies and constant
 * expressions are delimited by reading their instructions (so every malformed instruction is found
 * here, as the spec's decoding requires) but not kept as instructions: the model points into the
 * module's bytes.
 *
 * <p>Error wording and precedence follow the spec test suite (core/binary.wast, custom.wast,
 * binary-leb128.wast): a section is read first and its size compared afterwards ("section size
 * mismatch"); reading off the file is "unexpected end of section or function"; counts larger than the
 * rest of the file are "length out of bounds"; the cross-section checks (function and code counts,
 * data count) come after the last section.
 */
public final class Decoder {
  private static final int MAGIC = 0x6D736100; // "\0asm" read little-endian
  private static final int VERSION = 1;
  /** The tag kind of an import or export (WebAssembly 3.0 spec 5.5.5, 5.5.10). */
  private static final int TAG_KIND = 0x04;

  private final byte[] bytes;
  private final Features features;
  private final ByteCursor in;
  private final InstructionScanner scanner;
  /** Whether function bodies are scanned here ({@link #decode}) or left to validation ({@link #decodeUnscanned}). */
  private final boolean scanBodies;

  private final List<List<SubType>> typeGroups = new ArrayList<>();
  private final List<Import> imports = new ArrayList<>();
  /** Per function its type index, packed: a module declares as many as it has bytes. */
  private final PackedInts.Builder functions = new PackedInts.Builder(0);
  private final List<TableType> tables = new ArrayList<>();
  private final java.util.Map<Integer, ConstExpr> tableInitialisers = new java.util.HashMap<>();
  private final List<MemoryType> memories = new ArrayList<>();
  private final List<Global> globals = new ArrayList<>();
  private final List<Integer> tags = new ArrayList<>();
  private final List<Export> exports = new ArrayList<>();
  private OptionalInt start = OptionalInt.empty();
  private final List<ElementSegment> elements = new ArrayList<>();
  private OptionalInt dataCount = OptionalInt.empty();
  private final List<FunctionBody> code = new ArrayList<>();
  private final List<DataSegment> data = new ArrayList<>();
  private NameSection names = NameSection.EMPTY;
  private final List<CustomSection> customSections = new ArrayList<>();
  /** Where the entries begin ({@link EntryOffsets}), kept beside the lists above. */
  private final PackedInts.Builder importOffsets = new PackedInts.Builder(0);
  private final PackedInts.Builder functionOffsets = new PackedInts.Builder(0);
  private final PackedInts.Builder tableOffsets = new PackedInts.Builder(0);
  private final PackedInts.Builder memoryOffsets = new PackedInts.Builder(0);
  private final PackedInts.Builder globalOffsets = new PackedInts.Builder(0);
  private final PackedInts.Builder exportOffsets = new PackedInts.Builder(0);
  private int startOffset = -1;
  /** Where each known section's content begins (by {@link SectionId} ordinal), or -1. */
  private final int[] sectionContent = new int[SectionId.values().length];

  private Decoder(byte[] bytes, Features features, boolean scanBodies) {
    this.bytes = bytes;
    this.features = features;
    this.in = new ByteCursor(bytes, 0, bytes.length);
    this.scanner = new InstructionScanner(features);
    this.scanBodies = scanBodies;
    Arrays.fill(sectionContent, -1);
  }

  /** Decodes {@code bytes} with every feature Kiln supports ({@link Features#ALL}). */
  public static Module decode(byte[] bytes) {
    return decode(bytes, Features.ALL);
  }

  /**
   * Decodes {@code bytes} accepting the proposals in {@code features}.
   *
   * @throws MalformedException if the bytes are not a module in the binary format
   */
  public static Module decode(byte[] bytes, Features features) {
    return new Decoder(bytes, features, true).module();
  }

  /**
   * Decodes {@code bytes} as {@link #decode(byte[], Features)} does but for the function bodies'
   * instructions, which are left unread: each body is its size's range after its local declarations.
   * For a caller that validates the module next and so reads every body's instructions anyway
   * ({@code Validator.validateUnscanned}): the bodies are then read once instead of twice. An error
   * here or there need not be the one {@link #decode(byte[], Features)} and validation give (a
   * body's malformed encoding comes before a later section's error there), so a caller that reports
   * errors gets them from those ({@code Wasm.load}).
   *
   * @throws MalformedException if the bytes outside the bodies' instructions are not a module in the
   *     binary format
   */
  public static UnscannedModule decodeUnscanned(byte[] bytes, Features features) {
    return new UnscannedModule(new Decoder(bytes, features, false).module());
  }

  private Module module() {
    header();
    SectionId last = SectionId.CUSTOM;
    while (!in.atEnd()) {
      int sectionStart = in.position();
      // Custom sections may repeat without bound but for the file's size: poll by their count.
      CompileDeadline.pollCounted(Phase.DECODE, customSections.size());
      int id = in.u8();
      SectionId section = SectionId.of(id);
      if (section == null || section == SectionId.TAG && !features.wasm3()) {
        throw in.error("malformed section id", sectionStart);
      }
      if (section != SectionId.CUSTOM) {
        // Spec 5.5.16: each known section at most once, in order. The reference interpreter stops
        // at the first section it does not expect and reports the rest of the file as junk.
        if (section.ordinal() <= last.ordinal()) {
          throw in.error("unexpected content after last section", sectionStart);
        }
        last = section;
      }
      int size = in.len32();
      int contentStart = in.position();
      sectionContent[section.ordinal()] = contentStart;
      section(section, contentStart, size);
      if (in.position() - contentStart != size) {
        throw in.error("section size mismatch", contentStart);
      }
    }
    // The cross-section checks name the section that disagrees with the other: the code section
    // (or, without one, the function section); the data count section.
    if (functions.size() != code.size()) {
      int at = sectionContent[SectionId.CODE.ordinal()];
      throw in.error("function and code section have inconsistent lengths",
          at >= 0 ? at : sectionContent[SectionId.FUNCTION.ordinal()]);
    }
    if (dataCount.isPresent() && dataCount.getAsInt() != data.size()) {
      throw in.error("data count and data section have inconsistent lengths", sectionContent[SectionId.DATA_COUNT.ordinal()]);
    }
    BodyFacts facts = scanner.facts(); // nothing from the bodies unless they were scanned
    facts.requireDataCount(dataCount, data.size());
    return new Module(
        bytes, new TypeSection(typeGroups), imports, functions.build(), tables, memories, globals, tags, exports,
        start, elements, dataCount, code, data, names, customSections, facts.tablesWritten(), facts.firstExceptionUse(),
        new EntryOffsets(importOffsets.build(), functionOffsets.build(), tableOffsets.build(), memoryOffsets.build(),
            globalOffsets.build(), exportOffsets.build(), startOffset), tableInitialisers);
  }

  /** Spec 5.5.16: the magic "\0asm" and version 1, each four plain bytes. */
  private void header() {
    if (bytes.length < 4) {
      throw in.error("unexpected end", bytes.length);
    }
    if (in.fixedU32() != MAGIC) {
      throw in.error("magic header not detected", 0);
    }
    if (bytes.length < 8) {
      throw in.error("unexpected end", bytes.length);
    }
    if (in.fixedU32() != VERSION) {
      throw in.error("unknown binary version", 4);
    }
  }

  private void section(SectionId section, int contentStart, int size) {
    switch (section) {
      case CUSTOM -> customSection(contentStart, size);
      case TYPE -> typeSection();
      case IMPORT -> importSection();
      case FUNCTION -> functionSection();
      case TABLE -> tableSection();
      case MEMORY -> memorySection();
      case TAG -> tagSection();
      case GLOBAL -> globalSection();
      case EXPORT -> exportSection();
      case START -> {
        startOffset = in.position();
        start = OptionalInt.of(in.u32());
      }
      case ELEMENT -> elementSection();
      case DATA_COUNT -> {
        int at = in.position();
        long declared = Integer.toUnsignedLong(in.u32());
        ImplementationLimitException.check("data segments", declared, ImplementationLimitException.MAX_ENTRIES, at);
        dataCount = OptionalInt.of((int) declared);
      }
      case CODE -> codeSection();
      case DATA -> dataSection();
    }
  }

  /** Spec 5.5.3: a name, then uninterpreted bytes; the "name" section is decoded on the side. */
  private void customSection(int contentStart, int size) {
    String name = in.name();
    int payloadStart = in.position();
    long end = (long) contentStart + size;
    if (payloadStart > end || end > in.limit()) {
      // the name overruns the section, or the section the file: the interpreter's skip of a
      // negative or too long count
      throw in.error(ByteCursor.UNEXPECTED_END, in.limit());
    }
    in.seek((int) end);
    int payloadEnd = (int) end;
    ImplementationLimitException.check("custom sections", customSections.size() + 1L,
        ImplementationLimitException.MAX_ENTRIES, contentStart);
    customSections.add(new CustomSection(name, bytes, payloadStart, payloadEnd - payloadStart));
    if (name.equals("name") && names == NameSection.EMPTY) {
      names = NameSectionDecoder.decode(bytes, payloadStart, payloadEnd);
    }
  }

  private void typeSection() {
    int n = count("types", 0);
    long types = 0;
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      List<SubType> group = TypeDecoder.recGroup(in, features, types);
      types += group.size();
      typeGroups.add(group);
    }
  }

  /** Spec 5.5.5: module name, item name, then a kind byte and the kind's descriptor. */
  private void importSection() {
    int n = count("imports", 0);
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      importOffsets.add(in.position());
      String module = in.name();
      String name = in.name();
      int at = in.position();
      int kind = in.u8();
      ImportDesc desc =
          switch (kind) {
            case 0x00 -> new ImportDesc.Func(in.u32());
            case 0x01 -> new ImportDesc.Table(TypeDecoder.tableType(in, features));
            case 0x02 -> new ImportDesc.Memory(TypeDecoder.memoryType(in, features));
            case 0x03 -> new ImportDesc.Global(TypeDecoder.globalType(in, features));
            case TAG_KIND -> {
              if (!features.wasm3()) {
                throw in.error("malformed import kind", at);
              }
              yield new ImportDesc.Tag(tagType());
            }
            default -> throw in.error("malformed import kind", at);
          };
      imports.add(new Import(module, name, desc));
    }
  }

  private void functionSection() {
    int n = count("functions", imported(ImportDesc.Func.class));
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      functionOffsets.add(in.position());
      functions.add(in.u32());
    }
  }

  /**
   * Spec 5.5.7. WebAssembly 3.0 lets a table give its elements' initial value (0x40 0x00, then the
   * table type and a constant expression), a part of typed function references; a table of a
   * non-nullable type needs one (validation).
   */
  private void tableSection() {
    int n = count("tables", imported(ImportDesc.Table.class));
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      tableOffsets.add(in.position());
      int at = in.position();
      if (features.wasm3() && in.reader().peek() == 0x40) {
        in.u8();
        if (in.u8() != 0x00) {
          throw in.error("malformed reference type", at);
        }
        tables.add(TypeDecoder.tableType(in, features));
        tableInitialisers.put(i, constExpr());
        continue;
      }
      tables.add(TypeDecoder.tableType(in, features));
    }
  }

  private void memorySection() {
    int n = count("memories", imported(ImportDesc.Memory.class));
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      memoryOffsets.add(in.position());
      memories.add(TypeDecoder.memoryType(in, features));
    }
  }

  private void globalSection() {
    int n = count("globals", imported(ImportDesc.Global.class));
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      globalOffsets.add(in.position());
      globals.add(new Global(TypeDecoder.globalType(in, features), constExpr()));
    }
  }

  /** WebAssembly 3.0 spec 5.5.10: each tag is its type. */
  private void tagSection() {
    int n = count("tags", imported(ImportDesc.Tag.class));
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      tags.add(tagType());
    }
  }

  /** A tag type (spec 3.0 5.3.10): the attribute byte 0x00 (exception), then a type index. */
  private int tagType() {
    int at = in.position();
    if (in.u8() != 0x00) {
      throw in.error("malformed tag attribute", at);
    }
    return in.u32();
  }

  /** Spec 5.5.10: a name, a kind byte and an index. */
  private void exportSection() {
    int n = count("exports", 0);
    ExternKind[] kinds = ExternKind.values();
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      exportOffsets.add(in.position());
      String name = in.name();
      int at = in.position();
      int kind = in.u8();
      if (kind >= kinds.length || kind == TAG_KIND && !features.wasm3()) {
        throw in.error("malformed export kind", at);
      }
      exports.add(new Export(name, kinds[kind], in.u32()));
    }
  }

  private void elementSection() {
    int n = count("element segments", 0);
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      elements.add(SegmentDecoder.element(in, scanner));
    }
  }

  private void dataSection() {
    int n = count("data segments", 0);
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      data.add(SegmentDecoder.data(in, scanner));
    }
  }

  /** Spec 5.5.13: per function a size, the local declarations and the instructions. */
  private void codeSection() {
    int n = count("function bodies", 0);
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      int bodyStart = in.position();
      int size = in.len32();
      int contentStart = in.position();
      code.add(scanBodies ? CodeDecoder.body(in, bodyStart, scanner, features)
          : CodeDecoder.unscannedBody(in, bodyStart, contentStart + size, features));
      if (in.position() - contentStart != size) {
        throw in.error("section size mismatch", contentStart);
      }
    }
  }

  /**
   * A section's entry count (bounded by the bytes left, as every length is), refused at its offset
   * if it would take the index space or list past Kiln's limit with the {@code already} entries
   * imports put there: the refusal comes before a single entry is decoded or allocated.
   */
  private int count(String what, int already) {
    int at = in.position();
    int n = in.len32();
    ImplementationLimitException.check(what, (long) already + n, ImplementationLimitException.MAX_ENTRIES, at);
    return n;
  }

  /** How many of the imports decoded so far are of {@code kind}. */
  private int imported(Class<? extends ImportDesc> kind) {
    int n = 0;
    for (Import i : imports) {
      n += kind.isInstance(i.desc()) ? 1 : 0;
    }
    return n;
  }

  private ConstExpr constExpr() {
    return scanner.constExpr(in);
  }
}
