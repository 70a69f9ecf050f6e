// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,TWO
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=output-warpgroup=0 --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,ONE
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=separate-delta-inverse=false --canonicalize --cse | FileCheck %s --check-prefix=INLINE
// RUN: not loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 2>/dev/null | FileCheck %s --check-prefix=TILE64
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=warpgroup-mma=1 --canonicalize --cse | FileCheck %s --check-prefix=WGMMA
// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=column-groups=2 --canonicalize --cse | FileCheck %s --check-prefix=GROUPS
// RUN: not loom-opt %s -split-input-file --convert-loom-to-gpu=column-groups=3 2>&1 | FileCheck %s --check-prefix=BADGROUPS

// Gated DeltaNet (scalar decay + beta) with grouped heads: beta is checked
// like the decay and passed after it. First the inverse pass: a CTA per
// (sequence, head) and run of 4 chunks writes each chunk's T = (I + L)^-1,
// scores P (the ten lower 16x16 blocks of each, bf16) and cumulated decays
// G (64 f32) to the workspace as one image: 10496 bytes a chunk. Then the
// chunk loop, which reads them (so
// a 64-column state fits), one kernel per value tile chosen at launch.
// CHECK-LABEL: func.func @gated_delta(
// CHECK-SAME:    %{{.*}}: memref<?x?x2x128xbf16>, %{{.*}}: memref<?x?x2x128xbf16>, %{{.*}}: memref<?x?x4x128xbf16>, %[[G:.*]]: memref<?x?x4xf32>, %[[BETA:.*]]: memref<?x?x4xf32>, %{{.*}}: memref<?x?x4x128xbf16>, %{{.*}}: memref<?x4x128x128xf32>)
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'decay' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 0 (B) of 'beta' does not match the other operands"
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: dimension 1 (T) of 'beta' does not match the other operands"
// CHECK:         %[[GI:.*]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK:         %[[GC:.*]] = arith.index_cast %[[GI]]
// CHECK:         %[[GP:.*]] = llvm.inttoptr %[[GC]] : i64 to !llvm.ptr<1>
// CHECK:         %[[BI:.*]] = memref.extract_aligned_pointer_as_index %[[BETA]]
// CHECK:         %[[BC:.*]] = arith.index_cast %[[BI]]
// CHECK:         %[[BP:.*]] = llvm.inttoptr %[[BC]] : i64 to !llvm.ptr<1>
// CHECK:         %[[NH:.*]] = arith.muli %{{.*}}, %c4 : index
// CHECK:         %[[CHUNKS:.*]] = arith.ceildivui %{{.*}}, %c64 : index
// CHECK:         %[[PAIRS:.*]] = arith.muli %[[NH]], %[[CHUNKS]] : index
// CHECK:         %[[BYTES:.*]] = arith.muli %[[PAIRS]], %c10496 : index
// CHECK:         %[[WS:.*]] = memref.alloc(%[[BYTES]]) : memref<?xi8>
// CHECK:         %[[RUNS:.*]] = arith.ceildivui %[[CHUNKS]], %c4 : index
// CHECK:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_inverse blocks in (%[[NH]], %c1, %[[RUNS]]) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %{{.*}} args(%{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %[[GP]] : !llvm.ptr<1>, %[[BP]] : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : i64, %c4_i64 : i64, %c2_i64 : i64, %c4_i64 : i64, %{{.*}} : i64, %c0_i64 : i64, %[[WSP:.*]] : !llvm.ptr<1>)
// CHECK:         scf.if
// TWO:             gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv64 blocks in (%[[NH]], %c2, %c1) threads in (%c256, %c1, %c1) {{.*}} %[[WSP]] : !llvm.ptr<1>)
// ONE:             gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv64 blocks in (%[[NH]], %c2, %c1) threads in (%c128, %c1, %c1) {{.*}} %[[WSP]] : !llvm.ptr<1>)
// CHECK:         } else {
// CHECK:           gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv32 blocks in (%[[NH]], %c4, %c1)
// CHECK:           gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv16 blocks in (%[[NH]], %c8, %c1)
// CHECK-NOT:     gpu.launch_func
// CHECK:         memref.dealloc %[[WS]]
// The inverse pass: per chunk the lower 16x16 blocks of K K^T and Q K^T
// (five a warp, all reads of Q and K before the first barrier: past the
// last one the next chunk's copies may overwrite them), the diagonal blocks
// solved per lane, P to the workspace in 16-byte stores once every warp's
// blocks are in (overlapping the block substitution on tensor cores), G,
// then T; no state, no V. T and P go out in the image's order, a warp's
// 16-byte stores one block: two passes of 128 segments, then the last 64
// of 320 behind an if.
// CHECK:       gpu.module @loom_kernels
// CHECK:         gpu.func @gated_delta_linear_attention_0_inverse(
// CHECK-SAME:      nvvm.minctasm = 1 : i32
// CHECK:           scf.for
// CHECK:             nvvm.cp.async.wait.group 1
// CHECK:             nvvm.mma.sync
// CHECK:             nvvm.bar.warp.sync
// CHECK:             gpu.barrier
// CHECK-NOT:         scf.if
// CHECK:             llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK-NOT:         scf.if
// CHECK:             llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK-NEXT:        %[[LAST:.*]] = arith.cmpi ult, %{{.*}}, %c320_i64 : i64
// CHECK-NEXT:        scf.if %[[LAST]] {
// CHECK:               llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK:             nvvm.mma.sync
// CHECK:             llvm.store %{{.*}} : f32, !llvm.ptr<1>
// CHECK:             gpu.barrier
// CHECK:             llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK:             llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK:             scf.if
// CHECK:               llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// CHECK-NOT:         gpu.barrier
// CHECK-NOT:         scf.yield %
// CHECK:           gpu.return
// The chunk loop with T, P and G copied in beside K, V and beta: R, U =
// T R, then the additive chain on U, the state carried; no scan of the
// decays, no Q K^T. By default as two warpgroups of 128 threads: the
// output warpgroup (threads 128..255, emitted first here) copies its own Q,
// P and G, waits for chunk c's S and U on a named barrier of the whole CTA
// (kReady + c % 2), prefetches chunk c+1 past it, computes O and frees the
// buffers (kFree + c % 2, arrive only); the state warpgroup keeps K S, R,
// U and the state update under barrier 1 of its 128 threads, passes S and
// U on (arrive only), and waits for the free barrier from its second chunk
// on before it writes S(c+1). From a chunk's image each warpgroup copies
// its share, a block row of T or P at a time into its row of a 4 x 4 grid
// of blocks (the output warpgroup P and G: row 3 of P, from byte 5376 +
// 3072, in one pass of 128 threads, then rows 2 and 0 split between them,
// then row 1 and G); the blocks above the diagonals are never copied, and
// the first 128 threads zero them in both stages first (behind the one
// CTA-wide gpu.barrier left).
// value-tile=64 asks for the widest loop alone (the s0 case below refuses).
// TILE64-LABEL: func.func @gated_delta(
// TILE64:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_inverse
// TILE64:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv64
// TILE64-NOT:     _bv32
// TILE64:         gpu.func @gated_delta_linear_attention_0_bv64(
// TWO:         gpu.func @gated_delta_linear_attention_0_bv64(
// TWO:           %[[ZEROES:.*]] = arith.cmpi ult, %{{.*}}, %c128_i64 : i64
// TWO-NEXT:      scf.if %[[ZEROES]] {
// TWO-COUNT-24:    llvm.store %c0_i32, %{{.*}} : i32, !llvm.ptr<3>
// TWO-NEXT:      }
// TWO-NEXT:      gpu.barrier
// TWO-NOT:       gpu.barrier
// TWO:           %[[OUTPUT:.*]] = arith.cmpi uge, %{{.*}}, %c128_i64 : i64
// TWO-NEXT:      scf.if %[[OUTPUT]] {
// TWO:             %[[IMAGE:.*]] = arith.muli %{{.*}}, %c10496_i64 : i64
// TWO-NEXT:        %[[CHUNK:.*]] = llvm.getelementptr %{{.*}}[%[[IMAGE]]]
// TWO-NEXT:        %[[AT:.*]] = arith.muli %{{.*}}, %c16_i64 : i64
// TWO-NEXT:        %[[SRC:.*]] = llvm.getelementptr %[[CHUNK]][%[[AT]]]
// TWO-NEXT:        llvm.getelementptr %[[SRC]][8448]
// TWO-NOT:         scf.if
// TWO:             nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg, %c16_i32
// TWO-NEXT:        %[[ROW2:.*]] = arith.cmpi ult, %{{.*}}, %c96_i64 : i64
// TWO-NEXT:        scf.if %[[ROW2]] {
// TWO:             %[[ROW0:.*]] = arith.cmpi uge, %{{.*}}, %c96_i64 : i64
// TWO-NEXT:        scf.if %[[ROW0]] {
// TWO:             %[[ROW1:.*]] = arith.cmpi ult, %{{.*}}, %c64_i64 : i64
// TWO-NEXT:        scf.if %[[ROW1]] {
// TWO:             scf.for
// TWO:               nvvm.cp.async.wait.group 0
// TWO:               nvvm.barrier id = %{{.*}} number_of_threads = %c256_i32
// TWO:               nvvm.cp.async.commit.group
// TWO:               nvvm.mma.sync
// TWO:               nvvm.barrier.arrive id = %{{.*}} number_of_threads = %c256_i32
// TWO:               llvm.store %{{.*}} : vector<4xi32>, !llvm.ptr<1>
// TWO:           } else {
// TWO:             scf.for {{.*}} iter_args(
// TWO:               nvvm.cp.async.wait.group 0
// TWO-NEXT:          nvvm.barrier id = %c1_i32 number_of_threads = %c128_i32
// TWO:               nvvm.cp.async.commit.group
// TWO:               nvvm.mma.sync
// TWO:               nvvm.barrier id = %c1_i32 number_of_threads = %c128_i32
// TWO:               nvvm.barrier.arrive id = %{{.*}} number_of_threads = %c256_i32
// TWO-NEXT:          nvvm.barrier id = %c1_i32 number_of_threads = %c128_i32
// TWO:               scf.if %{{.*}} {
// TWO-NEXT:            arith.trunci
// TWO-NEXT:            arith.addi %{{.*}}, %c4_i32 : i32
// TWO-NEXT:            nvvm.barrier id = %{{.*}} number_of_threads = %c256_i32
// TWO:               llvm.store %{{.*}} : i32, !llvm.ptr<3>
// TWO:               scf.yield %
// TWO-NOT:       gpu.barrier
// TWO:           gpu.return
// With output-warpgroup=0 one warpgroup does it all. Chunk c+1's copies
// are issued past the barrier that opens chunk c (so the wait leaves Q(c)
// alone pending), Q(c+1)'s after S's shared copy is written.
// ONE:         gpu.func @gated_delta_linear_attention_0_bv64(
// ONE:           scf.for
// ONE:             nvvm.cp.async.wait.group 1
// ONE-NEXT:        gpu.barrier
// ONE:             nvvm.cp.async.shared.global
// ONE:             nvvm.cp.async.commit.group
// ONE-NOT:         gpu.shuffle
// ONE:             nvvm.mma.sync
// ONE:             nvvm.cp.async.wait.group 1
// ONE-NEXT:        gpu.barrier
// ONE:             gpu.barrier
// ONE:             llvm.store %{{.*}} : i32, !llvm.ptr<3>
// ONE:             nvvm.cp.async.shared.global
// ONE:             nvvm.cp.async.commit.group
// ONE-NEXT:        scf.yield %
// At 32 columns or fewer Q is in the ring and Q S runs beside K S, on the
// same B fragments of S (one for K's rows, one for Q's), ahead of R and U:
// the top of the chunk waits for every copy of chunk c.
// ONE:         gpu.func @gated_delta_linear_attention_0_bv32(
// ONE:           scf.for
// ONE:             nvvm.cp.async.wait.group 0
// ONE-NEXT:        gpu.barrier
// ONE:             nvvm.cp.async.commit.group
// ONE:             nvvm.mma.sync A[%[[KA:[0-9]+]], {{.*}}]  B[%[[SB:[0-9]+]], %{{[0-9]+}}]  C[%cst
// ONE:             nvvm.mma.sync A[%[[KA]], {{.*}}]  B[
// ONE:             nvvm.mma.sync A[%{{[0-9]+}}, {{.*}}]  B[%[[SB]], %{{[0-9]+}}]  C[%cst
// ONE:             scf.yield %
// CHECK:         gpu.func @gated_delta_linear_attention_0_bv16(
// A chunk wholly inside the sequence copies its rows unclamped, each copy a
// constant step from one pointer (K's rows 2048 elements apart: 8 rows of
// H = 2 key heads of 128); the sequence's last chunk clamps its rows and
// zero-fills those past the end.
// CHECK:           %[[INSIDE:.*]] = arith.cmpi uge, %arg7, %c64_i64 : i64
// CHECK-NEXT:      scf.if %[[INSIDE]] {
// CHECK-NOT:         arith.minui
// CHECK:             nvvm.cp.async.shared.global %{{.*}}, %[[FIRST:.*]], 16, cache =  cg, %c16_i32
// CHECK-NEXT:        %[[SECOND:.*]] = llvm.getelementptr %[[FIRST]][2048]
// CHECK:             nvvm.cp.async.shared.global %{{.*}}, %[[SECOND]], 16, cache =  cg, %c16_i32
// CHECK:           } else {
// CHECK:             arith.minui
// CHECK:             %[[SIZE:.*]] = arith.select %{{.*}}, %c16_i32, %c0_i32 : i32
// CHECK:             nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg, %[[SIZE]]
// CHECK:           scf.for

