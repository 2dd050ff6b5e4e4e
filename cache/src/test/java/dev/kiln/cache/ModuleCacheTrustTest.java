package dev.kiln.cache;

import static dev.kiln.cache.ModuleCacheTest.CHECKED_PATH;
import static dev.kiln.cache.ModuleCacheTest.withoutSeal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.cache.ModuleCacheTest.Compile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache as a trust boundary, tried as an attacker who can write the cache directory but cannot
 * read the user's key: entries planted under the victim module's name (another module's genuine
 * entry, an entry with the victim's name and a valid seal, one tagged with a key derived for that
 * very name from another secret), and directories, entries and keys someone else owns, can write, or
 * reaches through a symbolic link. Each planted entry must be refused and replaced by the victim's
 * own code; each untrusted path must make the lookup read and store nothing and say why. The victim
 * is examples/hello.wasm, the attacker's code examples/cat.wasm, compiled with the same settings, so
 * the compat header check alone cannot tell them apart.
 */
class ModuleCacheTrustTest {
  private static final String BUILD = "kiln dev build 1";
  /** The user nobody (Debian's uid 65534): someone else. */
  private static final String SOMEONE_ELSE = "nobody";

  @TempDir Path dir;
  @TempDir Path config;

  private Path keyFile() {
    return config.resolve("kiln").resolve("cache.key");
  }

  private ModuleCache cacheAt(Path directory) {
    return ModuleCache.at(directory, keyFile(), ModuleCache.DEFAULT_MAX_BYTES, BUILD);
  }

  private static Compile cat() throws IOException {
    return new Compile(Files.readAllBytes(Path.of("../examples/cat.wasm")), ModuleCacheTest.hello().options());
  }

  private static Path entryOf(CachedArtifact<Path> result) {
    return switch (result) {
      case CachedArtifact.Hit<Path> hit -> hit.path();
      case CachedArtifact.Compiled<Path> compiled -> compiled.path();
      default -> throw new AssertionError("not stored: " + result);
    };
  }

  /** The victim's next lookup compiled its own module again over the planted entry, and stored that. */
  private static void assertReplacedByTheVictimsCode(ModuleCache cache, Compile victim, Path entry) throws IOException {
    int compiles = victim.calls().get();
    CachedArtifact<Path> result = ModuleCacheTest.lookup(cache, victim);
    assertEquals(new CachedArtifact.Compiled<>(entry, true, entry), result, "the planted entry was used");
    assertEquals(compiles + 1, victim.calls().get());
    assertArrayEquals(withoutSeal(victim.get()), withoutSeal(Files.readAllBytes(entry)));
    assertEquals(new CachedArtifact.Hit<>(entry, entry), ModuleCacheTest.lookup(cache, victim));
  }

