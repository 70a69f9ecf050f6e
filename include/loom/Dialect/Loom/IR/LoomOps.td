//===- LoomOps.td - All loom ops --------------------------*- tablegen -*-===//

#ifndef LOOM_DIALECT_LOOM_IR_LOOMOPS_TD
#define LOOM_DIALECT_LOOM_IR_LOOMOPS_TD

include "loom/Dialect/Loom/IR/LoomDialect.td"
include "loom/Dialect/Loom/IR/LoomRecurrentOps.td"
include "loom/Dialect/Loom/IR/LoomAttentionOps.td"
include "loom/Dialect/Loom/IR/LoomMoEOps.td"
include "loom/Dialect/Loom/IR/LoomFusedOps.td"

#endif // LOOM_DIALECT_LOOM_IR_LOOMOPS_TD
