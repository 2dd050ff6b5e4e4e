;; Allocation throughput: the binary-trees program (the Computer Language Benchmarks Game's shape)
;; on WebAssembly GC structs. run(maxDepth) builds a stretch tree of depth maxDepth+1, a long-lived
;; tree of depth maxDepth, and for each depth d = 4, 6, ... maxDepth, 2^(maxDepth-d+4) short-lived
;; trees of depth d; each tree's check is its node count, 2^(d+1)-1. The result is the sum of every
;; check made, so each engine must build and walk every node.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  ;; a perfect tree: depth 0 is a leaf (two null children)
  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new_default $node))
      (else
        (struct.new $node
          (call $make (i32.sub (local.get $depth) (i32.const 1)))
          (call $make (i32.sub (local.get $depth) (i32.const 1)))))))

  ;; the number of nodes under and including $n
  (func $check (param $n (ref $node)) (result i64)
    (local $left (ref null $node))
    (local.set $left (struct.get $node $left (local.get $n)))
    (if (result i64) (ref.is_null (local.get $left))
      (then (i64.const 1))
      (else
        (i64.add (i64.const 1)
          (i64.add
            (call $check (ref.as_non_null (local.get $left)))
            (call $check (ref.as_non_null (struct.get $node $right (local.get $n)))))))))

  (func (export "run") (param $maxDepth i32) (result i64)
    (local $sum i64)
    (local $longLived (ref null $node))
    (local $depth i32)
    (local $iterations i32)
    (local $i i32)
    ;; the stretch tree: garbage as soon as it is checked
    (local.set $sum (call $check (call $make (i32.add (local.get $maxDepth) (i32.const 1)))))
    (local.set $longLived (call $make (local.get $maxDepth)))
    (local.set $depth (i32.const 4))
    (block $depthsDone
      (loop $depths
        (br_if $depthsDone (i32.gt_s (local.get $depth) (local.get $maxDepth)))
        (local.set $iterations
          (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $maxDepth) (local.get $depth)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (loop $trees
          (local.set $sum (i64.add (local.get $sum) (call $check (call $make (local.get $depth)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_s (local.get $i) (local.get $iterations))))
        (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $sum) (call $check (ref.as_non_null (local.get $longLived))))))
