#include "data/import/encoding.h"

#include <errno.h>
#include <iconv.h>

#include <cstdint>
#include <cstring>

namespace suiji::import {
namespace {

// One iconv conversion of a whole string. `lossy` replaces each undecodable byte with U+FFFD
// (only meaningful when converting to UTF-8).
// iconv_open costs far more than converting one short field, so each thread keeps one descriptor
// per direction; iconv(cd, nullptr, ...) resets its shift state before every use.
class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Converter() {
    if (ok()) iconv_close(cd_);
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    return cd_;
  }

 private:
  iconv_t cd_;
};

iconv_t Descriptor(const char* to) {
  thread_local Converter to_utf8("UTF-8", "GB18030");
  thread_local Converter to_gb("GB18030", "UTF-8");
  Converter& c = std::string_view(to) == "UTF-8" ? to_utf8 : to_gb;
  return c.ok() ? c.get() : reinterpret_cast<iconv_t>(-1);
}

Result<std::string> Convert(const char* to, const char* from, std::string_view in, bool lossy) {
  iconv_t cd = Descriptor(to);
  if (cd == reinterpret_cast<iconv_t>(-1))
    return Error{"encoding.unavailable", std::string("iconv cannot convert ") + from + " to " + to, ""};
  std::string out;
  out.resize(in.size() * 2 + 16);
  char* inp = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  std::size_t done = 0;
  while (inleft > 0) {
    char* outp = out.data() + done;
    std::size_t outleft = out.size() - done;
    std::size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
    done = out.size() - outleft;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ (invalid sequence) or EINVAL (truncated at the end).
    if (!lossy) {
      std::size_t offset = in.size() - inleft;
      return Error{"csv.encoding",
                   std::string("byte ") + std::to_string(offset + 1) + " is not valid " + from, ""};
    }
    if (out.size() - done < 3) out.resize(out.size() * 2);
    out.replace(done, 3, "\xEF\xBF\xBD");
    done += 3;
    ++inp;
    --inleft;
  }
  out.resize(done);
  return out;
}

}  // namespace

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kAuto: return "auto";
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kGb18030: return "gb18030";
  }
  return "?";
}

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n;
  for (char c : name) n += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (n == "auto" || n.empty()) return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936") return Encoding::kGb18030;
  return Error{"encoding.unknown", "unknown encoding '" + std::string(name) + "' (use auto, utf-8 or gb18030)", "encoding"};
}

std::size_t ValidUtf8Prefix(std::string_view s, bool allow_truncated_tail) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i == n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return i;
    if (i + len > n) {
      // Check what is there, then accept the cut only at a buffer edge.
      for (std::size_t k = i + 1; k < n; ++k)
        if ((p[k] & 0xC0) != 0x80) return i;
      return allow_truncated_tail ? n : i;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

Encoding DetectEncoding(std::string_view sample, bool sample_is_truncated) {
  std::size_t first = 0;
  while (first < sample.size() && static_cast<unsigned char>(sample[first]) < 0x80) ++first;
  if (first == sample.size()) return Encoding::kAuto;
  // Count valid multi-byte UTF-8 sequences against invalid bytes. GBK text forms valid UTF-8 only by
  // accident (a few percent of its characters); a UTF-8 file with one stray byte is still UTF-8, and
  // reading it so costs one row (csv.encoding) instead of mis-decoding every Chinese character.
  auto rest = sample.substr(first);
  std::size_t valid = 0, invalid = 0;
  while (!rest.empty()) {
    std::size_t ok = ValidUtf8Prefix(rest, sample_is_truncated);
    for (std::size_t i = 0; i < ok; ++i)
      if ((static_cast<unsigned char>(rest[i]) & 0xC0) == 0xC0) ++valid;  // a lead byte
    if (ok == rest.size()) break;
    ++invalid;
    rest.remove_prefix(ok + 1);
  }
  return invalid == 0 || valid >= 20 * invalid ? Encoding::kUtf8 : Encoding::kGb18030;
}

Result<std::string> Gb18030ToUtf8(std::string_view in) { return Convert("UTF-8", "GB18030", in, false); }

std::string Gb18030ToUtf8Lossy(std::string_view in) {
  auto r = Convert("UTF-8", "GB18030", in, true);
  return r.ok() ? std::move(r).value() : std::string();
}

std::string Utf8Lossy(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    std::size_t ok = ValidUtf8Prefix(in);
    out.append(in.substr(0, ok));
    if (ok == in.size()) break;
    out += "\xEF\xBF\xBD";
    in.remove_prefix(ok + 1);
  }
  return out;
}

Result<std::string> Utf8ToGb18030(std::string_view in) {
  if (!IsValidUtf8(in)) return Error{"csv.encoding", "text is not valid UTF-8", ""};
  return Convert("GB18030", "UTF-8", in, false);
}

}  // namespace suiji::import
