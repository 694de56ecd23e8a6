// A POSIX ustar archive of in-memory files (what `GET /api/v1/draws/{id}/bundle` returns: `tar xf` it
// and run `suiji verify DIR`). Names up to 100 bytes; mode 0644; mtime fixed at 0 so the same bundle is
// the same bytes.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace suiji::rest {

std::string TarArchive(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace suiji::rest
