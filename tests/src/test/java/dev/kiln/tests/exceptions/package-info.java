/**
 * WebAssembly 3.0 exception handling and the legacy exception instructions end to end on both
 * targets: throws caught in the same function, another function or another instance, exception
 * objects in the store's GC heap and their reclamation, exnrefs across imports, globals and tables,
 * and what landing pads and safepoints keep alive (issue 38).
 */
package dev.kiln.tests.exceptions;
