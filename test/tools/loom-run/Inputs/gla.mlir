func.func @main(%q: tensor<1x?x2x4xf32>, %k: tensor<1x?x2x4xf32>, %v: tensor<1x?x2x4xf32>, %g: tensor<1x?x2xf32>) -> (tensor<1x?x2x4xf32>, tensor<1x2x4x4xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>, tensor<1x?x2xf32>) -> (tensor<1x?x2x4xf32>, tensor<1x2x4x4xf32>)
  return %o, %s : tensor<1x?x2x4xf32>, tensor<1x2x4x4xf32>
}
