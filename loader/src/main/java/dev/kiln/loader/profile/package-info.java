/**
 * What profilers need to name Kiln's code: the perf map for code loaded into anonymous memory
 * ({@link dev.kiln.loader.profile.PerfMap}). Kept apart from loading itself, which only reports what it
 * loaded and where.
 */
package dev.kiln.loader.profile;
