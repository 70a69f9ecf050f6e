// GLA at K = V = 128 (the benchmark's shape), for the ptxas checks.
func.func @gla(%q: tensor<?x?x16x128xbf16>, %k: tensor<?x?x16x128xbf16>, %v: tensor<?x?x16x128xbf16>, %g: tensor<?x?x16x128xf32>) -> (tensor<?x?x16x128xbf16>, tensor<?x16x128x128xf32>) {
  %o, %s = loom.linear_attention %q, %k, %v decay %g : (tensor<?x?x16x128xbf16>, tensor<?x?x16x128xbf16>, tensor<?x?x16x128xbf16>, tensor<?x?x16x128xf32>) -> (tensor<?x?x16x128xbf16>, tensor<?x16x128x128xf32>)
  return %o, %s : tensor<?x?x16x128xbf16>, tensor<?x16x128x128xf32>
}
