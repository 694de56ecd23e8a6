#include "api/thrift/clients_file.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace suiji::rpc {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseDigest(std::string_view hex, Digest& out) {
  if (hex.size() != 64) return false;
  for (std::size_t i = 0; i < 32; ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

Status ParseClients(std::string_view text, const std::string& name, InMemoryTokenStore& store) {
  struct Row {
    Client client;
    Digest hash;
  };
  std::vector<Row> rows;
  int line_no = 0;
  auto fail = [&](const char* field, const std::string& reason) {
    return Error{"clients.line", name + ":" + std::to_string(line_no) + ": " + field + ": " + reason, field};
  };
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto f = Fields(line);
    if (f.empty()) continue;
    if (f.size() != 4)
      return fail("line", "expected 4 fields (client id, department, scopes, sha256 of the token), found " +
                              std::to_string(f.size()));
    auto scopes = ParseScopes(f[2]);
    if (!scopes) return fail("scopes", scopes.error().message);
    if (scopes->empty()) return fail("scopes", "at least one scope is required");
    Row row{Client{std::string(f[0]), std::string(f[1]), *scopes}, {}};
    if (!ParseDigest(f[3], row.hash))
      return fail("token_sha256", "'" + std::string(f[3].substr(0, 80)) +
                                      "' is not 64 hex digits (store SHA-256 of the token, never the token)");
    for (const auto& r : rows)
      if (DigestEquals(r.hash, row.hash)) return fail("token_sha256", "the same token hash appears twice");
    if (store.Find(row.hash)) return fail("token_sha256", "this token hash is already registered");
    rows.push_back(std::move(row));
  }
  for (auto& r : rows) {
    auto st = store.Add(std::move(r.client), r.hash);
    if (!st.ok()) return Error{"clients.store", name + ": " + st.error().message, st.error().field};
  }
  return OkStatus();
}

Status LoadClientsFile(const std::string& path, InMemoryTokenStore& store) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"clients.open", "cannot open clients file " + path, "path"};
  std::ostringstream text;
  text << in.rdbuf();
  return ParseClients(text.str(), path, store);
}

std::string ClientsFileLine(const Client& client, std::string_view token) {
  std::string scopes;
  for (Scope s : client.scopes) {
    if (!scopes.empty()) scopes += ',';
    scopes += ScopeName(s);
  }
  return client.id + "\t" + client.department + "\t" + scopes + "\t" + ToHex(HashToken(token));
}

}  // namespace suiji::rpc
