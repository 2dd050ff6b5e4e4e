/**
 * The time budget of turning untrusted bytes into a running module: one {@link
 * dev.kiln.deadline.CompileDeadline} that the decoder and validator, the compiler's phases, the
 * artifact writer and the loader all poll. No dependencies, so every one of those modules can.
 */
module dev.kiln.deadline {
  exports dev.kiln.deadline;
}
