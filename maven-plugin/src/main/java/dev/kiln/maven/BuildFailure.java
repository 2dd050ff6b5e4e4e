package dev.kiln.maven;

/**
 * A build that cannot go on because of its input or configuration: a module that is malformed,
 * invalid or not compilable, a name that is no Java class name, an unreadable key. The message is
 * the one line the build shows, naming the file and, for a module, Kiln's offset and reason.
 */
final class BuildFailure extends Exception {
  private static final long serialVersionUID = 1L;

  BuildFailure(String message) {
    super(message);
  }
}
