// Forms that run token by token: KDA in bf16, f32 Gated DeltaNet with
// qk_l2norm and an initial state, f32 loom.ssd with every option.
func.func @kda(%q: tensor<?x?x4x128xbf16>, %v: tensor<?x?x4x128xbf16>, %g: tensor<?x?x4x128xf32>, %beta: tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g beta %beta : (tensor<?x?x4x128xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4x128xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>)
  return %o, %s : tensor<?x?x4x128xbf16>, tensor<?x4x128x128xf32>
}

func.func @gated_delta_f32(%q: tensor<?x?x2x256xf32>, %v: tensor<?x?x4x128xf32>, %g: tensor<?x?x4xf32>, %beta: tensor<?x?x4xf32>, %s0: tensor<?x4x256x128xf32>) -> (tensor<?x?x4x128xf32>, tensor<?x4x256x128xf32>) {
  %o, %s = loom.linear_attention %q, %q, %v decay %g beta %beta initial_state %s0 {qk_l2norm} : (tensor<?x?x2x256xf32>, tensor<?x?x2x256xf32>, tensor<?x?x4x128xf32>, tensor<?x?x4xf32>, tensor<?x?x4xf32>, tensor<?x4x256x128xf32>) -> (tensor<?x?x4x128xf32>, tensor<?x4x256x128xf32>)
  return %o, %s : tensor<?x?x4x128xf32>, tensor<?x4x256x128xf32>
}

func.func @ssd_f32(%x: tensor<?x?x8x64xf32>, %dt: tensor<?x?x8xf32>, %A: tensor<8xf32>, %B: tensor<?x?x1x128xf32>, %C: tensor<?x?x1x128xf32>, %D: tensor<8xf32>, %z: tensor<?x?x8x64xf32>, %db: tensor<8xf32>) -> (tensor<?x?x8x64xf32>, tensor<?x8x64x128xf32>) {
  %y, %h = loom.ssd %x, %dt, %A, %B, %C D %D z %z dt_bias %db {dt_softplus} : (tensor<?x?x8x64xf32>, tensor<?x?x8xf32>, tensor<8xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>, tensor<8xf32>, tensor<?x?x8x64xf32>, tensor<8xf32>) -> (tensor<?x?x8x64xf32>, tensor<?x8x64x128xf32>)
  return %y, %h : tensor<?x?x8x64xf32>, tensor<?x8x64x128xf32>
}
