// Test fixture for the Thrift service: a few entities with lists, flags and classifications, and
// three clients with known tokens, on a fixed "today" so results do not depend on the clock.
// Shared by the C++ tests, the test server the Python client talks to, and the benchmark.
#pragma once
#include <string>
#include <string_view>

#include "api/thrift/memory_backend.h"
#include "api/thrift/token_store.h"

namespace suiji::rpc::testing {

// The fixture's "today": flags in force and push-date checks are relative to it.
Date FixtureToday();  // 2024-06-30

// A valid unified social credit code: "91" + region + "MA" + 7-digit serial + check character.
std::string MakeUscc(std::string_view region6, unsigned serial);

// Tokens of the fixture's clients (tests only; real tokens come from NewToken()).
inline constexpr const char* kReaderToken = "reader-token-NDRC";    // read_public
inline constexpr const char* kAnalystToken = "analyst-token-SAMR";  // read_public, read_class
inline constexpr const char* kTaxToken = "pusher-token-TAX";        // read_public, push

struct FixtureCodes {
  std::string listed;    // on the abnormal-operations list, one flag in force, one expired; class C
  std::string clean;     // no lists, no flags; class A
  std::string serious;   // on the serious-violation list (moved from abnormal), two flags; unclassified
  std::string regno;     // a 15-digit registration number with one flag
  std::string legacy;    // a legacy identifier, no flags
  std::string unknown;   // a valid code that is not in the register
};

FixtureCodes Codes();
void Seed(InMemoryCreditBackend& backend, InMemoryTokenStore& tokens);

// `n` further synthetic entities (region 510100, serials from 100000); every 10th has two flags in
// force and one expired, every 50th is on the abnormal-operations list. For the benchmark.
void SeedMany(InMemoryCreditBackend& backend, int n);
std::string ManyCode(int i);

}  // namespace suiji::rpc::testing
