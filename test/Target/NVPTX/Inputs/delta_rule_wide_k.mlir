func.func @gated_delta_rule_k256(%q: tensor<?x?x4x256xbf16>, %k: tensor<?x?x4x256xbf16>, %v: tensor<?x?x4x128xbf16>, %g: tensor<?x?x4xf32>, %beta: tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x256x128xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g beta %beta {scale = 0.0625 : f32} : (tensor<?x?x4x256xbf16>, tensor<?x?x4x256xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x256x128xf32>)
  return %o, %s : tensor<?x?x4x128xbf16>, tensor<?x4x256x128xf32>
}

func.func @delta_rule_k192(%q: tensor<?x?x4x192xbf16>, %k: tensor<?x?x4x192xbf16>, %v: tensor<?x?x4x128xbf16>, %beta: tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x192x128xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v beta %beta : (tensor<?x?x4x192xbf16>, tensor<?x?x4x192xbf16>, tensor<?x?x4x128xbf16>, tensor<?x?x4xf32>) -> (tensor<?x?x4x128xbf16>, tensor<?x4x192x128xf32>)
  return %o, %s : tensor<?x?x4x128xbf16>, tensor<?x4x192x128xf32>
}
