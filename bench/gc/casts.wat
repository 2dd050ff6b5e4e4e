;; A cast-heavy loop: an array of 4096 anyref slots holding a pseudo-random mix of three struct
;; subtypes of $shape ($circle, $rect and its final subtype $square) and i31 numbers; run(passes)
;; scores every slot `passes` times, each score found by br_on_cast, ref.test, ref.cast and
;; br_on_cast_fail. The kinds follow a linear congruential sequence (x = x * 1103515245 + 12345,
;; kind = (x >>> 16) & 3), so the casts' outcomes are not a short repeating pattern.
(module
  (type $shape (sub (struct (field $id i32))))
  (type $circle (sub final $shape (struct (field $id i32) (field $radius i32))))
  (type $rect (sub $shape (struct (field $id i32) (field $width i32) (field $height i32))))
  (type $square (sub final $rect (struct (field $id i32) (field $width i32) (field $height i32))))
  (type $slots (array (mut anyref)))

  (global $length i32 (i32.const 4096))

  ;; slot i: kind 0 a circle of radius i, 1 a rect i by 2, 2 a square of side i, 3 the i31 number i
  (func $fill (result (ref $slots))
    (local $slots (ref $slots))
    (local $i i32)
    (local $x i32)
    (local $kind i32)
    (local.set $slots (array.new_default $slots (global.get $length)))
    (loop $each
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $kind (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 3)))
      (array.set $slots (local.get $slots) (local.get $i)
        (block $made (result anyref)
          (br_if $made (struct.new $circle (local.get $i) (local.get $i)) (i32.eqz (local.get $kind)))
          (drop)
          (br_if $made (struct.new $rect (local.get $i) (local.get $i) (i32.const 2))
            (i32.eq (local.get $kind) (i32.const 1)))
          (drop)
          (br_if $made (struct.new $square (local.get $i) (local.get $i) (local.get $i))
            (i32.eq (local.get $kind) (i32.const 2)))
          (drop)
          (ref.i31 (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (global.get $length))))
    (local.get $slots))

  ;; circle: radius; square: side + 1; other rect: width * height; i31: its value; anything else: 0
  (func $score (param $v anyref) (result i32)
    (local $rect (ref $rect))
    (block $notCircle (result anyref)
      (return (struct.get $circle $radius
        (br_on_cast_fail $notCircle anyref (ref $circle) (local.get $v)))))
    (block $isRect (param anyref) (result (ref $rect))
      (br_on_cast $isRect anyref (ref $rect))
      (drop)
      (if (ref.test (ref i31) (local.get $v))
        (then (return (i31.get_u (ref.cast (ref i31) (local.get $v))))))
      (return (i32.const 0)))
    (local.set $rect)
    (if (ref.test (ref $square) (local.get $rect))
      (then (return (i32.add (struct.get $square $width (ref.cast (ref $square) (local.get $rect)))
        (i32.const 1)))))
    (i32.mul (struct.get $rect $width (local.get $rect)) (struct.get $rect $height (local.get $rect))))

  (func (export "run") (param $passes i32) (result i64)
    (local $slots (ref $slots))
    (local $sum i64)
    (local $pass i32)
    (local $i i32)
    (local.set $slots (call $fill))
    (block $done
      (loop $passes
        (br_if $done (i32.ge_s (local.get $pass) (local.get $passes)))
        (local.set $i (i32.const 0))
        (loop $each
          (local.set $sum (i64.add (local.get $sum)
            (i64.extend_i32_u (call $score (array.get $slots (local.get $slots) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $each (i32.lt_u (local.get $i) (global.get $length))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passes)))
    (local.get $sum)))