// On wgmma (warpgroup-mma=1) the loop's five products are warpgroup MMAs
// on core-matrix tiles, with no ldmatrix: K S (8 steps of k16) into R,
// U = T R (4), then the state update (2 blocks of 64 keys, 4 each), Q S
// (8) and P U (4) issued together. Every wait is for all of them, after a
// proxy fence and a barrier published their operands. The inverse pass
// keeps mma.sync.
// WGMMA-LABEL: gpu.func @gated_delta_linear_attention_0_inverse(
// WGMMA-NOT:     nvvm.wgmma
// WGMMA:         nvvm.mma.sync
// WGMMA-LABEL: gpu.func @gated_delta_linear_attention_0_bv64(
// WGMMA-NOT:     nvvm.ldmatrix
// WGMMA:         scf.for
// WGMMA:           nvvm.cp.async.wait.group 2
// WGMMA-NEXT:      nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// WGMMA-NEXT:      gpu.barrier
// WGMMA:           nvvm.wgmma.fence.aligned
// WGMMA-COUNT-8:   nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, {{.*}}], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// WGMMA:           nvvm.wgmma.commit.group.sync.aligned
// WGMMA-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA:           nvvm.fence.proxy
// WGMMA-NEXT:      gpu.barrier
// WGMMA-COUNT-4:   nvvm.wgmma.mma_async
// WGMMA:           nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA:           nvvm.cp.async.wait.group 1
// WGMMA-NEXT:      nvvm.fence.proxy
// WGMMA-NEXT:      gpu.barrier
// WGMMA:           nvvm.wgmma.fence.aligned
// WGMMA-COUNT-8:   nvvm.wgmma.mma_async {{.*}} A[<bf16>, <one>, <col>], B[<bf16>, <one>, <row>]
// WGMMA-COUNT-12:  nvvm.wgmma.mma_async {{.*}} A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// WGMMA:           nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA-NOT:       nvvm.mma.sync
// WGMMA:           scf.yield %
// WGMMA-NOT:     nvvm.ldmatrix
// WGMMA-LABEL: gpu.func @gated_delta_linear_attention_0_bv32(
// WGMMA:         nvvm.wgmma.mma_async {{.*}} <m = 64, n = 32, k = 16>
// WGMMA-LABEL: gpu.func @gated_delta_linear_attention_0_bv16(
// WGMMA:         nvvm.wgmma.mma_async {{.*}} <m = 64, n = 16, k = 16>

