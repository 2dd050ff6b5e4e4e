package dev.kiln.wasi.abi;

/** {@code filetype} (u8) of wasi_snapshot_preview1's typenames.witx, numbered in order. */
public enum FileType {
  UNKNOWN, BLOCK_DEVICE, CHARACTER_DEVICE, DIRECTORY, REGULAR_FILE, SOCKET_DGRAM, SOCKET_STREAM,
  SYMBOLIC_LINK;

  public int code() {
    return ordinal();
  }
}
