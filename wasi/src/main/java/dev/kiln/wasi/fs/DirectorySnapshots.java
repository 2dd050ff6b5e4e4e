package dev.kiln.wasi.fs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory listings one guest's fd_readdir calls page through. A guest reads a directory in
 * calls of one buffer each, passing the cookie where the last one stopped; listing the directory
 * afresh at every call made a directory of N entries cost O(N) per call and O(N^2) in all. Instead
 * the listing is taken when a guest starts at cookie 0 (as POSIX rewinddir(3) makes a directory
 * stream see the directory's current state) and kept on its descriptor; the calls that follow, at
 * later cookies, read from it, so paging through costs O(N) in all. Entries added or removed after
 * cookie 0 appear at the next cookie 0, which POSIX allows (readdir(3): whether such an entry is
 * returned "is unspecified").
 *
 * <p>Memory: a listing is as large as the directory, which the listing of one call already was;
 * at most {@value #MAX_KEPT} descriptors keep one (the most recently read, so a walk nested that
 * deep pages each level in O(N)), a closed descriptor drops its own, and a call at a later cookie
 * on a descriptor whose listing was dropped lists the directory again and keeps that.
 */
public final class DirectorySnapshots {
  /** The most descriptors holding a listing at once. */
  public static final int MAX_KEPT = 16;

  /** The descriptors holding a listing, least recently read first. */
  private final Map<DirectoryDescriptor, Boolean> holders = new LinkedHashMap<>(MAX_KEPT * 2, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<DirectoryDescriptor, Boolean> eldest) {
      if (size() > MAX_KEPT) {
        eldest.getKey().keepSnapshot(null);
        return true;
      }
      return false;
    }
  };
  private long entriesListed;

  /**
   * The listing of {@code dir} to read from {@code cookie} on: a fresh one at cookie 0 (or when
   * {@code dir} keeps none), else the one kept. Listing checks {@code limit} ({@link
   * DirectoryListing}).
   */
  public List<DirectoryListing.Entry> from(DirectoryDescriptor dir, long cookie, WaitLimit limit) {
    List<DirectoryListing.Entry> listing = cookie == 0 ? null : dir.snapshot();
    if (listing == null) {
      listing = DirectoryListing.read(dir.fd(), dir.preopenName() != null, limit);
      entriesListed += listing.size();
      dir.keepSnapshot(listing);
    }
    holders.put(dir, Boolean.TRUE);
    return listing;
  }

  /**
   * Directory entries listed from the kernel so far for this guest: the work fd_readdir has done,
   * which tests count (a paged listing of N entries costs N, not N per page).
   */
  public long entriesListed() {
    return entriesListed;
  }
}
