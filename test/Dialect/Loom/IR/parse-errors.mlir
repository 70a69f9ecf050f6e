// RUN: loom-opt %s -split-input-file -verify-diagnostics
// RUN: not loom-opt %s -split-input-file 2>&1 | FileCheck %s --check-prefix=EXIT

// Malformed syntax is a diagnostic, never a crash.
// EXIT: error:

func.func @unknown_keyword(%q: tensor<1x8x2x16xf32>, %g: tensor<1x8x2xf32>) {
  // expected-error @+1 {{expected ':'}}
  %o, %s = loom.linear_attention %q, %q, %q gate %g : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @keyword_out_of_order(%q: tensor<1x8x2x16xf32>, %g: tensor<1x8x2xf32>, %b: tensor<1x8x2xf32>) {
  // expected-error @+1 {{expected ':'}}
  %o, %s = loom.linear_attention %q, %q, %q beta %b decay %g : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2xf32>, tensor<1x8x2xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @missing_operand(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %o, %s = loom.linear_attention %q, %q, : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @too_few_types(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{number of operands and types do not match: got 3 operands and 2 types}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @too_many_types(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{number of operands and types do not match: got 3 operands and 4 types}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

// expected-note @+1 {{prior use here}}
func.func @operand_type_mismatch(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{use of value '%q' expects different type than prior uses: 'tensor<1x8x2x16xbf16>' vs 'tensor<1x8x2x16xf32>'}}
  %o, %s = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xbf16>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @wrong_result_count(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{'loom.linear_attention' op expected 2 results}}
  %o = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> tensor<1x8x2x16xf32>
  return
}

// -----

func.func @result_binding_count(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{operation defines 2 results but was provided 3 to bind}}
  %o, %s, %t = loom.linear_attention %q, %q, %q : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @missing_functional_type(%x: tensor<2x7x16xf32>, %w: tensor<16x4xf32>) {
  // expected-error @+1 {{expected ':'}}
  %y = loom.causal_conv1d %x, %w
  return
}

// -----

func.func @not_a_function_type(%x: tensor<2x7x16xf32>, %w: tensor<16x4xf32>) {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.function, but found 'tensor<2x7x16xf32>'}}
  %y = loom.causal_conv1d %x, %w : tensor<2x7x16xf32>
  return
}

// -----

func.func @unknown_op(%x: tensor<2x7x16xf32>) {
  // expected-error @+1 {{custom op 'loom.chunked_scan' is unknown}}
  %y = loom.chunked_scan %x : (tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return
}

// -----

func.func @malformed_attribute(%s: tensor<4x16xf32>) {
  // expected-error @+1 {{expected attribute value}}
  %v, %i = loom.topk %s {k = } : (tensor<4x16xf32>) -> (tensor<4x2xf32>, tensor<4x2xi32>)
  return
}

// -----

func.func @malformed_shape(%s: tensor<4x16xf32>) {
  // expected-error @+1 {{expected non-function type}}
  %v, %i = loom.topk %s {k = 2} : (tensor<4x16xf32>) -> (tensor<4x2x, tensor<4x2xi32>)
  return
}

// -----

func.func @unit_attribute_with_value(%q: tensor<1x8x2x16xf32>) {
  // expected-error @+1 {{attribute 'qk_l2norm' failed to satisfy constraint: unit attribute}}
  %o, %s = loom.linear_attention %q, %q, %q {qk_l2norm = 1 : i64} : (tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>, tensor<1x8x2x16xf32>) -> (tensor<1x8x2x16xf32>, tensor<1x2x16x16xf32>)
  return
}

// -----

func.func @kind_not_a_string(%x: tensor<2x7x16xf32>, %w: tensor<16x4xf32>) {
  // expected-error @+1 {{attribute 'activation' failed to satisfy constraint: string attribute}}
  %y = loom.causal_conv1d %x, %w {activation = 1 : i64} : (tensor<2x7x16xf32>, tensor<16x4xf32>) -> tensor<2x7x16xf32>
  return
}
