/**
 * WASI preview1 for Kiln guests: the functions over guest memory, the file-system sandbox, and the
 * binding to the loader's host functions.
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.wasi {
  requires java.management;
  requires transitive dev.kiln.loader;

  exports dev.kiln.wasi to dev.kiln.cli, dev.kiln.runtime;
}
