// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s

// Sequence splitting: when the widest value tile's grid leaves
// multiprocessors idle (B * H small) and the sequence has 16 chunks or
// more, the plan cuts it into segments of at least 8 chunks, enough to fill
// the GPU, and takes the call's workspace for their states: the first pass
// writes each segment's local state and decay, the combine turns them into
// incoming states, the second pass runs each segment from its own. The
// first pass reserves no Q buffers and no shared copy of S (it reads
// neither): 63 KB against the full kernel's 116 KB.
// CHECK-LABEL: func.func @simple_gla(
// CHECK:         %[[T:.*]] = memref.dim %{{.*}}, %c1
// CHECK:         %[[SMS:.*]] = call @loom_multiprocessor_count()
// CHECK:         %[[CHUNKS:.*]] = arith.ceildivui %[[T]], %c64
// CHECK:         %[[WANTED:.*]] = arith.minui
// CHECK:         %[[SEGCHUNKS:.*]] = arith.ceildivui %[[CHUNKS]],
// CHECK:         %[[SEGMENTS:.*]] = arith.ceildivui %[[CHUNKS]],
// CHECK:         %[[ALLOC:.*]] = memref.alloc(%{{.*}}) : memref<?xi8>
// CHECK:         scf.if %{{.*}} {
// CHECK:           gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv64_states blocks in (%{{.*}}, %c2, %[[SLOTS:.*]]) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c64000_i32
// CHECK:           gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_combine blocks in (%{{.*}}, %c32, %c1)
// CHECK:           gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv64_segments blocks in (%{{.*}}, %c2, %[[SEGMENTS]]) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c117248_i32
// CHECK:         } else {
// CHECK:           gpu.launch_func @loom_kernels::@simple_gla_linear_attention_0_bv64 blocks
// CHECK:         memref.dealloc %[[ALLOC]] : memref<?xi8>
// CHECK-NEXT:    return

// The first pass: no Q, a zero state, the decay summed over the chunks, the
// state and decay into the segment's slot. It runs three CTAs to a
// multiprocessor (no minctasm), so its copies keep one, clamped form for
// every chunk (no interior branch: at that register cap its pointers
// would spill).
// CHECK:       gpu.func @simple_gla_linear_attention_0_bv64_states(
// CHECK-SAME:    %{{.*}}: i64, %[[SEGCH:.*]]: i64, %[[NH:.*]]: i64, %[[NSLOTS:.*]]: i64, %[[WS:.*]]: !llvm.ptr<1>) kernel
// CHECK-NOT:     minctasm
// CHECK-SAME:    {
// CHECK:         %[[BZ:.*]] = gpu.block_id  z
// CHECK:         %[[SEG:.*]] = arith.index_castui %[[BZ]] : index to i64
// CHECK:         %[[BEGIN:.*]] = arith.muli %[[SEG]], %[[SEGCH]]
// CHECK:         %[[END:.*]] = arith.minui
// CHECK-NOT:     } else {
// CHECK:         scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step %c1_i64 iter_args(
// CHECK-NOT:       } else {
// CHECK:           arith.minui
// CHECK-NEXT:      arith.muli
// CHECK:           nvvm.cp.async.shared.global
// CHECK-NOT:       } else {
// CHECK:           scf.yield
// CHECK:         llvm.store %{{.*}} : vector<2xf32>, !llvm.ptr<1>
// CHECK:         gpu.return

// The combine: S = exp2(D) S + L per slot, written back in place.
// CHECK:       gpu.func @simple_gla_linear_attention_0_combine(%{{.*}}: !llvm.ptr<1>, %{{.*}}: i64, %[[CSLOTS:.*]]: i64) kernel
// CHECK:         scf.for %{{.*}} = %c0_i64 to %[[CSLOTS]] step %c1_i64 iter_args(
// CHECK:           llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK:           llvm.load %{{.*}} : !llvm.ptr<1> -> vector<4xf32>
// CHECK:           llvm.store %{{.*}} : vector<4xf32>, !llvm.ptr<1>

// The second pass: segment 0 from the initial state (none here: zeros),
// later ones from the slot before theirs; the last one writes the final
// state.
// CHECK:       gpu.func @simple_gla_linear_attention_0_bv64_segments(
// CHECK-SAME:    attributes {{{.*}}nvvm.minctasm = 1
// CHECK:         scf.if %{{.*}} -> (f32,
// CHECK:         scf.for
// CHECK:         %[[LAST:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : i64
func.func @simple_gla(%q: tensor<1x?x4x128xbf16>, %g: tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %q decay %g : (tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>)
  return %o, %s : tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>
}

// -----

// The delta rule's chunk transitions are not diagonal: no split (its
// workspace holds the chunks' inverses instead).
// CHECK-LABEL: func.func @delta(
// CHECK-NOT:     _states
// CHECK:         _inverse
// CHECK-NOT:     _states
// CHECK:         return
func.func @delta(%q: tensor<1x?x4x128xbf16>, %b: tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %q beta %b : (tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4x128xbf16>, tensor<1x?x4xf32>) -> (tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>)
  return %o, %s : tensor<1x?x4x128xbf16>, tensor<1x4x128x128xf32>
}
