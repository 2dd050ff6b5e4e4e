package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Host I/O failures as WASI errnos. java.nio turns ENOENT, EEXIST, EACCES and a few others into
 * dedicated exception types; every other errno arrives as a {@link FileSystemException} whose reason
 * is the C library's strerror text, so those are recognised by that text (glibc's wording, the only
 * libc Kiln's loader runs on). Anything unrecognised is {@link Errno#IO}.
 */
public final class IoErrors {
  private IoErrors() {}

  public static WasiException toWasi(IOException e) {
    return new WasiException(errno(e), String.valueOf(e.getMessage()));
  }

  public static Errno errno(IOException e) {
    return switch (e) {
      case NoSuchFileException _ -> Errno.NOENT;
      case FileAlreadyExistsException _ -> Errno.EXIST;
      case DirectoryNotEmptyException _ -> Errno.NOTEMPTY;
      case NotDirectoryException _ -> Errno.NOTDIR;
      case AccessDeniedException _ -> Errno.ACCES;
      case NotLinkException _ -> Errno.INVAL;
      case FileSystemLoopException _ -> Errno.LOOP;
      case ClosedChannelException _ -> Errno.BADF;
      case FileSystemException fs -> byReason(fs.getReason());
      default -> Errno.IO;
    };
  }

  private static Errno byReason(String reason) {
    if (reason == null) {
      return Errno.IO;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("is a directory")) return Errno.ISDIR;
    if (r.contains("not a directory")) return Errno.NOTDIR;
    if (r.contains("directory not empty")) return Errno.NOTEMPTY;
    if (r.contains("too many levels of symbolic links")) return Errno.LOOP;
    if (r.contains("file exists")) return Errno.EXIST;
    if (r.contains("no such file")) return Errno.NOENT;
    if (r.contains("permission denied")) return Errno.ACCES;
    if (r.contains("operation not permitted")) return Errno.PERM;
    if (r.contains("read-only file system")) return Errno.ROFS;
    if (r.contains("no space left")) return Errno.NOSPC;
    if (r.contains("file name too long")) return Errno.NAMETOOLONG;
    if (r.contains("cross-device")) return Errno.XDEV;
    if (r.contains("invalid argument")) return Errno.INVAL;
    if (r.contains("illegal seek")) return Errno.SPIPE;
    if (r.contains("file too large")) return Errno.FBIG;
    if (r.contains("too many links")) return Errno.MLINK;
    if (r.contains("busy")) return Errno.BUSY;
    return Errno.IO;
  }
}
