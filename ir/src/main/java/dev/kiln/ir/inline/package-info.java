/**
 * Inlining's mechanics: {@link dev.kiln.ir.inline.CallInliner} replaces one direct call with a copy
 * of the callee's IR, recording the call as an {@link dev.kiln.ir.InlineSite}. Which calls to
 * inline (the policy, and where callee IR comes from) belongs to the compiler, which knows the
 * module; this package only knows IR, so it is tested on hand-written functions.
 */
package dev.kiln.ir.inline;