// With column-groups=2 the loop kernels of 64 and 32 columns run two
// warpgroups (256 threads) on the same chunk inputs: warp w % 4 keeps its
// rows, warpgroup w / 4 its half of the tile's columns (S, R, U, O), and
// none has an output warpgroup. The 16-column kernel keeps its output
// warpgroup, the inverse pass its one warpgroup.
// GROUPS-LABEL: func.func @gated_delta(
// GROUPS:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_inverse {{.*}} threads in (%c128, %c1, %c1)
// GROUPS:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv64 blocks in (%{{.*}}, %c2, %c1) threads in (%c256, %c1, %c1)
// GROUPS:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv32 blocks in (%{{.*}}, %c4, %c1) threads in (%c256, %c1, %c1)
// GROUPS:         gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv16 blocks in (%{{.*}}, %c8, %c1) threads in (%c256, %c1, %c1)
// GROUPS-LABEL: gpu.func @gated_delta_linear_attention_0_bv64(
// GROUPS-SAME:    known_block_size = array<i32: 256, 1, 1>
// GROUPS:         %[[TID:.*]] = arith.index_castui %thread_id_x : index to i64
// GROUPS:         %[[W:.*]] = arith.divui %[[TID]], %c32_i64 : i64
// GROUPS-NEXT:    arith.remui %[[W]], %c4_i64 : i64
// GROUPS-NEXT:    %[[GROUP:.*]] = arith.divui %[[TID]], %c128_i64 : i64
// GROUPS-NEXT:    arith.muli %[[GROUP]], %c32_i64 : i64
// GROUPS-NOT:     nvvm.barrier.arrive
// GROUPS:         scf.for
// GROUPS:           nvvm.mma.sync
// GROUPS:           scf.yield %
// GROUPS-LABEL: gpu.func @gated_delta_linear_attention_0_bv32(
// GROUPS-SAME:    known_block_size = array<i32: 256, 1, 1>
// GROUPS:         arith.divui %{{.*}}, %c128_i64 : i64
// GROUPS-NEXT:    arith.muli %{{.*}}, %c16_i64 : i64
// GROUPS-LABEL: gpu.func @gated_delta_linear_attention_0_bv16(
// GROUPS-SAME:    known_block_size = array<i32: 256, 1, 1>
// GROUPS:         nvvm.barrier.arrive
// BADGROUPS: error: convert-loom-to-gpu: column-groups must be 1 or 2

