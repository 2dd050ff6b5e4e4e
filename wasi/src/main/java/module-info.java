/**
 * WASI preview1 for Kiln guests: the functions over guest memory, the file-system sandbox, and the
 * binding to the loader's host functions.
 */
module dev.kiln.wasi {
  requires java.management;
  requires transitive dev.kiln.loader;

  exports dev.kiln.wasi;
  exports dev.kiln.wasi.abi;
  exports dev.kiln.wasi.fs;
}
