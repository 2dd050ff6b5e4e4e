/**
 * Lifetimes under attack (issue 12): the close orders and overwrites that once crashed the JVM, run
 * in a child JVM; a store's one-thread rule with real threads; function references from Java
 * checked against the store before compiled code calls through them; and the embedding soak.
 */
package dev.kiln.tests.lifetimes;
