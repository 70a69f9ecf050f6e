func.func @main(%x: tensor<?x5xf32>, %idx: tensor<?x2xi32>) -> (tensor<?x5xf32>, tensor<?xi32>, tensor<5xi32>) {
  %xs, %perm, %offs = loom.moe_dispatch %x, %idx {num_experts = 4} : (tensor<?x5xf32>, tensor<?x2xi32>) -> (tensor<?x5xf32>, tensor<?xi32>, tensor<5xi32>)
  return %xs, %perm, %offs : tensor<?x5xf32>, tensor<?xi32>, tensor<5xi32>
}
