package dev.kiln.compiler.link;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;

/**
 * A directory of the default file system seen through a mount that misbehaves in one {@link
 * Behaviour} way, with no error saying so. Everything else is the default file system's.
 */
final class HostileFileSystem extends FileSystem {
  /** How the mount differs from the default file system. */
  enum Behaviour {
    /**
     * A mount without POSIX modes (vfat or exfat mounted {@code umask=0}, bindfs {@code
     * --perms=a+rw}): a file it creates gets mode rw-rw-rw- whatever mode was asked for.
     */
    IGNORES_MODE,
    /** A FUSE mount that answers every exclusive create ({@code O_CREAT | O_EXCL}) with EEXIST. */
    EVERY_NAME_EXISTS
  }

  private static final FileSystem REAL = FileSystems.getDefault();

  private final Behaviour behaviour;
  private final Provider provider = new Provider();

  private HostileFileSystem(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** {@code directory} as a mount that behaves as {@code behaviour} shows it. */
  static Path over(Path directory, Behaviour behaviour) {
    return new HostileFileSystem(behaviour).wrap(directory);
  }

  private Path wrap(Path real) {
    return (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class}, (proxy, method, args) -> {
      if (method.getName().equals("getFileSystem")) {
        return this;
      }
      Object[] realArgs = args == null ? null : args.clone();
      for (int i = 0; realArgs != null && i < realArgs.length; i++) {
        realArgs[i] = realArgs[i] instanceof Path p ? real(p) : realArgs[i];
      }
      try {
        Object result = method.invoke(real, realArgs);
        return result instanceof Path p ? wrap(p) : result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /** The default file system's path behind {@code path}. */
  private static Path real(Path path) {
    return path.getFileSystem() instanceof HostileFileSystem ? Path.of(path.toString()) : path;
  }

  @Override
  public FileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() {}

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return REAL.getSeparator();
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return REAL.supportedFileAttributeViews();
  }

  @Override
  public Path getPath(String first, String... more) {
    return wrap(REAL.getPath(first, more));
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    return REAL.getPathMatcher(syntaxAndPattern);
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return REAL.getUserPrincipalLookupService();
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException();
  }

  private final class Provider extends FileSystemProvider {
    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... ignored)
        throws IOException {
      if (behaviour == Behaviour.EVERY_NAME_EXISTS && options.contains(StandardOpenOption.CREATE_NEW)) {
        throw new FileAlreadyExistsException(path.toString());
      }
      boolean creates = !Files.exists(real(path), LinkOption.NOFOLLOW_LINKS)
          && (options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW));
      FileChannel channel = FileChannel.open(real(path), options);
      if (creates && behaviour == Behaviour.IGNORES_MODE) {
        // The mount's mode for every file; set after the create so that the test's umask does not narrow it.
        Files.setPosixFilePermissions(real(path), PosixFilePermissions.fromString("rw-rw-rw-"));
      }
      return channel;
    }

    @Override
    public String getScheme() {
      return "hostile";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Path getPath(URI uri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
        throws IOException {
      return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
      Files.createDirectory(real(dir));
    }

    @Override
    public void delete(Path path) throws IOException {
      Files.delete(real(path));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
      Files.copy(real(source), real(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
      Files.move(real(source), real(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
      return Files.isSameFile(real(path), real(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
      return Files.isHidden(real(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
      return Files.getFileStore(real(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
      real(path).getFileSystem().provider().checkAccess(real(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
      return Files.getFileAttributeView(real(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
        throws IOException {
      return Files.readAttributes(real(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
      return Files.readAttributes(real(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
      Files.setAttribute(real(path), attribute, value, options);
    }
  }
}
