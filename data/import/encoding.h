// Text encodings of register files: UTF-8 (with or without BOM) and GB18030, the superset of GBK
// that Excel on Chinese Windows writes as "CSV (逗号分隔)". Conversion goes through glibc iconv.
//
// Detection rule (kAuto): a UTF-8 BOM means UTF-8; a UTF-16 BOM is refused (Excel's "Unicode text"
// export); otherwise bytes that are valid UTF-8 mean UTF-8, anything else GB18030 - except that
// text which is overwhelmingly valid UTF-8 (at least 20 valid multi-byte characters per invalid
// byte) is UTF-8 with a few bad bytes, reported row by row. Pure ASCII is both, so the decision
// waits for the first non-ASCII byte and is made on the rest of the buffer (up to 256 KiB).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suiji::import {

enum class Encoding { kAuto, kUtf8, kGb18030 };

const char* EncodingName(Encoding e);                 // "auto", "utf-8", "gb18030"
Result<Encoding> ParseEncoding(std::string_view name);  // also accepts "utf8", "gbk", "gb2312", "cp936"

// Length of the longest valid UTF-8 prefix of `s`; s.size() when the whole string is valid.
// With `allow_truncated_tail`, a sequence cut off by the end of `s` counts as valid (a buffer edge).
std::size_t ValidUtf8Prefix(std::string_view s, bool allow_truncated_tail = false);
inline bool IsValidUtf8(std::string_view s) { return ValidUtf8Prefix(s) == s.size(); }

// Decides between UTF-8 and GB18030 from a sample; kAuto when the sample is pure ASCII.
Encoding DetectEncoding(std::string_view sample, bool sample_is_truncated);

// GB18030 -> UTF-8. On undecodable bytes returns error "csv.encoding" naming the byte offset.
Result<std::string> Gb18030ToUtf8(std::string_view in);
// The same, but never fails: undecodable bytes become U+FFFD (for echoing text back to a user).
std::string Gb18030ToUtf8Lossy(std::string_view in);
// UTF-8 with invalid sequences replaced by U+FFFD.
std::string Utf8Lossy(std::string_view in);
// UTF-8 -> GB18030 (every Unicode character has a GB18030 form; fails only on invalid UTF-8).
Result<std::string> Utf8ToGb18030(std::string_view in);

}  // namespace suiji::import
