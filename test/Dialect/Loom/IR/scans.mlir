// RUN: loom-opt %s -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file --mlir-print-op-generic | loom-opt -split-input-file | FileCheck %s
// RUN: loom-opt %s -split-input-file > %t.1.mlir
// RUN: loom-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

// CHECK-LABEL: func.func @selective_scan
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 {delta_softplus} : (tensor<2x64x100xbf16>, tensor<2x64x100xbf16>, tensor<64x16xf32>, tensor<2x1x16x100xbf16>, tensor<2x1x16x100xbf16>) -> (tensor<2x64x100xbf16>, tensor<2x64x16xf32>)
func.func @selective_scan(%arg0: tensor<2x64x100xbf16>, %arg1: tensor<2x64x100xbf16>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x1x16x100xbf16>, %arg4: tensor<2x1x16x100xbf16>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 {delta_softplus} : (tensor<2x64x100xbf16>, tensor<2x64x100xbf16>, tensor<64x16xf32>, tensor<2x1x16x100xbf16>, tensor<2x1x16x100xbf16>) -> (tensor<2x64x100xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 : (tensor<?x64x100xf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x2x16x100xf16>, tensor<?x2x16x100xf16>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf16>, tensor<?x64x16xf32>)
func.func @selective_scan_init(%arg0: tensor<?x64x100xf16>, %arg1: tensor<?x64x100xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x2x16x100xf16>, %arg4: tensor<?x2x16x100xf16>, %arg5: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 : (tensor<?x64x100xf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x2x16x100xf16>, tensor<?x2x16x100xf16>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_delta_bias
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 delta_bias %arg5 {delta_softplus} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x4x16x?xf32>, tensor<2x4x16x?xf32>, tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
func.func @selective_scan_delta_bias(%arg0: tensor<2x64x?xf32>, %arg1: tensor<2x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x4x16x?xf32>, %arg4: tensor<2x4x16x?xf32>, %arg5: tensor<64xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 delta_bias %arg5 {delta_softplus} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x4x16x?xf32>, tensor<2x4x16x?xf32>, tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_delta_bias_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 delta_bias %arg5 initial_state %arg6 : (tensor<?x64x?xbf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>)
func.func @selective_scan_delta_bias_init(%arg0: tensor<?x64x?xbf16>, %arg1: tensor<?x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x1x16x?xbf16>, %arg4: tensor<?x1x16x?xbf16>, %arg5: tensor<64xf32>, %arg6: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 delta_bias %arg5 initial_state %arg6 : (tensor<?x64x?xbf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_z
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 {delta_softplus} : (tensor<2x64x100xf16>, tensor<2x64x100xf16>, tensor<64x16xf32>, tensor<2x2x16x100xf16>, tensor<2x2x16x100xf16>, tensor<2x64x100xf16>) -> (tensor<2x64x100xf16>, tensor<2x64x16xf32>)
func.func @selective_scan_z(%arg0: tensor<2x64x100xf16>, %arg1: tensor<2x64x100xf16>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x2x16x100xf16>, %arg4: tensor<2x2x16x100xf16>, %arg5: tensor<2x64x100xf16>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 {delta_softplus} : (tensor<2x64x100xf16>, tensor<2x64x100xf16>, tensor<64x16xf32>, tensor<2x2x16x100xf16>, tensor<2x2x16x100xf16>, tensor<2x64x100xf16>) -> (tensor<2x64x100xf16>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_z_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 : (tensor<?x64x100xf32>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x4x16x100xf32>, tensor<?x4x16x100xf32>, tensor<?x64x100xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf32>, tensor<?x64x16xf32>)
func.func @selective_scan_z_init(%arg0: tensor<?x64x100xf32>, %arg1: tensor<?x64x100xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x4x16x100xf32>, %arg4: tensor<?x4x16x100xf32>, %arg5: tensor<?x64x100xf32>, %arg6: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 : (tensor<?x64x100xf32>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x4x16x100xf32>, tensor<?x4x16x100xf32>, tensor<?x64x100xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf32>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_z_delta_bias
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 delta_bias %arg6 {delta_softplus} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>, tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x16xf32>)
func.func @selective_scan_z_delta_bias(%arg0: tensor<2x64x?xbf16>, %arg1: tensor<2x64x?xbf16>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x1x16x?xbf16>, %arg4: tensor<2x1x16x?xbf16>, %arg5: tensor<2x64x?xbf16>, %arg6: tensor<64xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 delta_bias %arg6 {delta_softplus} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>, tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_z_delta_bias_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 delta_bias %arg6 initial_state %arg7 : (tensor<?x64x?xf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x2x16x?xf16>, tensor<?x2x16x?xf16>, tensor<?x64x?xf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xf16>, tensor<?x64x16xf32>)
func.func @selective_scan_z_delta_bias_init(%arg0: tensor<?x64x?xf16>, %arg1: tensor<?x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x2x16x?xf16>, %arg4: tensor<?x2x16x?xf16>, %arg5: tensor<?x64x?xf16>, %arg6: tensor<64xf32>, %arg7: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 delta_bias %arg6 initial_state %arg7 : (tensor<?x64x?xf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x2x16x?xf16>, tensor<?x2x16x?xf16>, tensor<?x64x?xf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 {delta_softplus} : (tensor<2x64x100xf32>, tensor<2x64x100xf32>, tensor<64x16xf32>, tensor<2x4x16x100xf32>, tensor<2x4x16x100xf32>, tensor<64xf32>) -> (tensor<2x64x100xf32>, tensor<2x64x16xf32>)
func.func @selective_scan_D(%arg0: tensor<2x64x100xf32>, %arg1: tensor<2x64x100xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x4x16x100xf32>, %arg4: tensor<2x4x16x100xf32>, %arg5: tensor<64xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 {delta_softplus} : (tensor<2x64x100xf32>, tensor<2x64x100xf32>, tensor<64x16xf32>, tensor<2x4x16x100xf32>, tensor<2x4x16x100xf32>, tensor<64xf32>) -> (tensor<2x64x100xf32>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 : (tensor<?x64x100xbf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x1x16x100xbf16>, tensor<?x1x16x100xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x100xbf16>, tensor<?x64x16xf32>)
func.func @selective_scan_D_init(%arg0: tensor<?x64x100xbf16>, %arg1: tensor<?x64x100xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x1x16x100xbf16>, %arg4: tensor<?x1x16x100xbf16>, %arg5: tensor<64xf32>, %arg6: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 : (tensor<?x64x100xbf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x1x16x100xbf16>, tensor<?x1x16x100xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x100xbf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_delta_bias
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 delta_bias %arg6 {delta_softplus} : (tensor<2x64x?xf16>, tensor<2x64x?xf16>, tensor<64x16xf32>, tensor<2x2x16x?xf16>, tensor<2x2x16x?xf16>, tensor<64xf32>, tensor<64xf32>) -> (tensor<2x64x?xf16>, tensor<2x64x16xf32>)
func.func @selective_scan_D_delta_bias(%arg0: tensor<2x64x?xf16>, %arg1: tensor<2x64x?xf16>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x2x16x?xf16>, %arg4: tensor<2x2x16x?xf16>, %arg5: tensor<64xf32>, %arg6: tensor<64xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 delta_bias %arg6 {delta_softplus} : (tensor<2x64x?xf16>, tensor<2x64x?xf16>, tensor<64x16xf32>, tensor<2x2x16x?xf16>, tensor<2x2x16x?xf16>, tensor<64xf32>, tensor<64xf32>) -> (tensor<2x64x?xf16>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_delta_bias_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 delta_bias %arg6 initial_state %arg7 : (tensor<?x64x?xf32>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x4x16x?xf32>, tensor<?x4x16x?xf32>, tensor<64xf32>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xf32>, tensor<?x64x16xf32>)
func.func @selective_scan_D_delta_bias_init(%arg0: tensor<?x64x?xf32>, %arg1: tensor<?x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x4x16x?xf32>, %arg4: tensor<?x4x16x?xf32>, %arg5: tensor<64xf32>, %arg6: tensor<64xf32>, %arg7: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 delta_bias %arg6 initial_state %arg7 : (tensor<?x64x?xf32>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x4x16x?xf32>, tensor<?x4x16x?xf32>, tensor<64xf32>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xf32>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_z
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 {delta_softplus} : (tensor<2x64x100xbf16>, tensor<2x64x100xbf16>, tensor<64x16xf32>, tensor<2x1x16x100xbf16>, tensor<2x1x16x100xbf16>, tensor<64xf32>, tensor<2x64x100xbf16>) -> (tensor<2x64x100xbf16>, tensor<2x64x16xf32>)
func.func @selective_scan_D_z(%arg0: tensor<2x64x100xbf16>, %arg1: tensor<2x64x100xbf16>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x1x16x100xbf16>, %arg4: tensor<2x1x16x100xbf16>, %arg5: tensor<64xf32>, %arg6: tensor<2x64x100xbf16>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 {delta_softplus} : (tensor<2x64x100xbf16>, tensor<2x64x100xbf16>, tensor<64x16xf32>, tensor<2x1x16x100xbf16>, tensor<2x1x16x100xbf16>, tensor<64xf32>, tensor<2x64x100xbf16>) -> (tensor<2x64x100xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_z_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 : (tensor<?x64x100xf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x2x16x100xf16>, tensor<?x2x16x100xf16>, tensor<64xf32>, tensor<?x64x100xf16>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf16>, tensor<?x64x16xf32>)
func.func @selective_scan_D_z_init(%arg0: tensor<?x64x100xf16>, %arg1: tensor<?x64x100xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x2x16x100xf16>, %arg4: tensor<?x2x16x100xf16>, %arg5: tensor<64xf32>, %arg6: tensor<?x64x100xf16>, %arg7: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 : (tensor<?x64x100xf16>, tensor<?x64x100xf32>, tensor<64x16xf32>, tensor<?x2x16x100xf16>, tensor<?x2x16x100xf16>, tensor<64xf32>, tensor<?x64x100xf16>, tensor<?x64x16xf32>) -> (tensor<?x64x100xf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_z_delta_bias
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 delta_bias %arg7 {delta_softplus} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x4x16x?xf32>, tensor<2x4x16x?xf32>, tensor<64xf32>, tensor<2x64x?xf32>, tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
func.func @selective_scan_D_z_delta_bias(%arg0: tensor<2x64x?xf32>, %arg1: tensor<2x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<2x4x16x?xf32>, %arg4: tensor<2x4x16x?xf32>, %arg5: tensor<64xf32>, %arg6: tensor<2x64x?xf32>, %arg7: tensor<64xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 delta_bias %arg7 {delta_softplus} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x4x16x?xf32>, tensor<2x4x16x?xf32>, tensor<64xf32>, tensor<2x64x?xf32>, tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @selective_scan_D_z_delta_bias_init
// CHECK: %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 delta_bias %arg7 initial_state %arg8 : (tensor<?x64x?xbf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<64xf32>, tensor<?x64x?xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>)
func.func @selective_scan_D_z_delta_bias_init(%arg0: tensor<?x64x?xbf16>, %arg1: tensor<?x64x?xf32>, %arg2: tensor<64x16xf32>, %arg3: tensor<?x1x16x?xbf16>, %arg4: tensor<?x1x16x?xbf16>, %arg5: tensor<64xf32>, %arg6: tensor<?x64x?xbf16>, %arg7: tensor<64xf32>, %arg8: tensor<?x64x16xf32>) {
  %y, %final_state = loom.selective_scan %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 delta_bias %arg7 initial_state %arg8 : (tensor<?x64x?xbf16>, tensor<?x64x?xf32>, tensor<64x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<64xf32>, tensor<?x64x?xbf16>, tensor<64xf32>, tensor<?x64x16xf32>) -> (tensor<?x64x?xbf16>, tensor<?x64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
func.func @ssd(%arg0: tensor<2x256x8x64xbf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x1x128xbf16>, %arg4: tensor<2x256x1x128xbf16>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 cu_seqlens %arg5 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 cu_seqlens %arg5 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_init(%arg0: tensor<?x256x8x64xf32>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x8x128xf32>, %arg4: tensor<?x256x8x128xf32>, %arg5: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_init_varlen(%arg0: tensor<1x?x8x64xbf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x1x128xbf16>, %arg4: tensor<1x?x1x128xbf16>, %arg5: tensor<?x8x64x128xf32>, %arg6: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 initial_state %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_dt_bias
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
func.func @ssd_dt_bias(%arg0: tensor<2x256x8x64xf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x2x128xf16>, %arg4: tensor<2x256x2x128xf16>, %arg5: tensor<8xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_dt_bias_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_dt_bias_varlen(%arg0: tensor<1x?x8x64xf32>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x8x128xf32>, %arg4: tensor<1x?x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_dt_bias_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_dt_bias_init(%arg0: tensor<?x256x8x64xbf16>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x1x128xbf16>, %arg4: tensor<?x256x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_dt_bias_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_dt_bias_init_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<?x8x64x128xf32>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 dt_bias %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 {dt_softplus} : (tensor<2x256x8x64xf32>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x64xf32>) -> (tensor<2x256x8x64xf32>, tensor<2x8x64x128xf32>)
func.func @ssd_z(%arg0: tensor<2x256x8x64xf32>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x8x128xf32>, %arg4: tensor<2x256x8x128xf32>, %arg5: tensor<2x256x8x64xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 {dt_softplus} : (tensor<2x256x8x64xf32>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x64xf32>) -> (tensor<2x256x8x64xf32>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x8x64xbf16>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_z_varlen(%arg0: tensor<1x?x8x64xbf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x1x128xbf16>, %arg4: tensor<1x?x1x128xbf16>, %arg5: tensor<1x?x8x64xbf16>, %arg6: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x8x64xbf16>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x2x128xf16>, tensor<?x256x2x128xf16>, tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_z_init(%arg0: tensor<?x256x8x64xf16>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x2x128xf16>, %arg4: tensor<?x256x2x128xf16>, %arg5: tensor<?x256x8x64xf16>, %arg6: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x2x128xf16>, tensor<?x256x2x128xf16>, tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_z_init_varlen(%arg0: tensor<1x?x8x64xf32>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x8x128xf32>, %arg4: tensor<1x?x8x128xf32>, %arg5: tensor<1x?x8x64xf32>, %arg6: tensor<?x8x64x128xf32>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_dt_bias
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>, tensor<2x256x8x64xbf16>, tensor<8xf32>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
func.func @ssd_z_dt_bias(%arg0: tensor<2x256x8x64xbf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x1x128xbf16>, %arg4: tensor<2x256x1x128xbf16>, %arg5: tensor<2x256x8x64xbf16>, %arg6: tensor<8xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>, tensor<2x256x8x64xbf16>, tensor<8xf32>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_dt_bias_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<1x?x8x64xf16>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_z_dt_bias_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<1x?x8x64xf16>, %arg6: tensor<8xf32>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<1x?x8x64xf16>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_dt_bias_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x64xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_z_dt_bias_init(%arg0: tensor<?x256x8x64xf32>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x8x128xf32>, %arg4: tensor<?x256x8x128xf32>, %arg5: tensor<?x256x8x64xf32>, %arg6: tensor<8xf32>, %arg7: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x64xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_z_dt_bias_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x8x64xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_z_dt_bias_init_varlen(%arg0: tensor<1x?x8x64xbf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x1x128xbf16>, %arg4: tensor<1x?x1x128xbf16>, %arg5: tensor<1x?x8x64xbf16>, %arg6: tensor<8xf32>, %arg7: tensor<?x8x64x128xf32>, %arg8: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 z %arg5 dt_bias %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x8x64xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
func.func @ssd_D(%arg0: tensor<2x256x8x64xf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x2x128xf16>, %arg4: tensor<2x256x2x128xf16>, %arg5: tensor<8xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_D_varlen(%arg0: tensor<1x?x8x64xf32>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x8x128xf32>, %arg4: tensor<1x?x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 cu_seqlens %arg6 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_init(%arg0: tensor<?x256x8x64xbf16>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x1x128xbf16>, %arg4: tensor<?x256x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_init_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<?x8x64x128xf32>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 initial_state %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_dt_bias
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 {dt_softplus} : (tensor<2x256x8x64xf32>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x128xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<2x256x8x64xf32>, tensor<2x8x64x128xf32>)
func.func @ssd_D_dt_bias(%arg0: tensor<2x256x8x64xf32>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x8x128xf32>, %arg4: tensor<2x256x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<8xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 {dt_softplus} : (tensor<2x256x8x64xf32>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x8x128xf32>, tensor<2x256x8x128xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<2x256x8x64xf32>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_dt_bias_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<8xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_dt_bias_varlen(%arg0: tensor<1x?x8x64xbf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x1x128xbf16>, %arg4: tensor<1x?x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<8xf32>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<8xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_dt_bias_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x2x128xf16>, tensor<?x256x2x128xf16>, tensor<8xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_dt_bias_init(%arg0: tensor<?x256x8x64xf16>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x2x128xf16>, %arg4: tensor<?x256x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<8xf32>, %arg7: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x2x128xf16>, tensor<?x256x2x128xf16>, tensor<8xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_dt_bias_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_D_dt_bias_init_varlen(%arg0: tensor<1x?x8x64xf32>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x8x128xf32>, %arg4: tensor<1x?x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<8xf32>, %arg7: tensor<?x8x64x128xf32>, %arg8: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 dt_bias %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>, tensor<8xf32>, tensor<2x256x8x64xbf16>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
func.func @ssd_D_z(%arg0: tensor<2x256x8x64xbf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x1x128xbf16>, %arg4: tensor<2x256x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<2x256x8x64xbf16>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 {dt_softplus} : (tensor<2x256x8x64xbf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x1x128xbf16>, tensor<2x256x1x128xbf16>, tensor<8xf32>, tensor<2x256x8x64xbf16>) -> (tensor<2x256x8x64xbf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<1x?x8x64xf16>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<1x?x8x64xf16>, %arg7: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 cu_seqlens %arg7 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<1x?x8x64xf16>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<8xf32>, tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_init(%arg0: tensor<?x256x8x64xf32>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x8x128xf32>, %arg4: tensor<?x256x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<?x256x8x64xf32>, %arg7: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 {dt_softplus} : (tensor<?x256x8x64xf32>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x8x128xf32>, tensor<?x256x8x128xf32>, tensor<8xf32>, tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<8xf32>, tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_init_varlen(%arg0: tensor<1x?x8x64xbf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x1x128xbf16>, %arg4: tensor<1x?x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<1x?x8x64xbf16>, %arg7: tensor<?x8x64x128xf32>, %arg8: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 initial_state %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xbf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<8xf32>, tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_dt_bias
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>, tensor<2x256x8x64xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
func.func @ssd_D_z_dt_bias(%arg0: tensor<2x256x8x64xf16>, %arg1: tensor<2x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<2x256x2x128xf16>, %arg4: tensor<2x256x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<2x256x8x64xf16>, %arg7: tensor<8xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 {dt_softplus} : (tensor<2x256x8x64xf16>, tensor<2x256x8xf32>, tensor<8xf32>, tensor<2x256x2x128xf16>, tensor<2x256x2x128xf16>, tensor<8xf32>, tensor<2x256x8x64xf16>, tensor<8xf32>) -> (tensor<2x256x8x64xf16>, tensor<2x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_dt_bias_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<1x?x8x64xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_dt_bias_varlen(%arg0: tensor<1x?x8x64xf32>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x8x128xf32>, %arg4: tensor<1x?x8x128xf32>, %arg5: tensor<8xf32>, %arg6: tensor<1x?x8x64xf32>, %arg7: tensor<8xf32>, %arg8: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 cu_seqlens %arg8 : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x8x128xf32>, tensor<1x?x8x128xf32>, tensor<8xf32>, tensor<1x?x8x64xf32>, tensor<8xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_dt_bias_init
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 initial_state %arg8 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x256x8x64xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_dt_bias_init(%arg0: tensor<?x256x8x64xbf16>, %arg1: tensor<?x256x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<?x256x1x128xbf16>, %arg4: tensor<?x256x1x128xbf16>, %arg5: tensor<8xf32>, %arg6: tensor<?x256x8x64xbf16>, %arg7: tensor<8xf32>, %arg8: tensor<?x8x64x128xf32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 initial_state %arg8 {dt_softplus} : (tensor<?x256x8x64xbf16>, tensor<?x256x8xf32>, tensor<8xf32>, tensor<?x256x1x128xbf16>, tensor<?x256x1x128xbf16>, tensor<8xf32>, tensor<?x256x8x64xbf16>, tensor<8xf32>, tensor<?x8x64x128xf32>) -> (tensor<?x256x8x64xbf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @ssd_D_z_dt_bias_init_varlen
// CHECK: %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 initial_state %arg8 cu_seqlens %arg9 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<1x?x8x64xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
func.func @ssd_D_z_dt_bias_init_varlen(%arg0: tensor<1x?x8x64xf16>, %arg1: tensor<1x?x8xf32>, %arg2: tensor<8xf32>, %arg3: tensor<1x?x2x128xf16>, %arg4: tensor<1x?x2x128xf16>, %arg5: tensor<8xf32>, %arg6: tensor<1x?x8x64xf16>, %arg7: tensor<8xf32>, %arg8: tensor<?x8x64x128xf32>, %arg9: tensor<?xi32>) {
  %y, %final_state = loom.ssd %arg0, %arg1, %arg2, %arg3, %arg4 D %arg5 z %arg6 dt_bias %arg7 initial_state %arg8 cu_seqlens %arg9 : (tensor<1x?x8x64xf16>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x2x128xf16>, tensor<1x?x2x128xf16>, tensor<8xf32>, tensor<1x?x8x64xf16>, tensor<8xf32>, tensor<?x8x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x8x64xf16>, tensor<?x8x64x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_default
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 : (tensor<2x33x256xbf16>, tensor<256x4xf32>) -> tensor<2x33x256xbf16>
func.func @causal_conv1d_default(%arg0: tensor<2x33x256xbf16>, %arg1: tensor<256x4xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 : (tensor<2x33x256xbf16>, tensor<256x4xf32>) -> tensor<2x33x256xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_none
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 : (tensor<2x?x256xf16>, tensor<256x4xf32>) -> tensor<2x?x256xf16>
func.func @causal_conv1d_none(%arg0: tensor<2x?x256xf16>, %arg1: tensor<256x4xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 {activation = "none"} : (tensor<2x?x256xf16>, tensor<256x4xf32>) -> tensor<2x?x256xf16>
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_silu
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 {activation = "silu"} : (tensor<2x33x256xf32>, tensor<256x4xf32>) -> tensor<2x33x256xf32>
func.func @causal_conv1d_silu(%arg0: tensor<2x33x256xf32>, %arg1: tensor<256x4xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 {activation = "silu"} : (tensor<2x33x256xf32>, tensor<256x4xf32>) -> tensor<2x33x256xf32>
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_bias_default
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 : (tensor<2x?x256xbf16>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x?x256xbf16>
func.func @causal_conv1d_bias_default(%arg0: tensor<2x?x256xbf16>, %arg1: tensor<256x4xf32>, %arg2: tensor<256xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 : (tensor<2x?x256xbf16>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x?x256xbf16>
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_bias_none
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 : (tensor<2x33x256xf16>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x33x256xf16>
func.func @causal_conv1d_bias_none(%arg0: tensor<2x33x256xf16>, %arg1: tensor<256x4xf32>, %arg2: tensor<256xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 {activation = "none"} : (tensor<2x33x256xf16>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x33x256xf16>
  return
}

// -----

// CHECK-LABEL: func.func @causal_conv1d_bias_silu
// CHECK: %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 {activation = "silu"} : (tensor<2x?x256xf32>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x?x256xf32>
func.func @causal_conv1d_bias_silu(%arg0: tensor<2x?x256xf32>, %arg1: tensor<256x4xf32>, %arg2: tensor<256xf32>) {
  %0 = loom.causal_conv1d %arg0, %arg1 bias %arg2 {activation = "silu"} : (tensor<2x?x256xf32>, tensor<256x4xf32>, tensor<256xf32>) -> tensor<2x?x256xf32>
  return
}
