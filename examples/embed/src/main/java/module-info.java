/**
 * The examples as a named module: compiled on the module path, they can use only what Kiln's
 * module exports, the one API package.
 */
module example.embed {
  requires dev.kiln.runtime;
}