// Solved inline (separate-delta-inverse=false), the plan chooses between
// the 32- and 16-column kernels only (a 64-column state leaves the solve
// no registers) and needs no workspace.
// INLINE-LABEL: func.func @gated_delta(
// INLINE-NOT:     memref.alloc
// INLINE:         scf.if
// INLINE:           gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv32 blocks in (%{{.*}}, %c4, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %{{.*}} args(%{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>, %{{.*}} : !llvm.ptr<1>,
// INLINE:         } else {
// INLINE:           gpu.launch_func @loom_kernels::@gated_delta_linear_attention_0_bv16 blocks in (%{{.*}}, %c8, %c1)
// INLINE-NOT:     gpu.launch_func
// The kernel: one chunk loop; per chunk K K^T on tensor cores, the
// diagonal blocks of T solved per lane (ex2 for the decay weights), the
// block substitution and U = T R on tensor cores, then the additive
// chain on U. Q has one buffer, refilled once a chunk is done: the top of
// the loop waits for K, V and the gates (the newest two groups may still
// be in flight), and Q is waited for only before its first use.
// INLINE:       gpu.module @loom_kernels
// INLINE:         gpu.func @gated_delta_linear_attention_0_bv32(
// INLINE-SAME:      nvvm.minctasm = 1 : i32
// INLINE:           scf.for
// INLINE:             nvvm.cp.async.wait.group 2
// INLINE:             gpu.shuffle up
// INLINE:             nvvm.mma.sync
// INLINE:             llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// INLINE:             nvvm.bar.warp.sync
// INLINE:             gpu.barrier
// INLINE:             nvvm.ldmatrix {{.*}} layout = #nvvm.mma_layout<col>
// INLINE:             nvvm.mma.sync
// INLINE:             nvvm.cp.async.wait.group 1
// INLINE-NEXT:        gpu.barrier
// INLINE:             gpu.barrier
// INLINE:             nvvm.cp.async.commit.group
// INLINE:             scf.yield
// INLINE:         gpu.func @gated_delta_linear_attention_0_bv16(
module {
  func.func @gated_delta(%q: tensor<?x?x2x128xbf16>, %k: tensor<?x?x2x128xbf16>, %v: tensor<?x?x4x128xbf16>, %g: tensor<?x?x4xf32>, %b: tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>) {
    %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b : (tensor<?x?x2x128xbf16>, tensor<?x?x2x128xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>)
    return %o, %s : tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>
  }
}

