//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Format: "\x93NUMPY", major and minor version bytes, a little-endian header
// length (2 bytes in version 1, 4 bytes in versions 2 and 3), then a Python
// dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "loom/Support/Npy.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

using namespace loom::npy;

namespace {

struct DTypeInfo {
  DType dtype;
  const char *descr;
  const char *name;
  size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "<f4", "f32 (<f4)", 4}, {DType::F16, "<f2", "f16 (<f2)", 2},
    {DType::BF16, "<u2", "bf16 (<u2)", 2}, {DType::I32, "<i4", "i32 (<i4)", 4},
    {DType::I64, "<i8", "i64 (<i8)", 8},
};

const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &entry : kDTypes)
    if (entry.dtype == dtype)
      return entry;
  return kDTypes[0];
}

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// A cursor over the header dict, which is a tiny Python literal.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  void skipSpace() {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  bool parseWord(std::string &out) {
    skipSpace();
    size_t start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])))
      ++pos;
    out = text.substr(start, pos - start);
    return !out.empty();
  }
  bool parseInt(int64_t &out) {
    skipSpace();
    size_t start = pos;
    uint64_t value = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      unsigned digit = text[pos] - '0';
      if (value > (uint64_t(std::numeric_limits<int64_t>::max()) - digit) / 10)
        return false;
      value = value * 10 + digit;
      ++pos;
    }
    // Python 2 era writers append 'L' to longs.
    if (pos < text.size() && text[pos] == 'L')
      ++pos;
    out = static_cast<int64_t>(value);
    return pos > start;
  }
  bool atEnd() {
    skipSpace();
    return pos == text.size();
  }

private:
  const std::string &text;
  size_t pos = 0;
};

bool fail(std::string &error, const std::string &message) {
  error = message;
  return false;
}

} // namespace

const char *loom::npy::descr(DType dtype) { return info(dtype).descr; }
const char *loom::npy::name(DType dtype) { return info(dtype).name; }
size_t loom::npy::elementSize(DType dtype) { return info(dtype).size; }

int64_t Array::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

bool loom::npy::parse(const uint8_t *data, size_t size, Array &array,
                      std::string &error) {
  if (size < kMagicSize + 4 || std::memcmp(data, kMagic, kMagicSize) != 0)
    return fail(error, "not a .npy file (missing the \\x93NUMPY magic)");
  unsigned major = data[6];
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = data[8] | (size_t(data[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return fail(error, "truncated .npy header");
    headerLength = data[8] | (size_t(data[9]) << 8) | (size_t(data[10]) << 16) |
                   (size_t(data[11]) << 24);
    headerStart = 12;
  } else {
    return fail(error, "unsupported .npy format version " +
                           std::to_string(major) + " (1, 2 and 3 are known)");
  }
  if (headerLength > size - headerStart)
    return fail(error, "truncated .npy header (" + std::to_string(headerLength) +
                           " header bytes announced, " +
                           std::to_string(size - headerStart) + " present)");

  std::string header(reinterpret_cast<const char *>(data + headerStart),
                     headerLength);
  HeaderParser p(header);
  std::string descr;
  bool haveDescr = false, haveOrder = false, haveShape = false;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  auto malformed = [&](const std::string &what) {
    return fail(error, "malformed .npy header (" + what + "): " + header);
  };

  if (!p.consume('{'))
    return malformed("expected '{'");
  while (!p.consume('}')) {
    std::string key;
    if (!p.parseString(key) || !p.consume(':'))
      return malformed("expected 'key':");
    if (key == "descr") {
      if (!p.parseString(descr))
        return malformed("descr is not a string");
      haveDescr = true;
    } else if (key == "fortran_order") {
      std::string word;
      if (!p.parseWord(word) || (word != "True" && word != "False"))
        return malformed("fortran_order is not True or False");
      fortranOrder = word == "True";
      haveOrder = true;
    } else if (key == "shape") {
      if (!p.consume('('))
        return malformed("shape is not a tuple");
      while (!p.consume(')')) {
        int64_t dim;
        if (!p.parseInt(dim))
          return malformed("shape holds something other than sizes");
        shape.push_back(dim);
        if (!p.consume(',') && !p.peek(')'))
          return malformed("expected ',' or ')' in shape");
      }
      haveShape = true;
    } else {
      return malformed("unknown key '" + key + "'");
    }
    if (!p.consume(',') && !p.peek('}'))
      return malformed("expected ',' or '}'");
  }
  if (!p.atEnd())
    return malformed("trailing characters after the dict");
  if (!haveDescr || !haveOrder || !haveShape)
    return malformed("descr, fortran_order and shape are all required");
  if (fortranOrder)
    return fail(error, "Fortran-order arrays are not supported; save a "
                       "C-contiguous array (numpy.ascontiguousarray)");

  const DTypeInfo *dtype = nullptr;
  for (const DTypeInfo &entry : kDTypes)
    if (descr == entry.descr)
      dtype = &entry;
  if (!dtype)
    return fail(error, "unsupported dtype '" + descr +
                           "'; expected <f4 (f32), <f2 (f16), <u2 (bf16 bits), "
                           "<i4 (i32) or <i8 (i64)");

  uint64_t count = 1;
  for (int64_t dim : shape) {
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / uint64_t(dim))
      return fail(error, "shape is too large");
    count *= uint64_t(dim);
  }
  size_t dataStart = headerStart + headerLength;
  uint64_t available = size - dataStart;
  if (count > available / dtype->size || count * dtype->size != available)
    return fail(error, "data size mismatch: shape needs " +
                           std::to_string(count) + " elements of " +
                           std::to_string(dtype->size) + " bytes, the file holds " +
                           std::to_string(available) + " data bytes");

  array.dtype = dtype->dtype;
  array.shape = std::move(shape);
  array.bytes.assign(data + dataStart, data + size);
  return true;
}

bool loom::npy::readFile(const std::string &path, Array &array,
                         std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(error, path + ": cannot open file");
  std::vector<uint8_t> contents((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (in.bad())
    return fail(error, path + ": read error");
  if (!parse(contents.data(), contents.size(), array, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

bool loom::npy::writeFile(const std::string &path, DType dtype,
                          const std::vector<int64_t> &shape, const void *data,
                          std::string &error) {
  std::string header = "{'descr': '";
  header += descr(dtype);
  header += "', 'fortran_order': False, 'shape': (";
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    header += (i ? ", " : "") + std::to_string(shape[i]);
    count *= shape[i];
  }
  if (shape.size() == 1)
    header += ','; // a 1-tuple is (4,)
  header += "), }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::ofstream out(path, std::ios::binary);
  if (!out)
    return fail(error, path + ": cannot create file");
  out.write(kMagic, kMagicSize);
  const char version[2] = {1, 0};
  out.write(version, 2);
  const char length[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  out.write(length, 2);
  out.write(header.data(), header.size());
  out.write(static_cast<const char *>(data), count * elementSize(dtype));
  if (!out)
    return fail(error, path + ": write error");
  return true;
}
