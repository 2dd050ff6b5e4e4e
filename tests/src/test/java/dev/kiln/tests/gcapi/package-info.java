/**
 * The GC-API fuzzer (issue 35): random sequences of public API operations ({@code Func.call},
 * {@code Global}, {@code Table}, host functions that answer or throw, exceptions escaping to Java,
 * closes, a second thread) on stores of a guest with struct, array, i31 and exnref values, checked
 * against a shadow model of what each object holds. {@link dev.kiln.tests.gcapi.GcApiGuest} is the
 * guest, {@link dev.kiln.tests.gcapi.GcApiFuzzer} one sequence and its oracle, {@link
 * dev.kiln.tests.gcapi.GcApiFuzzCampaign} the time-budgeted campaign.
 */
package dev.kiln.tests.gcapi;
