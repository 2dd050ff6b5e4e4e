/**
 * WebAssembly to Kiln IR, one function at a time (docs/ARCHITECTURE.md section 2): {@link
 * dev.kiln.compiler.translate.FuncTranslator} walks a validated body and builds SSA with the IR's
 * builder; {@link dev.kiln.compiler.translate.FuncEnvironment} turns questions about the instance
 * (memory base and length, globals, calls, builtins) into VMContext loads at the offsets of {@code
 * dev.kiln.artifact.vm.VmLayout}, the layout the loader uses too; {@link
 * dev.kiln.compiler.translate.ModuleEnvironment} holds what all functions of a module share, so
 * they can be translated in parallel. Operator tables ({@link
 * dev.kiln.compiler.translate.IntegerOperator}, {@link dev.kiln.compiler.translate.MemoryOperator})
 * keep the one-to-one mappings out of the control-flow code; instructions that expand into several
 * (bulk memory: range checks, then a libc call, {@link
 * dev.kiln.compiler.translate.BulkMemoryTranslator}) have a class of their own; so do the
 * reference and table instructions and {@code call_indirect} ({@link
 * dev.kiln.compiler.translate.TableOperators}, over the slot layout of {@code
 * dev.kiln.artifact.vm.TableStorage}; through a table whose slots never change, found by {@link
 * dev.kiln.compiler.translate.FixedTables}, as compares of the index and direct calls), and the
 * compiled slow path of lazily initialised funcref
 * tables ({@link dev.kiln.compiler.translate.LazyTableInitBuiltin}, IR for the TABLE_LAZY_INIT
 * builtin, so every backend compiles it into {@code .text}), and memory.grow in the same way
 * ({@link dev.kiln.compiler.translate.MemoryGrowBuiltin}: maximum, store account and mprotect
 * without a call into the runtime; {@link dev.kiln.compiler.translate.CompiledBuiltin} is what such
 * builtins share), and the epoch-deadline and fuel checks
 * an embedder stops code with ({@link dev.kiln.compiler.translate.InterruptChecks}, plain IR at
 * loop headers and function entries, so both backends get them from one definition), and the GC
 * instructions: struct and array objects in the store's heap ({@link
 * dev.kiln.compiler.translate.GcObjects}: bump allocation, null and bounds checks, field loads and
 * stores), the tests on the reference word ({@link dev.kiln.compiler.translate.ReferenceOperators})
 * and the supertype displays they share with {@code call_indirect} ({@link
 * dev.kiln.compiler.translate.SupertypeDisplays}). A reference's null check is left out where its
 * wasm type or its making says it is never null ({@link dev.kiln.compiler.translate.NullChecks}).
 *
 * <p><b>One function's translation</b>: {@link dev.kiln.compiler.translate.FuncTranslator} reads the
 * body, dispatches each operator and keeps the control frames ({@link
 * dev.kiln.compiler.translate.ControlFrame}) and the branches between them; the rest of its work has
 * one class per job, sharing the function's builder: the operand stack ({@link
 * dev.kiln.compiler.translate.OperandStack}), the numeric operators ({@link
 * dev.kiln.compiler.translate.NumericOperators}), the linear-memory accesses and their bounds checks
 * ({@link dev.kiln.compiler.translate.MemoryAccesses}), the handlers in scope, the calls' unwind edges
 * and each handler's dispatch ({@link dev.kiln.compiler.translate.ExceptionHandlers}), which GC
 * references are spilled around a safepoint call and where they go back ({@link
 * dev.kiln.compiler.translate.SafepointSpills}, with the reference locals' liveness at each safepoint
 * from {@link dev.kiln.compiler.translate.ReferenceLiveness}, and the {@link
 * dev.kiln.compiler.translate.SpillBudget} past which a function's references are frame-resident
 * instead of spilled), and the IR passes every translated function goes
 * through ({@link dev.kiln.compiler.translate.OptimisationPasses}). Apart because each is a job of its
 * own that the others only call: a change to the bounds checks, say, is read and reviewed in one place.
 *
 * <p><b>GC safepoints</b> ({@link dev.kiln.compiler.translate.GcSafepoints}): which IR values are GC
 * references, and their spilling around every call that can reach a collection, into stack slots
 * ({@code stack_addr}) the call's stack map names; after the call they are loaded back as new
 * values. Why spilling at safepoints rather than stack maps from the register allocator: a moving
 * collector rewrites an object's address, so every copy of that address the compiled code keeps
 * across the call must be one the collector can find and rewrite. With allocator maps, every pass
 * from translation to register allocation would have to treat references specially (no address
 * derived from a reference, such as an element's, may be kept across a call by value numbering or
 * hoisting; a value in a callee-saved register would need a map of registers, per ISA), and the
 * allocator would have to track which vregs are references through splits and moves. With spilling,
 * the IR itself says it: the value after the call is a new value loaded from memory the call may
 * write, so no pass can reuse the old one, the allocator is unchanged, the map is a list of frame
 * slots that is the same on both ISAs, and code that holds no reference across a call is byte for
 * byte what it was. The cost is a store and a load per reference per call, which the allocator's
 * own spilling around a call would mostly have paid anyway (calls clobber the caller-saved registers).
 * Where that cost would pass a budget proportional to the body (N references live across M calls,
 * or reloaded inside D nested constructs, whose joins each take them in), the function is translated
 * again with every reference it holds across a safepoint frame-resident ({@link
 * dev.kiln.compiler.translate.SafepointSpills}): locals, operand-stack values and caught exceptions
 * each in a slot of its own, stored once and loaded where used, the same slots named by every stack
 * map with no code per call, so the cost is N + M.
 */
package dev.kiln.compiler.translate;
