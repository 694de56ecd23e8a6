// Runs every store test against both backends: a fresh SQLite file, and the test PostgreSQL
// (SUIJI_TEST_PG_URL, or $SUIJI_TEST_PG) with its public schema dropped and recreated per test.
#pragma once
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/date.h"
#include "core/identifiers.h"
#include "data/store/database.h"
#include "data/store/migrations.h"

namespace suiji::store::testing {

inline std::string PgUrl() {
  if (const char* env = std::getenv("SUIJI_TEST_PG")) return env;
  return SUIJI_TEST_PG_URL;
}

// A valid unified social credit code numbered n: the 8 leading characters, n in 9 digits, and the
// GB 32100 check character.
inline std::string Uscc(int n, const char* first8 = "91511702") {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%09d", first8, n);
  std::string s = buf;
  return s + UsccCheckChar(s);
}
// A date literal known to be valid.
inline Date D(const char* s) { return ParseDate(s).value(); }

// A clock that ticks one second per call, from a fixed start: deterministic audit timestamps.
inline Clock TickingClock() {
  auto n = std::make_shared<int>(0);
  return [n] {
    int s = (*n)++;
    char buf[64];
    std::snprintf(buf, sizeof buf, "2026-03-01T%02d:%02d:%02d.000Z", (s / 3600) % 24, (s / 60) % 60, s % 60);
    return std::string(buf);
  };
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      static std::atomic<int> counter{0};
      path_ = std::filesystem::temp_directory_path() /
              ("suiji-store-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + " test.db");
      std::filesystem::remove(path_);
      url_ = "sqlite:" + path_.string();
    } else {
      url_ = PgUrl();
      auto reset = Database::Open(url_);
      ASSERT_TRUE(reset.ok()) << reset.error().message;
      reset.value()->session() << "SET client_min_messages = warning";
      reset.value()->session() << "DROP SCHEMA IF EXISTS public CASCADE";
      reset.value()->session() << "CREATE SCHEMA public";
    }
    auto db = Database::Open(url_, TickingClock());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    if (!path_.empty()) {
      for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
    }
  }
  void MigrateOrDie() {
    auto m = Migrate(*db_);
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  // Raw SQL for tampering in tests (the store itself never runs unbound user data).
  void Exec(const std::string& sql) { db_->session() << sql; }

  std::string url_;
  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

inline std::string BackendParamName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace suiji::store::testing
