// A clients file: the Thrift clients and their token hashes, for running `suiji serve` without a
// database-backed TokenStore. It never holds a token, only SHA-256(token) in hex.
//
// One token per line, fields separated by spaces or tabs; '#' starts a comment; blank lines are skipped:
//
//   # client id     department  scopes                  sha256(token), 64 hex digits
//   tax-sichuan     TAX         read_public,push        9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//
// Loading is all or nothing: the first bad line is an error "FILE:LINE: field: reason".
#pragma once
#include <string>
#include <string_view>

#include "api/thrift/token_store.h"
#include "core/result.h"

namespace suiji::rpc {

// Parses the text of a clients file into `store`; `name` is used in error messages.
Status ParseClients(std::string_view text, const std::string& name, InMemoryTokenStore& store);

// Reads and parses the file at `path`.
Status LoadClientsFile(const std::string& path, InMemoryTokenStore& store);

// The line to add to a clients file for a client holding `token`.
std::string ClientsFileLine(const Client& client, std::string_view token);

}  // namespace suiji::rpc
