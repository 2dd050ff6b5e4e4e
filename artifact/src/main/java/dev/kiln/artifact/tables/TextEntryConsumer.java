package dev.kiln.artifact.tables;

/** Receives a side table's entries in text order: a text offset and the entry's int value. */
@FunctionalInterface
public interface TextEntryConsumer {
  void accept(int textOffset, int value);
}
