#include "api/thrift/token_store.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <mutex>

namespace suiji::rpc {

const char* ScopeName(Scope s) {
  switch (s) {
    case Scope::kReadPublic: return "read_public";
    case Scope::kReadClass: return "read_class";
    case Scope::kPush: return "push";
  }
  return "?";
}

Result<Scope> ParseScope(std::string_view name) {
  for (Scope s : {Scope::kReadPublic, Scope::kReadClass, Scope::kPush})
    if (name == ScopeName(s)) return s;
  return Error{"scope.unknown", "unknown scope '" + std::string(name) + "' (read_public, read_class, push)", "scopes"};
}

Result<std::vector<Scope>> ParseScopes(std::string_view list) {
  std::vector<Scope> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      auto s = ParseScope(item);
      if (!s) return s.error();
      if (std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool Client::Has(Scope s) const { return std::find(scopes.begin(), scopes.end(), s) != scopes.end(); }

Digest HashToken(std::string_view token) { return Sha256(token); }

bool DigestEquals(const Digest& a, const Digest& b) { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

Result<std::string> NewToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Error{"token.random", "the OS random generator failed", ""};
  return "sjt_" + ToHex(bytes, sizeof bytes);
}

Status InMemoryTokenStore::Add(Client client, const Digest& token_hash) {
  if (client.id.empty()) return Error{"client.id", "a client needs an id", "id"};
  std::unique_lock lock(mu_);
  for (const auto& e : entries_)
    if (DigestEquals(e.hash, token_hash)) return Error{"token.duplicate", "this token is already registered", "token"};
  entries_.push_back({token_hash, std::move(client)});
  return OkStatus();
}

bool InMemoryTokenStore::Revoke(const Digest& token_hash) {
  std::unique_lock lock(mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return DigestEquals(e.hash, token_hash); });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::optional<Client> InMemoryTokenStore::Find(const Digest& token_hash) const {
  std::shared_lock lock(mu_);
  const Entry* match = nullptr;
  for (const auto& e : entries_)
    if (DigestEquals(e.hash, token_hash)) match = &e;  // no break: same work whichever entry matches
  if (!match) return std::nullopt;
  return match->client;
}

}  // namespace suiji::rpc