// -----

// DeltaNet (beta, no decay) in f16 with an initial state: no decay stage,
// beta right after v in the kernel's parameters. Beside an initial state
// the chunk loop takes 32 columns at most, even reading T.
// CHECK-LABEL: func.func @delta_net(
// CHECK:         gpu.launch_func @loom_kernels::@delta_net_linear_attention_0_inverse blocks in (%c8, %c1, %{{.*}})
// CHECK:         gpu.launch_func @loom_kernels::@delta_net_linear_attention_0_bv32 blocks in (%c8, %c2, %c1)
// CHECK:         gpu.func @delta_net_linear_attention_0_inverse(
// CHECK-NOT:       gpu.shuffle
// CHECK:           nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK:         gpu.func @delta_net_linear_attention_0_bv{{[0-9]+}}(%{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr<1>)
// CHECK-NOT:       gpu.shuffle
// CHECK:           nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// WIDE: error: 'loom.linear_attention' op has no GPU kernel for this form: the delta rule with an initial state, K > 128 or cu_seqlens runs with value tiles of 16 or 32 columns (asked for 64); use value-tile=32, or 0 to choose at launch
module {
  func.func @delta_net(%q: tensor<2x?x4x64xf16>, %k: tensor<2x?x4x64xf16>, %v: tensor<2x?x4x64xf16>, %b: tensor<2x?x4xf32>, %s0: tensor<2x4x64x64xf32>) -> (tensor<2x?x4x64xf16>, tensor<2x4x64x64xf32>) {
    %o, %s = loom.linear_attention %q, %k, %v beta %b initial_state %s0 : (tensor<2x?x4x64xf16>, tensor<2x?x4x64xf16>, tensor<2x?x4x64xf16>, tensor<2x?x4xf32>, tensor<2x4x64x64xf32>) -> (tensor<2x?x4x64xf16>, tensor<2x4x64x64xf32>)
    return %o, %s : tensor<2x?x4x64xf16>, tensor<2x4x64x64xf32>
  }
}

// -----

// qk_l2norm: q and k rows are normalized in shared memory (two threads per
// row: a pairwise shuffle completes the sum, 2^(-log2(x)/2) the inverse
// square root) before their first use.
// CHECK-LABEL: func.func @normalized(
// CHECK:         gpu.func @normalized_linear_attention_0_bv{{[0-9]+}}(
// CHECK:           scf.for
// CHECK:             gpu.shuffle  xor
// CHECK:             llvm.call_intrinsic "llvm.nvvm.lg2.approx.ftz.f"
// ONE:               gpu.barrier
// TWO:               nvvm.barrier id = %c1_i32 number_of_threads = %c128_i32
module {
  func.func @normalized(%q: tensor<1x?x2x128xbf16>, %k: tensor<1x?x2x128xbf16>, %v: tensor<1x?x2x128xbf16>, %g: tensor<1x?x2xf32>, %b: tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>) {
    %o, %s = loom.linear_attention %q, %k, %v decay %g beta %b {qk_l2norm} : (tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2x128xbf16>, tensor<1x?x2xf32>, tensor<1x?x2xf32>) -> (tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>)
    return %o, %s : tensor<1x?x2x128xbf16>, tensor<1x2x128x128xf32>
  }
}
