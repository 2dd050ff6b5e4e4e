package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory: where it sits inside a preopen's sandbox ({@link #sandbox()} plus the components
 * below its root, all of them plain names, never "." or "..") and, for a preopen itself, the guest
 * name fd_prestat_dir_name reports. Holding components rather than an opened host directory is what
 * lets {@link Sandbox} re-check every step on each use.
 */
public final class DirectoryDescriptor extends Descriptor {
  private final Sandbox sandbox;
  private final List<String> components;
  private final String preopenName;

  public DirectoryDescriptor(Sandbox sandbox, List<String> components, String preopenName,
      long rightsBase, long rightsInheriting) {
    super(rightsBase, rightsInheriting, 0);
    this.sandbox = sandbox;
    this.components = List.copyOf(components);
    this.preopenName = preopenName;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public List<String> components() {
    return components;
  }

  /** The guest-visible preopen name, or null for a directory opened with path_open. */
  public String preopenName() {
    return preopenName;
  }

  public Path hostPath() {
    return sandbox.hostPath(components);
  }

  @Override
  public FileType fileType() {
    return FileType.DIRECTORY;
  }

  @Override
  public void close() {
    // Nothing is held open on the host: the directory is re-resolved by name on every use.
  }
}
