// store_bench PG_URL [N] [BATCH]: times the store's bulk upsert of N generated entities (one
// transaction, BATCH entities per Upsert call, one insert_batch audit event per call, row
// provenance columns written) into PostgreSQL, then
// psql's \copy of the same rows as a pre-validated CSV into an identical table on the same server,
// then the same upsert into a SQLite file. Prints rows/s and the upsert/\copy ratio.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <soci/soci.h>

#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/migrations.h"

using namespace suiji;
using namespace suiji::store;
using Seconds = std::chrono::duration<double>;

namespace {

std::vector<Entity> Generate(int n) {
  std::vector<Entity> v;
  v.reserve(n);
  const char* types[] = {"company", "sole_proprietor", "cooperative"};
  const char* inds[] = {"F5212", "C1310", "H6210", "I6510", "C1421"};
  for (int i = 0; i < n; ++i) {
    Entity e;
    char id[32];
    std::snprintf(id, sizeof id, "B%09d", i);
    e.id = EntityId{id, IdKind::kLegacy};
    e.name = "四川省成都市测试商贸有限公司第" + std::to_string(i) + "号";
    e.entity_type = types[i % 3];
    e.region = std::to_string(510104 + (i % 20));
    e.industry = inds[i % 5];
    e.established = "20" + std::to_string(10 + i % 15) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
    e.address = "成都市锦江区红星路" + std::to_string(i % 997) + "号" + std::to_string(i % 31) + "栋";
    e.legal_rep = (i % 2) ? "张三" : "李四";
    if (i % 7 == 0) e.special_registers = {"food"};
    v.push_back(std::move(e));
  }
  return v;
}

template <typename F>
double Time(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return Seconds(std::chrono::steady_clock::now() - t0).count();
}

void Die(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.message << "\n";
  std::exit(1);
}

double Upsert(Database& db, const std::vector<Entity>& all, size_t batch, UpsertCounts& counts) {
  return Time([&] {
    auto tx = Transaction::Begin(db);
    if (!tx) Die("begin", tx.error());
    EntityStore store(db);
    for (size_t i = 0; i < all.size(); i += batch) {
      std::vector<Entity> b(all.begin() + i, all.begin() + std::min(all.size(), i + batch));
      auto r = store.Upsert(tx.value(), b, "bench");
      if (!r) Die("upsert", r.error());
      counts += r.value();
    }
    Status st = tx.value().Commit();
    if (!st) Die("commit", st.error());
  });
}

std::string Csv(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: store_bench PG_URL [N] [BATCH]\n";
    return 2;
  }
  std::string pg_url = argv[1];
  int n = argc > 2 ? std::atoi(argv[2]) : 1000000;
  size_t batch = argc > 3 ? std::atoi(argv[3]) : 50000;
  std::vector<Entity> all;
  double gen = Time([&] { all = Generate(n); });
  std::printf("generated %d entities in %.2f s; batch %zu\n", n, gen, batch);

  // PostgreSQL: store upsert.
  auto pg = Database::Open(pg_url);
  if (!pg) Die("open", pg.error());
  Database& db = *pg.value();
  db.session() << "SET client_min_messages = warning";
  db.session() << "DROP SCHEMA IF EXISTS public CASCADE";
  db.session() << "CREATE SCHEMA public";
  if (auto m = Migrate(db); !m) Die("migrate", m.error());
  UpsertCounts c1, c2;
  double t_pg = Upsert(db, all, batch, c1);
  double t_pg_again = Upsert(db, all, batch, c2);
  Table entities(db, EntityCodec::Spec());
  Result<ProvenanceReport> rows = Error{"", "", ""};
  double t_rows = Time([&] { rows = entities.VerifyProvenance(); });
  if (!rows || !rows.value().ok()) Die("verify rows", Error{"", "row provenance mismatch", ""});
  auto chain = VerifyAuditChain(db);
  double t_verify = Time([&] { chain = VerifyAuditChain(db); });
  if (!chain || !chain.value().ok) Die("verify", Error{"", "chain broken", ""});

  // PostgreSQL: psql \copy of the same rows, pre-validated CSV, into an identical table.
  auto csv = std::filesystem::temp_directory_path() / "suiji-store-bench.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    for (const Entity& e : all) {
      Row r = EntityCodec::ToRow(e);
      r.push_back("2026-03-01T00:00:00.000Z");
      for (size_t i = 0; i < r.size(); ++i) out << (i ? "," : "") << Csv(r[i]);
      out << "\n";
    }
  }
  db.session() << "CREATE TABLE entities_copy (LIKE entities INCLUDING ALL)";
  std::string cmd = "psql -q -v ON_ERROR_STOP=1 '" + pg_url +
                    "' -c \"\\copy entities_copy (id, id_kind, name, entity_type, region, industry, status, "
                    "established, address, legal_rep, special_registers, updated_at) FROM '" +
                    csv.string() + "' CSV\"";
  int rc = 0;
  double t_copy = Time([&] { rc = std::system(cmd.c_str()); });
  if (rc != 0) {
    std::cerr << "psql \\copy failed: " << cmd << "\n";
    return 1;
  }
  long long copied = 0;
  db.session() << "SELECT COUNT(*) FROM entities_copy", soci::into(copied);
  std::filesystem::remove(csv);

  // SQLite.
  auto path = std::filesystem::temp_directory_path() / "suiji-store-bench.db";
  for (auto s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);
  auto lite = Database::Open("sqlite:" + path.string());
  if (!lite) Die("open sqlite", lite.error());
  if (auto m = Migrate(*lite.value()); !m) Die("migrate sqlite", m.error());
  UpsertCounts c3;
  double t_lite = Upsert(*lite.value(), all, batch, c3);
  for (auto s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s);

  std::printf("postgresql upsert (new):       %8.2f s  %9.0f rows/s  (inserted %lld, audit events %lld)\n", t_pg,
              n / t_pg, static_cast<long long>(c1.inserted), static_cast<long long>(chain.value().events));
  std::printf("postgresql upsert (unchanged): %8.2f s  %9.0f rows/s  (unchanged %lld)\n", t_pg_again,
              n / t_pg_again, static_cast<long long>(c2.unchanged));
  std::printf("psql \\copy of the same CSV:    %8.2f s  %9.0f rows/s  (%lld rows)\n", t_copy, n / t_copy, copied);
  std::printf("ratio upsert/\\copy throughput:  %.2f\n", t_copy / t_pg);
  std::printf("audit chain verify:            %8.2f s  %9.0f events/s\n", t_verify, chain.value().events / t_verify);
  std::printf("audit verify --rows (entities): %7.2f s  %9.0f rows/s  (%lld batch digests recomputed)\n", t_rows,
              n / t_rows, static_cast<long long>(rows.value().batches));
  std::printf("sqlite upsert (new):           %8.2f s  %9.0f rows/s\n", t_lite, n / t_lite);
  return 0;
}
