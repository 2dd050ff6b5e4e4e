;; Collections with a large live graph: run(liveDepth, garbageTrees) builds a perfect tree of depth
;; liveDepth held by a global (depth 21: 4,194,303 nodes; in Kiln's heap 24 bytes each, an 8-byte
;; header and two 8-byte references, 100.7 MB), then allocates garbageTrees short-lived trees of
;; depth 10 (2,047 nodes each) while that tree stays live, so every collection that runs meanwhile
;; has it to trace or copy. The result is the sum of every tree's node count (the live tree's counted
;; last, after the garbage), 2^(d+1)-1 each.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  (global $live (mut (ref null $node)) (ref.null $node))

  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new_default $node))
      (else
        (struct.new $node
          (call $make (i32.sub (local.get $depth) (i32.const 1)))
          (call $make (i32.sub (local.get $depth) (i32.const 1)))))))

  ;; the number of nodes under and including $n
  (func $count (param $n (ref null $node)) (result i64)
    (if (result i64) (ref.is_null (local.get $n))
      (then (i64.const 0))
      (else
        (i64.add (i64.const 1)
          (i64.add
            (call $count (struct.get $node $left (local.get $n)))
            (call $count (struct.get $node $right (local.get $n))))))))

  (func (export "run") (param $liveDepth i32) (param $garbageTrees i32) (result i64)
    (local $sum i64)
    (local $i i32)
    (global.set $live (call $make (local.get $liveDepth)))
    (block $done
      (loop $garbage
        (br_if $done (i32.ge_s (local.get $i) (local.get $garbageTrees)))
        (local.set $sum (i64.add (local.get $sum) (call $count (call $make (i32.const 10)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $garbage)))
    (local.set $sum (i64.add (local.get $sum) (call $count (global.get $live))))
    (global.set $live (ref.null $node))
    (local.get $sum)))
