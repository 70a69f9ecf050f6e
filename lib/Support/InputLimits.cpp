//===- InputLimits.cpp - Limits on textual IR before parsing --------------===//

#include "loom/Support/InputLimits.h"

bool loom::checkNestingDepth(const char *text, size_t size, std::string &error,
                             size_t limit) {
  size_t depth = 0, line = 1, column = 0;
  for (size_t i = 0; i < size; ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    } else if (c == '"') {
      // Skip a string literal, honoring escapes.
      for (++i; i < size && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < size && text[i + 1] == '/') {
      while (i + 1 < size && text[i + 1] != '\n')
        ++i;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > limit) {
        error = std::to_string(line) + ":" + std::to_string(column) +
                ": error: brackets nest deeper than " + std::to_string(limit) +
                " levels; Loom refuses such input (MLIR's parser would "
                "overflow the stack)";
        return false;
      }
    } else if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) {
      --depth;
    }
  }
  return true;
}
