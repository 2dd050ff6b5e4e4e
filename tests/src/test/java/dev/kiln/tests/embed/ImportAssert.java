package dev.kiln.tests.embed;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.instance.ImportLinkException;
import org.junit.jupiter.api.function.Executable;

/** Checks that linking fails with the spec suite's text at the start of the message. */
final class ImportAssert {
  private ImportAssert() {}

  static void unlinkable(String specText, Executable link) {
    ImportLinkException e = assertThrows(ImportLinkException.class, link);
    assertTrue(e.getMessage().startsWith(specText), e.getMessage());
  }
}
