// Clients of the Thrift service and their tokens.
//
// A client is another department's system: an id, its department and the scopes it was granted
// (least privilege: read_public to read lists and flags, read_class for the internal classification,
// push to send penalties, list decisions and indicator values).
//
// Tokens are 256-bit random strings handed to the client once (NewToken). The server keeps only
// SHA-256(token): a leaked table does not leak tokens, and because tokens carry 256 bits of entropy a
// fast hash is enough (no password-style stretching). TokenStore is the seam the database implements;
// InMemoryTokenStore compares the presented hash with every stored hash in constant time.
#pragma once
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sha256.h"

namespace suiji::rpc {

enum class Scope : std::uint8_t { kReadPublic, kReadClass, kPush };
const char* ScopeName(Scope s);  // "read_public", "read_class", "push"
Result<Scope> ParseScope(std::string_view name);
// "read_public,push" -> scopes; an unknown name is an error naming it.
Result<std::vector<Scope>> ParseScopes(std::string_view comma_separated);

struct Client {
  std::string id;          // e.g. "tax-sichuan"
  std::string department;  // e.g. "TAX": recorded with pushes, must match pushed source_department
  std::vector<Scope> scopes;
  // REST API (docs/api.md): the role, the org unit it is scoped to ('' = all), the officer it is tied
  // to, and when its token expires ('' = never; ISO 8601 UTC, compared as text).
  std::string role = "integration", org_unit = {}, officer = {}, expires_at = {};
  bool Has(Scope s) const;
};

// SHA-256 of the token's bytes: the only form in which tokens are stored.
Digest HashToken(std::string_view token);
// Equality that takes the same time wherever the first difference is (OpenSSL CRYPTO_memcmp).
bool DigestEquals(const Digest& a, const Digest& b);
// A fresh token: "sjt_" + 64 hex characters from the OS's CSPRNG. Error if the CSPRNG fails.
Result<std::string> NewToken();

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // The client that holds the token with this hash, or nullopt. Must be safe to call concurrently.
  virtual std::optional<Client> Find(const Digest& token_hash) const = 0;
  // false while the store cannot say who holds a token (its database is unreachable): a refused token
  // then means "cannot check now" (503), not "wrong token" (401).
  virtual bool Available() const { return true; }
};

class InMemoryTokenStore : public TokenStore {
 public:
  // Registers a token (by its hash) for a client; a client may hold several (rotation).
  // Error if the hash is already registered or the client has no id.
  Status Add(Client client, const Digest& token_hash);
  // Revokes one token; false if it was not registered.
  bool Revoke(const Digest& token_hash);
  // Scans every entry without early exit, so timing does not depend on which entry matches.
  std::optional<Client> Find(const Digest& token_hash) const override;

 private:
  struct Entry {
    Digest hash;
    Client client;
  };
  mutable std::shared_mutex mu_;
  std::vector<Entry> entries_;
};

}  // namespace suiji::rpc
