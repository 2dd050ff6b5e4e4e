/**
 * A loaded module (docs/ARCHITECTURE.md section 3): {@link dev.kiln.loader.module.LoadedModule} reads a
 * {@code .cwasm} (a file, a cache entry or bytes) into private memory, runs every structural check
 * and the compatibility check on that copy before any byte of it can execute (for native x86-64 code
 * also {@link dev.kiln.loader.module.X64HostFeatures}: the CPU must have every extension the code
 * uses), checks that the function index has the entry points the module info promises ({@link
 * dev.kiln.loader.module.EntryPoints}), makes the copy read-only and its {@code .text} R|X, so what
 * runs is what was checked, and resolves entry points and backtrace frames through the copy's
 * function index. What every instance of the module shares is decided here once: the {@link
 * dev.kiln.loader.module.TableInitPlan} (which element segments become lazy-table images).
 *
 * <p>A module knows nothing of its instances: its pages stay until it is closed and the last
 * instance that {@link dev.kiln.loader.module.LoadedModule#retain retained} it has released it.
 * The package depends only on {@code runtime}, {@code exec}, {@code sys} and {@code profile}.
 */
package dev.kiln.loader.module;
