// RUN: loom-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(gpu.module(convert-gpu-to-nvvm,loom-tensor-map-params))' | FileCheck %s

// The listed arguments of a kernel become 128-byte grid constants, passed
// by value; the others and the marker are left as they were / removed.
// CHECK-LABEL: llvm.func @copy_tile
// CHECK-SAME: (%{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant}, %{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant})
// CHECK-NOT: loom.tensor_map_args
// CHECK-SAME: nvvm.kernel
gpu.module @kernels {
  gpu.func @copy_tile(%map: !llvm.ptr, %out: !llvm.ptr<1>, %other: !llvm.ptr) kernel
      attributes {loom.tensor_map_args = array<i32: 0, 2>} {
    gpu.return
  }
}

// -----

// A kernel without maps is untouched.
// CHECK-LABEL: llvm.func @plain
// CHECK-SAME: (%{{.*}}: !llvm.ptr<1>)
gpu.module @kernels {
  gpu.func @plain(%out: !llvm.ptr<1>) kernel {
    gpu.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @below {{'loom.tensor_map_args' on a function that is not a kernel}}
  llvm.func @device_function(%map: !llvm.ptr) attributes {loom.tensor_map_args = array<i32: 0>} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @below {{'loom.tensor_map_args' names argument 1, which is not a pointer argument}}
  llvm.func @out_of_range(%map: !llvm.ptr) attributes {loom.tensor_map_args = array<i32: 1>, nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @below {{'loom.tensor_map_args' names argument 0, which is not a pointer argument}}
  llvm.func @not_a_pointer(%rows: i32) attributes {loom.tensor_map_args = array<i32: 0>, nvvm.kernel} {
    llvm.return
  }
}
