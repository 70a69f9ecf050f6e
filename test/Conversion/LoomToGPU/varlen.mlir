// RUN: loom-opt %s -split-input-file --convert-loom-to-gpu=value-tile=64 --canonicalize --cse | FileCheck %s

// cu_seqlens: the plan checks the offsets' count, launches the check kernel
// over the offsets (their values live on the GPU), then one CTA per
// (segment, head) of the chunk kernel; states are per segment.
// CHECK-LABEL: func.func @gated_varlen(
// CHECK-SAME:    %{{.*}}: memref<1x?x2x64xbf16>, %{{.*}}: memref<1x?x2x64xbf16>, %{{.*}}: memref<1x?x4x64xbf16>, %{{.*}}: memref<1x?x4xf32>, %[[S0:.*]]: memref<?x4x64x64xf32>, %[[CU:.*]]: memref<?xi32>, %{{.*}}: memref<1x?x4x64xbf16>, %[[S:.*]]: memref<?x4x64x64xf32>)
// CHECK:         %[[OFFSETS:.*]] = memref.dim %[[CU]], %c0
// CHECK:         %[[ATLEAST:.*]] = arith.cmpi sge, %[[OFFSETS]], %c1
// CHECK:         %[[ASINT:.*]] = arith.extui %[[ATLEAST]] : i1 to i64
// CHECK:         %[[HOLDS:.*]] = arith.cmpi eq, %[[ASINT]], %c1_i64
// CHECK:         cf.assert %[[HOLDS]], "loom.linear_attention: cu_seqlens must hold at least one offset"
// CHECK:         %[[N:.*]] = arith.subi %[[OFFSETS]], %c1
// CHECK:         %[[BLOCKS:.*]] = arith.ceildivui %[[OFFSETS]], %c128
// CHECK:         gpu.launch_func @loom_kernels::@loom_check_cu_seqlens_linear_attention_i32 blocks in (%[[BLOCKS]], %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: the leading dimension of 'initial_state' does not match N"
// CHECK:         %[[SDIM:.*]] = memref.dim %[[S]], %c0
// CHECK:         arith.cmpi eq, %[[SDIM]], %[[N]]
// CHECK:         %[[NH:.*]] = arith.muli %[[N]], %c4
// CHECK:         gpu.launch_func @loom_kernels::@gated_varlen_linear_attention_0_bv64 blocks in (%[[NH]], %c1, %c1)

// The check kernel: one thread per offset, a device-side assert per rule.
// CHECK:       gpu.func @loom_check_cu_seqlens_linear_attention_i32(%{{.*}}: !llvm.ptr<1>, %[[COUNT:.*]]: i64, %[[T:.*]]: i64) kernel
// CHECK:         llvm.load %{{.*}} : !llvm.ptr<1> -> i32
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: cu_seqlens must start at 0"
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: the last cu_seqlens offset must equal T"
// CHECK:         cf.assert %{{.*}}, "loom.linear_attention: cu_seqlens must be non-decreasing"

// The chunk kernel reads its segment's bounds: segment = CTA / heads (4,
// static in the types, so a constant).
// CHECK:       gpu.func @gated_varlen_linear_attention_0_bv64(
// CHECK-SAME:    %[[CUARG:arg5]]: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64) kernel
// CHECK:         %[[BID:.*]] = gpu.block_id  x
// CHECK:         %[[BIDI:.*]] = arith.index_castui %[[BID]]
// CHECK:         %[[SEQ:.*]] = arith.divui %[[BIDI]], %c4_i64
// CHECK:         %[[STARTP:.*]] = llvm.getelementptr %[[CUARG]][%[[SEQ]]] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, i32
// CHECK:         %[[START32:.*]] = llvm.load %[[STARTP]] {alignment = 4 : i64} : !llvm.ptr<1> -> i32
// CHECK:         %[[START:.*]] = arith.extsi %[[START32]] : i32 to i64
// CHECK:         %[[END32:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> i32
// CHECK:         %[[END:.*]] = arith.extsi %[[END32]] : i32 to i64
// CHECK:         %[[LEN:.*]] = arith.subi %[[END]], %[[START]]
// CHECK:         %[[CHUNKS:.*]] = arith.divui %{{.*}}, %c64_i64
// An empty segment copies nothing before the loop.
// CHECK:         %[[NONEMPTY:.*]] = arith.cmpi ugt, %[[CHUNKS]], %c0_i64
// CHECK:         scf.if %[[NONEMPTY]] {
// CHECK:         scf.for %{{.*}} = %c0_i64 to %[[CHUNKS]]
func.func @gated_varlen(%q: tensor<1x?x2x64xbf16>, %k: tensor<1x?x2x64xbf16>, %v: tensor<1x?x4x64xbf16>, %g: tensor<1x?x4xf32>, %s0: tensor<?x4x64x64xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x4x64xbf16>, tensor<?x4x64x64xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g initial_state %s0 cu_seqlens %cu : (tensor<1x?x2x64xbf16>, tensor<1x?x2x64xbf16>, tensor<1x?x4x64xbf16>, tensor<1x?x4xf32>, tensor<?x4x64x64xf32>, tensor<?xi32>) -> (tensor<1x?x4x64xbf16>, tensor<?x4x64x64xf32>)
  return %o, %s : tensor<1x?x4x64xbf16>, tensor<?x4x64x64xf32>
}

// -----

// A dynamic batch must be 1 at run time; i64 offsets get their own check
// kernel, named for loom.ssd.
// CHECK-LABEL: func.func @ssd_varlen(
// CHECK:         cf.assert %{{.*}}, "loom.ssd: with cu_seqlens the batch size must be 1"
// CHECK:         gpu.launch_func @loom_kernels::@loom_check_cu_seqlens_ssd_i64
// CHECK:         gpu.launch_func @loom_kernels::@ssd_varlen_ssd_0_bv64
// CHECK:       gpu.func @loom_check_cu_seqlens_ssd_i64(
// CHECK:         llvm.load %{{.*}} : !llvm.ptr<1> -> i64
// CHECK-NOT:     arith.extsi
// CHECK:         cf.assert %{{.*}}, "loom.ssd: cu_seqlens must start at 0"
func.func @ssd_varlen(%x: tensor<?x?x4x64xbf16>, %dt: tensor<?x?x4xf32>, %A: tensor<4xf32>, %B: tensor<?x?x1x128xbf16>, %C: tensor<?x?x1x128xbf16>, %cu: tensor<?xi64>) -> (tensor<?x?x4x64xbf16>, tensor<?x4x64x128xf32>) {
  %y, %h = loom.ssd %x, %dt, %A, %B, %C cu_seqlens %cu : (tensor<?x?x4x64xbf16>, tensor<?x?x4xf32>, tensor<4xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>, tensor<?xi64>) -> (tensor<?x?x4x64xbf16>, tensor<?x4x64x128xf32>)
  return %y, %h : tensor<?x?x4x64xbf16>, tensor<?x4x64x128xf32>
}
