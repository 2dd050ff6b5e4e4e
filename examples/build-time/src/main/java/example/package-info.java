/**
 * A module compiled at build time by kiln-maven-plugin and called through the class the plugin
 * generated for it ({@link example.BuildTime}). A Maven project of its own (examples/README.md).
 */
package example;
