#include "api/rest/http.h"

namespace suiji::rest {

std::string Request::Query(const std::string& name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return "";
}

bool Request::HasQuery(const std::string& name) const {
  for (const auto& [k, v] : query)
    if (k == name) return true;
  return false;
}

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Response Json(int status, std::string body) { return Response{status, "application/json", std::move(body), {}}; }

Response Text(int status, std::string content_type, std::string body) {
  return Response{status, std::move(content_type), std::move(body), {}};
}

static int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(const std::string& in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = Hex(in[i + 1]), lo = Hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool ValidUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return false;  // NUL has no business in a name or a query
      ++i;
      continue;
    }
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    unsigned cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool ParseQuery(const std::string& raw, std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t amp = raw.find('&', start);
    std::string part = raw.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string k, v;
      if (!PercentDecode(part.substr(0, eq), k, true)) return false;
      if (eq != std::string::npos && !PercentDecode(part.substr(eq + 1), v, true)) return false;
      if (!ValidUtf8(k) || !ValidUtf8(v)) return false;
      out.emplace_back(std::move(k), std::move(v));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return true;
}

}  // namespace suiji::rest
