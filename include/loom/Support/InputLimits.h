//===- InputLimits.h - Limits on textual IR before parsing ------*- C++ -*-===//
//
// MLIR's parser is recursive descent without a depth limit: a few kilobytes
// of `[[[[...` overflow the stack. Loom's tools check nesting first and
// refuse such input with a diagnostic. Plain C++ (no LLVM).
//
//===----------------------------------------------------------------------===//

#ifndef LOOM_SUPPORT_INPUTLIMITS_H
#define LOOM_SUPPORT_INPUTLIMITS_H

#include <cstddef>
#include <string>

namespace loom {

/// Deeper than any IR a model needs; far below what overflows the stack.
constexpr size_t kMaxNestingDepth = 256;

/// Checks that brackets ( [ { < nest at most `limit` deep in `text`, outside
/// string literals and `//` comments. On failure sets `error` to
/// "LINE:COL: error: ..." and returns false.
bool checkNestingDepth(const char *text, size_t size, std::string &error,
                       size_t limit = kMaxNestingDepth);

} // namespace loom

#endif // LOOM_SUPPORT_INPUTLIMITS_H
