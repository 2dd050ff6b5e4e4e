package dev.kiln.loader.instance;

import java.util.concurrent.atomic.AtomicLong;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.loader.runtime.ExceptionTag;
import dev.kiln.loader.runtime.Lifetime;
import java.util.Objects;

/**
 * One exception tag (WebAssembly 3.0 spec 4.2.x, tag instances): an identity and the type whose
 * parameters are an exception's payload. Two tags are the same tag only when they are the same
 * object: each instantiation of a module defines fresh tags, and an import is the exporter's very
 * tag, so a module instantiated twice has two distinct tags even of equal type (spec 4.5.4,
 * instance.wast). Deliberately not a record, whose equality would be its type's.
 */
public final class TagInstance implements ExceptionTag {
  /** Identities handed out so far: each tag's is distinct and nonzero in the whole process. */
  private static final AtomicLong IDENTITIES = new AtomicLong();

  private final FuncType type;
  private final int typeId;
  private final Lifetime owner;
  private final long identity = IDENTITIES.incrementAndGet();

  TagInstance(FuncType type, int typeId, Lifetime owner) {
    this.type = Objects.requireNonNull(type, "type");
    this.typeId = typeId;
    this.owner = Objects.requireNonNull(owner, "owner");
    if (!type.results().isEmpty()) {
      throw new IllegalArgumentException("a tag's type has no results: " + type);
    }
  }

  /** The tag's type: its parameters are the payload, its results empty. */
  @Override
  public FuncType type() {
    return type;
  }

  /**
   * The engine-wide id of the tag's canonical type ({@link dev.kiln.loader.runtime.RuntimeTypes}):
   * what import matching compares, since two types with typed references can share {@link #type}.
   */
  @Override
  public int typeId() {
    return typeId;
  }

  /**
   * The word that stands for this tag in compiled code ({@code VmLayout.tag}, an exception object's
   * {@code ExceptionLayout.TAG}): distinct for every tag instance of the process, never 0, the same
   * in every instance that imports this tag. Catch clauses compare it.
   */
  @Override
  public long identity() {
    return identity;
  }

  /** The instance that defined the tag. */
  public Lifetime owner() {
    return owner;
  }

  @Override
  public String toString() {
    return "tag " + type;
  }
}