  @Test
  void anotherModulesGenuineEntryUnderTheVictimsNameIsRefusedAndReplaced() throws IOException {
    ModuleCache cache = cacheAt(dir);
    Compile victim = ModuleCacheTest.hello();
    Compile attacker = cat();
    Path victimEntry = entryOf(ModuleCacheTest.lookup(cache, victim));
    // An entry this very user's key tagged, for another module: bound to that module, not this name.
    Path attackerEntry = entryOf(ModuleCacheTest.lookup(cache, attacker));
    Files.copy(attackerEntry, victimEntry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertReplacedByTheVictimsCode(cache, victim, victimEntry);
  }

  @Test
  void anEntryWithTheVictimsNameAndAValidSealButNoTagOfTheUsersKeyIsRefused() throws IOException {
    ModuleCache cache = cacheAt(dir);
    Compile victim = ModuleCacheTest.hello();
    // Anyone can compute the name: the module's bytes, the compiler build and the header are public.
    CacheKey name = CacheKey.of(BUILD, victim.header(), victim.wasm());
    Path entry = dir.resolve(name.hex() + ".cwasm");

    byte[] sealedOnly = cat().get();
    Files.write(entry, sealedOnly);
    assertReplacedByTheVictimsCode(cache, victim, entry);

    // Tagged under a key derived for exactly this name, from the attacker's secret.
    byte[] tagged = cat().get();
    ArtifactSeal.sign(tagged, name.tagKey(SigningKey.of(new byte[32])));
    Files.write(entry, tagged);
    assertReplacedByTheVictimsCode(cache, victim, entry);
  }

  @Test
  void theKeyIsMadeOnceOwnerOnlyOutsideTheCacheAndANewKeyRefusesOldEntries() throws IOException {
    ModuleCache cache = cacheAt(dir);
    Compile victim = ModuleCacheTest.hello();
    Path entry = entryOf(ModuleCacheTest.lookup(cache, victim));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile().getParent())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)));
    assertEquals(32, Files.size(keyFile()));
    try (Stream<Path> files = Files.list(keyFile().getParent())) {
      assertEquals(List.of(keyFile()), files.toList(), "no temporary key file is left");
    }
    byte[] key = Files.readAllBytes(keyFile());
    assertEquals(new CachedArtifact.Hit<>(entry, entry), ModuleCacheTest.lookup(cache, victim));
    assertArrayEquals(key, Files.readAllBytes(keyFile()), "the key is made once");

    Files.delete(keyFile());
    assertReplacedByTheVictimsCode(cache, victim, entry);
  }

  private void assertRefused(ModuleCache cache, Path named, String reason) throws IOException {
    Compile victim = ModuleCacheTest.hello();
    List<Path> before = filesUnder(dir);
    CachedArtifact<Path> result = ModuleCacheTest.lookup(cache, victim);
    CachedArtifact.Refused<?> refused = assertInstanceOf(CachedArtifact.Refused.class, result);
    assertEquals(named + ": " + reason, refused.reason().getMessage());
    assertArrayEquals(victim.get(), refused.artifact(), "the module is compiled, untagged, to run from memory");
    assertEquals(before, filesUnder(dir), "nothing is stored");
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.sorted().toList();
    }
  }

  @Test
  void aCacheDirectoryOthersCanWriteIsRefused() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertRefused(cacheAt(shared), shared, "writable by group or others (mode 0777)");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
    assertRefused(cacheAt(shared), shared, "writable by group or others (mode 0775)");

    // Below a directory others can write (without the sticky bit), a private directory is not: they
    // can rename it away and put theirs in its place.
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path inside = Files.createDirectory(shared.resolve("cache"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    assertRefused(cacheAt(inside), shared,
        "writable by group or others without the sticky bit (mode 0777), who could replace what is in it");
    ModuleCache missing = cacheAt(shared.resolve("not-yet"));
    assertRefused(missing, shared,
        "writable by group or others without the sticky bit (mode 0777), who could replace what is in it");

    // With the sticky bit (as /tmp), others cannot rename what is not theirs: a private directory
    // in it is the user's alone.
    Files.setAttribute(shared, "unix:mode", 01777);
    assertInstanceOf(CachedArtifact.Compiled.class, ModuleCacheTest.lookup(cacheAt(inside), ModuleCacheTest.hello()));
  }

  @Test
  void theDirectoriesTheCacheMakesAreOwnerOnly() throws IOException {
    Path made = dir.resolve("a").resolve("b");
    entryOf(ModuleCacheTest.lookup(cacheAt(made), ModuleCacheTest.hello()));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.getParent())));
  }

  @Test
  void aCacheDirectoryOrAnAncestorOwnedBySomeoneElseIsRefused() throws IOException {
    int other = ownedBySomeoneElse(Files.createDirectory(dir.resolve("theirs")));
    Path theirs = dir.resolve("theirs");
    assertRefused(cacheAt(theirs), theirs, "owned by user " + other + ", not by this user (" + me() + ")");
    Path below = theirs.resolve("mine");
    assertRefused(cacheAt(below), theirs, "owned by user " + other + ", not by this user (" + me()
        + ") or root, who could replace what is in it");
  }

  @Test
  void aCacheDirectoryReachedThroughASymbolicLinkIntoAWorldWritablePlaceIsRefused() throws IOException {
    Path world = Files.createDirectory(dir.resolve("world"));
    Files.setPosixFilePermissions(world, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path link = Files.createSymbolicLink(dir.resolve("cache"), world);
    assertRefused(cacheAt(link), world, "writable by group or others (mode 0777)");
    // The same through a relative link, and through a link to a link.
    Path relative = Files.createSymbolicLink(dir.resolve("relative"), Path.of("world"));
    assertRefused(cacheAt(relative), world, "writable by group or others (mode 0777)");
    Path chained = Files.createSymbolicLink(dir.resolve("chained"), relative);
    assertRefused(cacheAt(chained), world, "writable by group or others (mode 0777)");

    // A link of the user's to a private directory of the user's is fine.
    Path mine = Files.createDirectory(dir.resolve("mine"));
    Path toMine = Files.createSymbolicLink(dir.resolve("to-mine"), mine);
    assertInstanceOf(CachedArtifact.Compiled.class, ModuleCacheTest.lookup(cacheAt(toMine), ModuleCacheTest.hello()));
  }

  @Test
  void aSymbolicLinkSomeoneElseOwnsOnTheWayIsRefused() throws IOException {
    Path mine = Files.createDirectory(dir.resolve("mine"));
    Path link = Files.createSymbolicLink(dir.resolve("cache"), mine);
    int other = ownedBySomeoneElse(link);
    assertRefused(cacheAt(link), link, "a symbolic link owned by user " + other + ", not by this user (" + me()
        + ") or root");
  }

  @Test
  void anEntryOthersCanWriteOwnOrReachThroughALinkIsRefused() throws IOException {
    ModuleCache cache = cacheAt(dir);
    Compile victim = ModuleCacheTest.hello();
    Path entry = entryOf(ModuleCacheTest.lookup(cache, victim));

    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertRefused(cache, entry, "writable by group or others (mode 0666)");
    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-r--r--"));
    assertInstanceOf(CachedArtifact.Hit.class, ModuleCacheTest.lookup(cache, victim), "others may read an entry");

    int other = ownedBySomeoneElse(entry);
    assertRefused(cache, entry, "owned by user " + other + ", not by this user (" + me() + ")");

    Files.delete(entry);
    Path elsewhere = entryOf(ModuleCacheTest.lookup(cacheAt(Files.createDirectory(dir.resolve("elsewhere"))), victim));
    Files.createSymbolicLink(entry, elsewhere);
    assertRefused(cache, entry, "a symbolic link, not a file");
  }

  @Test
  void aKeyOthersCanReadOrWriteOrOwnIsRefused() throws IOException {
    ModuleCache cache = cacheAt(dir);
    entryOf(ModuleCacheTest.lookup(cache, ModuleCacheTest.hello()));
    Path key = keyFile();

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(cache, key, "readable or writable by group or others (mode 0644)");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    Files.setPosixFilePermissions(key.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertRefused(cache, key.getParent(), "writable by group or others (mode 0777)");
    Files.setPosixFilePermissions(key.getParent(), PosixFilePermissions.fromString("rwx------"));

    Files.write(key, new byte[16]);
    assertRefused(cache, key, "holds 16 bytes, not a key of at least 32 (delete it, and Kiln makes another)");

    int other = ownedBySomeoneElse(key);
    assertRefused(cache, key, "owned by user " + other + ", not by this user (" + me() + ")");
  }

  @Test
  void statsAndCleanOfAnUntrustedDirectoryAreRefusedAndDeleteNothing() throws IOException {
    ModuleCache cache = cacheAt(dir);
    Path entry = entryOf(ModuleCacheTest.lookup(cache, ModuleCacheTest.hello()));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(dir + ": writable by group or others (mode 0777)",
        assertThrows(UntrustedPathException.class, cache::stats).getMessage());
    assertThrows(UntrustedPathException.class, cache::clean);
    assertTrue(Files.exists(entry));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    assertEquals(1, cache.clean());
    assertFalse(Files.exists(entry));
  }

  private static int me() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /** Gives {@code path} (not what a link names) to another user; only root can (chown(2)). */
  private static int ownedBySomeoneElse(Path path) throws IOException {
    assumeTrue(me() == 0, "giving a file to another user needs root");
    UserPrincipal other = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SOMEONE_ELSE);
    Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(other);
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}
