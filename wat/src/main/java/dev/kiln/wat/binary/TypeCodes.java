package dev.kiln.wat.binary;

/** The one-byte codes of types in the binary format (spec 5.3). */
public final class TypeCodes {
  private TypeCodes() {}

  public static final int I32 = 0x7F;
  public static final int I64 = 0x7E;
  public static final int F32 = 0x7D;
  public static final int F64 = 0x7C;
  public static final int V128 = 0x7B;
  /** Packed storage types of struct and array fields (spec 5.3.8). */
  public static final int I8 = 0x78;
  public static final int I16 = 0x77;

  /** Abstract heap types (spec 5.3.3); alone, each is also the nullable reference type's short form. */
  public static final int NOEXN = 0x74;
  public static final int NOFUNC = 0x73;
  public static final int NOEXTERN = 0x72;
  public static final int NONE = 0x71;
  public static final int FUNC = 0x70;
  public static final int EXTERN = 0x6F;
  public static final int ANY = 0x6E;
  public static final int EQ = 0x6D;
  public static final int I31 = 0x6C;
  public static final int STRUCT = 0x6B;
  public static final int ARRAY = 0x6A;
  public static final int EXN = 0x69;

  /** {@code (ref ht)} and {@code (ref null ht)} (spec 5.3.4). */
  public static final int REF = 0x64;
  public static final int REF_NULL = 0x63;

  /** Composite, sub and recursive types (spec 5.3.8-5.3.10). */
  public static final int FUNC_TYPE = 0x60;
  public static final int STRUCT_TYPE = 0x5F;
  public static final int ARRAY_TYPE = 0x5E;
  public static final int SUB = 0x50;
  public static final int SUB_FINAL = 0x4F;
  public static final int REC = 0x4E;

  /** The empty block type (spec 5.4.1). */
  public static final int EMPTY_BLOCK = 0x40;
}
