#include "api/rest/tar.h"

#include <cstdio>
#include <cstring>

namespace suiji::rest {
namespace {

void Octal(char* field, std::size_t width, unsigned long long v) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), v);
}

}  // namespace

std::string TarArchive(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out;
  auto entry = [&](const std::string& name, const std::string& bytes, char type) {
    char h[512];
    std::memset(h, 0, sizeof h);
    std::strncpy(h, name.c_str(), 100);
    Octal(h + 100, 8, type == '5' ? 0755 : 0644);
    Octal(h + 108, 8, 0);
    Octal(h + 116, 8, 0);
    Octal(h + 124, 12, bytes.size());
    Octal(h + 136, 12, 0);
    std::memset(h + 148, ' ', 8);
    h[156] = type;
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    out.append(h, sizeof h);
    out += bytes;
    out.append((512 - bytes.size() % 512) % 512, '\0');
  };
  entry(dir + "/", "", '5');
  for (const auto& [name, bytes] : files) entry(dir + "/" + name, bytes, '0');
  out.append(1024, '\0');
  return out;
}

}  // namespace suiji::rest
