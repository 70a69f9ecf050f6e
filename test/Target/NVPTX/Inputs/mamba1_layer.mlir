// The GPU kernels of a Mamba1 layer's short convolution and selective scan,
// in the shapes of mamba-130m (Dc = 1536, N = 16) plus the extremes: f32
// with N = 256, f16 with a channel count that admits no vector.
func.func @short_conv(%x: tensor<?x?x1536xbf16>, %w: tensor<1536x4xf32>, %b: tensor<1536xf32>) -> tensor<?x?x1536xbf16> {
  %y = loom.causal_conv1d %x, %w bias %b {activation = "silu"} : (tensor<?x?x1536xbf16>, tensor<1536x4xf32>, tensor<1536xf32>) -> tensor<?x?x1536xbf16>
  return %y : tensor<?x?x1536xbf16>
}

func.func @conv_f16_odd(%x: tensor<?x?x33xf16>, %w: tensor<33x3xf32>) -> tensor<?x?x33xf16> {
  %y = loom.causal_conv1d %x, %w : (tensor<?x?x33xf16>, tensor<33x3xf32>) -> tensor<?x?x33xf16>
  return %y : tensor<?x?x33xf16>
}

func.func @mamba1_scan(%u: tensor<?x1536x?xbf16>, %dt: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536x?xbf16>, %db: tensor<1536xf32>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>) {
  %y, %h = loom.selective_scan %u, %dt, %A, %B, %C D %D z %z delta_bias %db {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>)
  return %y, %h : tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>
}

func.func @scan_f32_n256(%u: tensor<?x64x?xf32>, %A: tensor<64x256xf32>, %B: tensor<?x4x256x?xf32>, %h0: tensor<?x64x256xf32>) -> (tensor<?x64x?xf32>, tensor<?x64x256xf32>) {
  %y, %h = loom.selective_scan %u, %u, %A, %B, %B initial_state %h0 : (tensor<?x64x?xf32>, tensor<?x64x?xf32>, tensor<64x256xf32>, tensor<?x4x256x?xf32>, tensor<?x4x256x?xf32>, tensor<?x64x256xf32>) -> (tensor<?x64x?xf32>, tensor<?x64x256xf32>)
  return %y, %h : tensor<?x64x?xf32>, tensor<?x64x256xf32>
}
