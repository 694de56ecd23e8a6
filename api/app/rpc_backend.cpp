#include "api/app/rpc_backend.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "api/app/credit.h"
#include "api/app/org_units.h"
#include "api/app/roles.h"
#include "api/thrift/handler.h"
#include "core/canonical_json.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/credit_store.h"
#include "data/store/entity_store.h"
#include "data/store/officer_store.h"
#include "data/store/table.h"
#include "data/store/timeouts.h"

namespace suiji::app {
namespace {

using rpc::kErrInvalid;
using rpc::kErrNotFound;

constexpr std::size_t kChunk = 500;  // codes per IN (...) query

// ---- names and values between the service and the store ----------------------------------------------------
std::string StoreList(std::string_view list) {
  if (list == rpc::kAbnormalOperations) return "abnormal";
  if (list == rpc::kSeriousViolation) return "serious";
  return std::string(list);
}
std::string ServiceList(std::string_view list) {
  if (list == "abnormal") return std::string(rpc::kAbnormalOperations);
  if (list == "serious") return std::string(rpc::kSeriousViolation);
  return std::string(list);
}

std::optional<Date> OptDate(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto d = ParseDate(s);
  if (!d) return std::nullopt;
  return *d;
}

rpc::Flag ToServiceFlag(const store::FlagRecord& f) {
  rpc::Flag out;
  out.memorandum = f.memorandum;
  out.measure = f.measure;
  out.implementing_department = f.department;
  out.legal_basis = f.legal_basis;
  out.starts_on = OptDate(f.start_on).value_or(Date{});
  if (auto end = OptDate(f.end_on)) out.ends_on = *end + (-1);  // store: exclusive; service: last day
  return out;
}

// "12345" fen -> "123.45" yuan, exact.
std::string FenToYuan(std::int64_t fen) {
  bool neg = fen < 0;
  std::uint64_t v = neg ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string cents = std::to_string(v % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (neg ? "-" : "") + std::to_string(v / 100) + "." + cents;
}

// The shortest decimal text that reads back as exactly v, without an exponent.
std::string DecimalText(double v) {
  char buf[512];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (r.ec != std::errc()) r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Content identity of a pushed item: fields joined by 0x1f (cannot occur in a validated field), doubles
// in hex so the identity is exact; hashed so the ledger row has a fixed size.
struct Fields {
  std::string s;
  Fields& operator<<(std::string_view v) {
    s.append(v);
    s.push_back('\x1f');
    return *this;
  }
  Fields& operator<<(long long v) { return *this << std::string_view(std::to_string(v)); }
  Fields& operator<<(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::hex);
    return *this << std::string_view(buf, r.ptr - buf);
  }
  std::string Digest() const { return Sha256Hex(s); }
};

Error At(std::size_t i, std::string_view field, const char* code, std::string message) {
  std::string path = "[" + std::to_string(i) + "]";
  if (!field.empty()) path += "." + std::string(field);
  return Error{code, std::move(message), std::move(path)};
}

std::string InList(std::size_t first, std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += (i ? ", :p" : ":p") + std::to_string(first + i);
  return s + ")";
}

// Register entries for the given ids: id -> name. Chunked, bound parameters only.
Result<std::map<std::string, std::string>> EntityNames(store::Database& db, const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  store::Table t(db, store::EntityCodec::Spec());
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    std::size_t n = std::min(kChunk, ids.size() - i);
    std::vector<std::string> params(ids.begin() + i, ids.begin() + i + n);
    auto rows = t.Select("\"id\" IN " + InList(0, n), std::move(params));
    if (!rows) return rows.error();
    for (const auto& r : rows.value()) {
      auto e = store::EntityCodec::FromRow(r);
      if (!e) return e.error();
      out[e->id.value] = e->name;
    }
  }
  return out;
}

// Flags in force on `day` for the given ids: id -> flags (by flag id).
Result<std::map<std::string, std::vector<rpc::Flag>>> FlagsInForce(store::Database& db,
                                                                   const std::vector<std::string>& ids,
                                                                   const std::string& day) {
  std::map<std::string, std::vector<rpc::Flag>> out;
  store::Table t(db, store::FlagCodec::Spec());
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    std::size_t n = std::min(kChunk, ids.size() - i);
    std::vector<std::string> params(ids.begin() + i, ids.begin() + i + n);
    params.push_back(day);
    params.push_back(day);
    std::string where = "\"entity_id\" IN " + InList(0, n) + " AND \"start_on\" <= :p" + std::to_string(n) +
                        " AND (\"end_on\" = '' OR \"end_on\" > :p" + std::to_string(n + 1) + ")";
    auto rows = t.Select(where, std::move(params));
    if (!rows) return rows.error();
    for (const auto& r : rows.value()) {
      auto f = store::FlagCodec::FromRow(r);
      if (!f) return f.error();
      out[f->entity_id].push_back(ToServiceFlag(*f));
    }
  }
  return out;
}

std::vector<std::string> Unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The primary id of the entity an id names: the id itself, a registration number, or an id it had
// before a re-registration (EntityStore::Resolve). An unknown id is returned as it is (the callers
// then answer not_found).
Result<EntityId> Primary(store::Database& db, const EntityId& id) {
  auto r = store::EntityStore(db).Resolve(id.value);
  if (!r) return r.error();
  if (!r.value() || *r.value() == id.value) return id;
  auto parsed = ParseEntityId(*r.value());
  if (!parsed) return id;
  return parsed.value();
}

// The same for every item of a push (their `entity` field).
template <typename T>
Result<std::vector<T>> WithPrimaryIds(DbPool& pool, std::vector<T> items) {
  auto lease = pool.Acquire();
  if (!lease) return lease.error();
  for (auto& it : items) {
    auto p = Primary(*lease.value(), it.entity);
    if (!p) return p.error();
    it.entity = std::move(p).value();
  }
  return items;
}

// Items referring to an entity not in the register: the first one is not_found.
template <typename T>
Status CheckEntities(store::Database& db, const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const auto& it : items) ids.push_back(it.entity.value);
  auto names = EntityNames(db, Unique(ids));
  if (!names) return names.error();
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!names->count(items[i].entity.value))
      return At(i, "entity_code", kErrNotFound, "no entity with code " + items[i].entity.value);
  return OkStatus();
}

// The shared shape of the three pushes: look every key up in the ledger (and among earlier items of
// the same call), sort items into duplicates, conflicts and new ones, let `write` store the new ones,
// then record them in the ledger and the audit log, all in one transaction.
struct Planned {
  std::string key, digest;
};
using Writer = std::function<Result<std::vector<std::string>>(store::Transaction& tx,
                                                             const std::vector<std::size_t>& fresh)>;

Result<std::vector<rpc::PushReceipt>> Push(DbPool& pool, const rpc::Pusher& by, const std::string& kind,
                                           const std::vector<Planned>& plan, const char* conflict_field,
                                           const std::function<std::string(std::size_t)>& conflict_message,
                                           const std::function<Status(store::Database&)>& check, const Writer& write) {
  auto lease = pool.Acquire();
  if (!lease) return lease.error();
  store::Database& db = *lease.value();
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  if (auto st = check(db); !st) return st.error();

  std::vector<std::string> keys;
  for (const auto& p : plan) keys.push_back(p.key);
  auto seen = store::FindPushes(db, kind, by.department, keys);
  if (!seen) return seen.error();

  std::vector<rpc::PushReceipt> receipts(plan.size());
  std::vector<std::size_t> fresh;
  std::map<std::string, std::size_t> staged;  // key -> index of the first new item with it
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto& before = seen.value()[i];
    if (before) {
      if (before->digest != plan[i].digest) return At(i, conflict_field, kErrInvalid, conflict_message(i));
      receipts[i] = {before->record_id, true};
      continue;
    }
    if (auto it = staged.find(plan[i].key); it != staged.end()) {
      if (plan[it->second].digest != plan[i].digest) return At(i, conflict_field, kErrInvalid, conflict_message(i));
      receipts[i].duplicate = true;  // id filled in below
      continue;
    }
    staged[plan[i].key] = i;
    fresh.push_back(i);
  }

  auto ids = write(tx.value(), fresh);
  if (!ids) return ids.error();
  std::vector<store::PushRecord> ledger;
  for (std::size_t j = 0; j < fresh.size(); ++j) {
    std::size_t i = fresh[j];
    receipts[i] = {ids.value()[j], false};
    ledger.push_back({kind, by.department, plan[i].key, ids.value()[j], plan[i].digest, by.client_id, ""});
  }
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (receipts[i].duplicate && receipts[i].id.empty()) receipts[i].id = receipts[staged[plan[i].key]].id;
  if (auto st = store::InsertPushes(tx.value(), std::move(ledger)); !st) return st.error();

  Json payload{{"kind", kind},
               {"client_id", by.client_id},
               {"department", by.department},
               {"items", plan.size()},
               {"recorded", fresh.size()},
               {"duplicates", plan.size() - fresh.size()}};
  auto ev = store::AppendAuditEvent(tx.value(), "rpc:" + by.client_id, "rpc.push", "rpc/" + kind, payload);
  if (!ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return receipts;
}

bool ValidClientId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

// ---- DbPool ---------------------------------------------------------------------------------------------------
Result<std::shared_ptr<DbPool>> DbPool::Open(std::string url, std::size_t max_idle, store::Clock clock,
                                             std::chrono::milliseconds statement_timeout) {
  std::shared_ptr<DbPool> pool(new DbPool(std::move(url), std::max<std::size_t>(1, max_idle), std::move(clock),
                                          std::max(std::chrono::milliseconds(0), statement_timeout)));
  auto first = pool->Connect();
  if (!first) return first.error();
  pool->idle_.push_back({std::move(first).value(), std::chrono::steady_clock::now()});
  return pool;
}

Result<std::unique_ptr<store::Database>> DbPool::Connect() const {
  auto db = store::Database::Open(url_, clock_);
  if (!db || statement_timeout_.count() == 0) return db;
  if (auto st = store::SetStatementTimeout(*db.value(), statement_timeout_); !st) return st.error();
  return db;
}

Result<DbPool::Lease> DbPool::Acquire() {
  const std::uint64_t timeouts = store::StatementTimeoutsOnThisThread();
  if (statement_timeout_.count() > 0 &&
      std::chrono::steady_clock::now().time_since_epoch().count() < slow_until_.load(std::memory_order_relaxed))
    return Error{"db.slow",
                 "the database did not answer within " + std::to_string(statement_timeout_.count()) +
                     " ms (--db-timeout-ms) a moment ago; try again shortly",
                 ""};
  for (;;) {
    Idle got;
    {
      std::lock_guard lock(mu_);
      if (idle_.empty()) break;
      got = std::move(idle_.back());
      idle_.pop_back();
    }
    if (std::chrono::steady_clock::now() - got.since < std::chrono::seconds(1) || got.db->Ping())
      return Lease(shared_from_this(), std::move(got.db), timeouts);
    // dead (the server restarted or went away): dropped; try the next, then a new connection
  }
  auto db = Connect();  // outside the lock: connecting may take a while
  if (!db) return db.error();
  return Lease(shared_from_this(), std::move(db).value(), timeouts);
}

std::size_t DbPool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

void DbPool::Release(std::unique_ptr<store::Database> db, std::uint64_t timeouts_when_lent) {
  if (statement_timeout_.count() > 0 && store::StatementTimeoutsOnThisThread() != timeouts_when_lent)
    slow_until_.store((std::chrono::steady_clock::now() + kSlowBackoff).time_since_epoch().count(),
                      std::memory_order_relaxed);
  if (!db->Connected()) return;  // the server closed it: a new one next time
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back({std::move(db), std::chrono::steady_clock::now()});
}

bool DbPool::Reachable() const { return store::Database::Open(url_, clock_).ok(); }

DbPool::Lease::~Lease() {
  if (pool_ && db_) pool_->Release(std::move(db_), timeouts_);
}

// ---- DbTokenStore -----------------------------------------------------------------------------------------------
DbTokenStore::DbTokenStore(std::shared_ptr<DbPool> pool, std::chrono::milliseconds refresh,
                           std::function<void(std::string_view)> log)
    : pool_(std::move(pool)), refresh_(refresh), log_(std::move(log)) {}

Status DbTokenStore::Reload() const {
  auto fail = [&](const Error& e) -> Status {
    {
      std::lock_guard lock(mu_);
      entries_.reset();  // fail closed
      loaded_at_ = std::chrono::steady_clock::now();
    }
    if (log_) log_("token store reload failed: " + e.message);
    return e;
  };
  auto lease = pool_->Acquire();
  if (!lease) return fail(lease.error());
  auto rows = store::ActiveClients(*lease.value());
  if (!rows) return fail(rows.error());
  auto entries = std::make_shared<std::vector<Entry>>();
  std::lock_guard audited_lock(audited_mu_);
  std::map<std::string, std::string> audited;
  for (const auto& r : rows.value()) {
    Entry e;
    if (r.token_sha256.size() != 64) continue;
    // A client that suiji did not add (a row inserted or edited in the database directly) is refused.
    const std::string fields = r.client_id + '\x1f' + r.department + '\x1f' + r.scopes + '\x1f' + r.token_sha256 +
                               '\x1f' + r.role + '\x1f' + r.org_unit + '\x1f' + r.officer + '\x1f' + r.expires_at;
    if (auto it = audited_.find(r.client_id); it == audited_.end() || it->second != fields) {
      auto match = store::MatchesAuditedAdd(*lease.value(), r);
      if (!match) return fail(match.error());
      if (!match.value()) {
        if (log_) log_("token store: client " + r.client_id + " differs from its api_client.add audit event (a row written "
                       "outside suiji?); refused");
        continue;
      }
    }
    audited[r.client_id] = fields;
    bool ok = true;
    for (std::size_t i = 0; i < 32 && ok; ++i) {
      unsigned v = 0;
      auto res = std::from_chars(r.token_sha256.data() + 2 * i, r.token_sha256.data() + 2 * i + 2, v, 16);
      ok = res.ec == std::errc() && res.ptr == r.token_sha256.data() + 2 * i + 2;
      e.hash[i] = static_cast<std::uint8_t>(v);
    }
    auto scopes = rpc::ParseScopes(r.scopes);
    if (!ok || !scopes) {
      if (log_) log_("token store: client " + r.client_id + " has an unreadable hash or scopes; skipped");
      continue;
    }
    e.client = rpc::Client{r.client_id, r.department, scopes.value(), r.role, r.org_unit, r.officer, r.expires_at};
    entries->push_back(std::move(e));
  }
  audited_ = std::move(audited);
  std::lock_guard lock(mu_);
  entries_ = std::move(entries);
  loaded_at_ = std::chrono::steady_clock::now();
  return OkStatus();
}

bool DbTokenStore::Available() const {
  std::lock_guard lock(mu_);
  return entries_ != nullptr;
}

std::optional<rpc::Client> DbTokenStore::Find(const Digest& token_hash) const {
  std::shared_ptr<const std::vector<Entry>> snapshot;
  bool stale;
  {
    std::lock_guard lock(mu_);
    stale = !entries_ || std::chrono::steady_clock::now() - loaded_at_ >= refresh_;
    snapshot = entries_;
  }
  if (stale) {
    if (!Reload()) return std::nullopt;
    std::lock_guard lock(mu_);
    snapshot = entries_;
  }
  if (!snapshot) return std::nullopt;
  const Entry* found = nullptr;
  for (const auto& e : *snapshot)  // no early exit: timing does not depend on which entry matches
    if (rpc::DigestEquals(e.hash, token_hash)) found = &e;
  if (!found) return std::nullopt;
  return found->client;
}

// ---- DbCreditBackend -------------------------------------------------------------------------------------------
DbCreditBackend::DbCreditBackend(std::shared_ptr<DbPool> pool, DbBackendOptions options)
    : pool_(std::move(pool)), options_(std::move(options)) {}

Date DbCreditBackend::Today() const { return options_.today ? options_.today() : rpc::TodayInChina(); }

Result<rpc::EntityRecord> DbCreditBackend::GetEntity(const EntityId& asked, Date as_of) {
  auto lease = pool_->Acquire();
  if (!lease) return lease.error();
  store::Database& db = *lease.value();
  auto primary = Primary(db, asked);
  if (!primary) return primary.error();
  const EntityId& id = primary.value();
  auto names = EntityNames(db, {id.value});
  if (!names) return names.error();
  if (names->empty()) return Error{kErrNotFound, "no entity with code " + id.value, ""};
  rpc::EntityRecord out;
  out.id = id;
  out.name = names->begin()->second;
  const std::string day = FormatDate(as_of);

  auto ms = store::ListMembershipStore(db).ForEntity(id.value);
  if (!ms) return ms.error();
  std::vector<store::ListMembershipRecord> sorted = ms.value();
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::tie(a.listed_on, a.list, a.id) < std::tie(b.listed_on, b.list, b.id);
  });
  for (const auto& m : sorted) {
    if (m.listed_on > day) continue;  // not yet listed on as_of
    auto listed = OptDate(m.listed_on);
    if (!listed) return Error{"store.bad_date", "membership " + m.id + " has listed_on '" + m.listed_on + "'", ""};
    rpc::ListMembership lm{ServiceList(m.list), m.reason, *listed, m.authority, std::nullopt, ""};
    if (!m.removed_on.empty() && m.removed_on <= day) {
      lm.removed_on = OptDate(m.removed_on);
      lm.removal_reason = m.removal_reason;
    }
    out.lists.push_back(std::move(lm));
  }

  auto flags = FlagsInForce(db, {id.value}, day);
  if (!flags) return flags.error();
  auto in_force = std::move(flags).value();  // Result's operator-> is const: moving through it copied
  if (auto it = in_force.find(id.value); it != in_force.end()) out.flags = std::move(it->second);
  return out;
}

Result<std::vector<std::optional<std::vector<rpc::Flag>>>> DbCreditBackend::BatchFlags(const std::vector<EntityId>& asked,
                                                                                       Date as_of) {
  auto lease = pool_->Acquire();
  if (!lease) return lease.error();
  store::Database& db = *lease.value();
  std::vector<EntityId> ids;  // primary ids, in the order asked
  for (const auto& a : asked) {
    auto p = Primary(db, a);
    if (!p) return p.error();
    ids.push_back(std::move(p).value());
  }
  std::vector<std::string> codes;
  codes.reserve(ids.size());
  for (const auto& id : ids) codes.push_back(id.value);
  codes = Unique(std::move(codes));
  auto names = EntityNames(db, codes);
  if (!names) return names.error();
  auto flags = FlagsInForce(db, codes, FormatDate(as_of));
  if (!flags) return flags.error();
  std::vector<std::optional<std::vector<rpc::Flag>>> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    if (!names->count(id.value)) {
      out.emplace_back(std::nullopt);
      continue;
    }
    auto it = flags->find(id.value);
    out.emplace_back(it == flags->end() ? std::vector<rpc::Flag>{} : it->second);
  }
  return out;
}

Result<rpc::Classification> DbCreditBackend::GetClassification(const EntityId& asked) {
  auto lease = pool_->Acquire();
  if (!lease) return lease.error();
  store::Database& db = *lease.value();
  auto primary = Primary(db, asked);
  if (!primary) return primary.error();
  const EntityId& id = primary.value();
  auto names = EntityNames(db, {id.value});
  if (!names) return names.error();
  if (names->empty()) return Error{kErrNotFound, "no entity with code " + id.value, ""};
  store::CreditRunStore runs(db);
  auto run = runs.RunAsOf(FormatDate(Today()));
  if (!run) return run.error();
  if (!run.value()) return Error{kErrNotFound, "entity " + id.value + " has no classification yet", ""};
  auto score = runs.Score(run.value()->run_id, id.value);
  if (!score) return score.error();
  if (!score.value()) return Error{kErrNotFound, "entity " + id.value + " has no classification yet", ""};
  rpc::Classification out;
  out.id = id;
  out.credit_class = score.value()->cls;
  out.score = std::strtod(score.value()->score.c_str(), nullptr);
  out.model_version = run.value()->model_version;
  out.as_of = OptDate(run.value()->as_of).value_or(Date{});
  if (options_.model && options_.model->digest == run.value()->model_digest) {
    auto ex = ExplainEntity(db, *options_.model, id.value, out.as_of);
    if (ex && ex->matches_stored)
      for (const auto& c : ex->explanation.contributions)
        out.contributions.push_back({c.indicator, c.raw, c.weight, c.contribution, c.missing});
  }
  return out;
}

Result<std::vector<rpc::PushReceipt>> DbCreditBackend::RecordPenalties(const rpc::Pusher& by,
                                                                       const std::vector<rpc::Penalty>& items_in) {
  auto resolved = WithPrimaryIds(*pool_, items_in);
  if (!resolved) return resolved.error();
  const auto& items = resolved.value();
  std::vector<Planned> plan;
  std::vector<store::PenaltyRecord> records;
  for (const auto& p : items) {
    Fields f;
    f << p.entity.value << p.decision_no << p.authority << (long long)p.decided_on.days << p.category
      << (long long)p.fine_fen << p.legal_basis << p.description;
    plan.push_back({p.decision_no, f.Digest()});
    records.push_back({p.decision_no, p.entity.value, p.authority, p.category, FormatDate(p.decided_on),
                       FenToYuan(p.fine_fen), p.legal_basis});
  }
  auto conflict = [&](std::size_t i) {
    return "decision " + items[i].decision_no + " was already pushed by " + by.department + " with different content";
  };
  return Push(
      *pool_, by, "penalty", plan, "decision_no", conflict,
      [&](store::Database& db) { return CheckEntities(db, items); },
      [&](store::Transaction& tx, const std::vector<std::size_t>& fresh) -> Result<std::vector<std::string>> {
        store::PenaltyStore penalties(tx.db());
        std::vector<store::PenaltyRecord> batch;
        std::vector<std::string> ids;
        for (std::size_t i : fresh) {
          // decision_no is the penalties table's key: another source's different record under it is a conflict.
          auto old = penalties.Get(records[i].decision_no);
          if (!old) return old.error();
          if (old.value() && !(*old.value() == records[i]))
            return At(i, "decision_no", kErrInvalid,
                      "decision " + records[i].decision_no + " is already recorded with different content");
          batch.push_back(records[i]);
          ids.push_back(records[i].decision_no);
        }
        auto up = penalties.Upsert(tx, batch, "rpc:" + by.client_id);
        if (!up) return up.error();
        return ids;
      });
}

Result<std::vector<rpc::PushReceipt>> DbCreditBackend::RecordListDecisions(const rpc::Pusher& by,
                                                                           const std::vector<rpc::ListDecision>& items_in) {
  auto resolved = WithPrimaryIds(*pool_, items_in);
  if (!resolved) return resolved.error();
  const auto& items = resolved.value();
  std::vector<Planned> plan;
  for (const auto& d : items) {
    Fields f;
    f << d.entity.value << d.list << (long long)d.action << d.decision_no << d.authority
      << (long long)d.decided_on.days << d.reason;
    plan.push_back({d.decision_no, f.Digest()});
  }
  auto conflict = [&](std::size_t i) {
    return "decision " + items[i].decision_no + " was already pushed by " + by.department + " with different content";
  };
  return Push(
      *pool_, by, "list", plan, "decision_no", conflict,
      [&](store::Database& db) { return CheckEntities(db, items); },
      [&](store::Transaction& tx, const std::vector<std::size_t>& fresh) -> Result<std::vector<std::string>> {
        store::ListMembershipStore store(tx.db());
        // Working copies of the touched entities' memberships, so later items see earlier ones.
        std::map<std::string, std::vector<store::ListMembershipRecord>> lists;
        std::map<std::string, store::ListMembershipRecord> changed;  // by membership id
        std::vector<std::string> ids;
        for (std::size_t i : fresh) {
          const auto& d = items[i];
          auto [lit, first] = lists.try_emplace(d.entity.value);
          if (first) {
            auto ms = store.ForEntity(d.entity.value);
            if (!ms) return ms.error();
            lit->second = ms.value();
          }
          auto& ms = lit->second;
          const std::string list = StoreList(d.list), day = FormatDate(d.decided_on);
          store::ListMembershipRecord* open = nullptr;
          for (auto& m : ms)
            if (m.list == list && m.removed_on.empty()) open = &m;
          if (d.action == rpc::ListAction::kAdd) {
            if (open)
              return At(i, "", kErrInvalid, d.entity.value + " is already on " + d.list + " since " + open->listed_on);
            store::ListMembershipRecord m;
            m.id = "rpc-" + Sha256Hex(by.department + '\x1f' + d.decision_no).substr(0, 16);
            m.entity_id = d.entity.value;
            m.list = list;
            m.reason = d.reason;
            m.listed_on = day;
            m.authority = d.authority;
            ms.push_back(m);
            changed[m.id] = m;
            ids.push_back(m.id);
          } else {
            if (!open) return At(i, "", kErrInvalid, d.entity.value + " is not on " + d.list);
            if (day < open->listed_on)
              return At(i, "decided_on", kErrInvalid,
                        "removal on " + day + " precedes the listing on " + open->listed_on);
            open->removed_on = day;
            open->removal_reason = d.reason;
            open->removal_authority = d.authority;
            changed[open->id] = *open;
            ids.push_back(open->id);
          }
        }
        std::vector<store::ListMembershipRecord> batch;
        for (auto& [id, m] : changed) batch.push_back(m);
        auto up = store.SaveMemberships(tx, batch, "rpc:" + by.client_id);
        if (!up) return up.error();
        return ids;
      });
}

Result<std::vector<rpc::PushReceipt>> DbCreditBackend::RecordRepairs(const rpc::Pusher& by,
                                                                     const std::vector<rpc::RepairDecision>& items_in) {
  auto resolved = WithPrimaryIds(*pool_, items_in);
  if (!resolved) return resolved.error();
  const auto& items = resolved.value();
  std::vector<Planned> plan;
  for (const auto& r : items) {
    Fields f;
    f << r.entity.value << r.list << r.decision_no << r.authority << (long long)r.decided_on.days
      << (long long)r.granted << r.reason;
    plan.push_back({r.decision_no, f.Digest()});
  }
  auto conflict = [&](std::size_t i) {
    return "repair decision " + items[i].decision_no + " was already pushed by " + by.department +
           " with different content";
  };
  return Push(
      *pool_, by, "repair", plan, "decision_no", conflict,
      [&](store::Database& db) { return CheckEntities(db, items); },
      [&](store::Transaction& tx, const std::vector<std::size_t>& fresh) -> Result<std::vector<std::string>> {
        store::ListMembershipStore memberships(tx.db());
        store::RepairStore repairs(tx.db());
        std::vector<store::RepairRecord> batch;
        std::vector<std::string> ids;
        for (std::size_t i : fresh) {
          const auto& r = items[i];
          const std::string list = StoreList(r.list), day = FormatDate(r.decided_on);
          auto ms = memberships.ForEntity(r.entity.value);
          if (!ms) return ms.error();
          std::vector<std::string> in_force;
          for (const auto& m : ms.value())
            if (m.list == list && m.listed_on <= day && (m.removed_on.empty() || m.removed_on >= day))
              in_force.push_back(m.id);
          if (in_force.empty())
            return At(i, "", kErrInvalid, r.entity.value + " has no " + r.list + " membership in force on " + day);
          if (in_force.size() > 1)
            return At(i, "", kErrInvalid,
                      r.entity.value + " has " + std::to_string(in_force.size()) + " " + r.list +
                          " memberships in force on " + day + ": import this decision naming one (suiji import repairs)");
          store::RepairRecord rec{r.decision_no, in_force[0], r.entity.value, list, day, r.authority,
                                  r.granted ? "granted" : "refused", r.reason};
          auto before = repairs.Get(r.decision_no);
          if (!before) return before.error();
          if (before.value() && !(*before.value() == rec))
            return At(i, "decision_no", kErrInvalid,
                      "repair decision " + r.decision_no + " is already recorded with different content");
          batch.push_back(std::move(rec));
          ids.push_back(r.decision_no);
        }
        auto up = repairs.Upsert(tx, batch, "rpc:" + by.client_id);
        if (!up) return up.error();
        return ids;
      });
}

Result<std::vector<rpc::PushReceipt>> DbCreditBackend::RecordIndicators(const rpc::Pusher& by,
                                                                        const std::vector<rpc::ExternalIndicator>& items_in) {
  auto resolved = WithPrimaryIds(*pool_, items_in);
  if (!resolved) return resolved.error();
  const auto& items = resolved.value();
  std::vector<Planned> plan;
  std::vector<store::ExternalIndicatorRecord> records;
  for (const auto& x : items) {
    Fields key, content;
    key << x.entity.value << x.indicator << (long long)x.as_of.days;
    content << x.value;
    plan.push_back({key.s, content.Digest()});
    // The source is always the pusher's department, whatever the item says.
    records.push_back({x.entity.value, by.department, x.indicator, FormatDate(x.as_of), DecimalText(x.value)});
  }
  auto conflict = [&](std::size_t i) {
    return items[i].indicator + " of " + items[i].entity.value + " as of " + FormatDate(items[i].as_of) +
           " was already pushed with a different value; push a correction with a new as_of";
  };
  return Push(
      *pool_, by, "indicator", plan, "value", conflict,
      [&](store::Database& db) { return CheckEntities(db, items); },
      [&](store::Transaction& tx, const std::vector<std::size_t>& fresh) -> Result<std::vector<std::string>> {
        store::Table table(tx.db(), store::ExternalIndicatorCodec::Spec());
        std::vector<store::ExternalIndicatorRecord> batch;
        std::vector<std::string> ids;
        for (std::size_t i : fresh) {
          const auto& r = records[i];
          auto old = table.Get({r.entity_id, r.source, r.name, r.as_of});
          if (!old) return old.error();
          if (old.value() && (*old.value())[4] != r.value)
            return At(i, "value", kErrInvalid, conflict(i));
          batch.push_back(r);
          ids.push_back(r.entity_id + "/" + r.source + "/" + r.name + "/" + r.as_of);
        }
        auto up = store::ExternalIndicatorStore(tx.db()).Upsert(tx, batch, "rpc:" + by.client_id);
        if (!up) return up.error();
        return ids;
      });
}

// ---- Clients -----------------------------------------------------------------------------------------------------
Result<NewApiClient> AddApiClient(store::Database& db, const std::string& client_id, const std::string& department,
                                  const std::string& scopes, const std::string& actor) {
  ApiClientSpec spec;
  spec.client_id = client_id;
  spec.department = department;
  spec.scopes = scopes;
  return AddApiClient(db, spec, actor);
}

Result<NewApiClient> AddApiClient(store::Database& db, const ApiClientSpec& spec, const std::string& actor) {
  const std::string& client_id = spec.client_id;
  if (!ValidClientId(client_id))
    return Error{"client.bad_id", "client id '" + client_id + "' must be 1-64 of letters, digits, '.', '_', '-'",
                 "client_id"};
  if (spec.department.empty()) return Error{"client.bad_department", "the department is empty", "department"};
  auto parsed = rpc::ParseScopes(spec.scopes);
  if (!parsed) return parsed.error();
  if (parsed->empty()) return Error{"scope.empty", "at least one scope is needed (read_public, read_class, push)", "scopes"};
  if (auto st = ValidateRole(spec.role); !st) return st.error();
  if (spec.role == "officer" && spec.officer.empty())
    return Error{"client.officer_required", "an officer's client is tied to its certificate number (--officer CERT_NO)",
                 "officer"};
  // A reviewer may hold an enforcement certificate too: tied to it, it is refused on its own team's results.
  if (spec.role != "officer" && spec.role != "reviewer" && !spec.officer.empty())
    return Error{"client.officer_role", "only a client of role officer or reviewer is tied to an officer", "officer"};
  if (!spec.expires_at.empty() && (spec.expires_at.size() < 10 || !ParseDate(spec.expires_at.substr(0, 10))))
    return Error{"client.expires", "'" + spec.expires_at + "' is not a date or time (YYYY-MM-DD[THH:MM:SSZ])",
                 "expires_at"};
  std::string canonical;
  for (auto s : parsed.value()) canonical += (canonical.empty() ? "" : ",") + std::string(rpc::ScopeName(s));
  if (!spec.officer.empty()) {
    auto o = store::OfficerStore(db).Get(spec.officer);
    if (!o) return o.error();
    if (!o.value()) return Error{"client.officer_unknown", "no officer with certificate " + spec.officer, "officer"};
  }
  if (!spec.org_unit.empty()) {
    if (auto st = CheckOrgUnitKnown(db, spec.org_unit, "client " + client_id); !st) return st.error();
  }
  auto token = rpc::NewToken();
  if (!token) return token.error();
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  store::ClientRecord rec{client_id, spec.department, canonical, ToHex(rpc::HashToken(token.value())), "", "",
                          spec.role, spec.org_unit, spec.officer, spec.expires_at};
  auto added = store::AddClient(tx.value(), rec, actor);
  if (!added) return added.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return NewApiClient{added.value(), token.value()};
}

Result<store::ClientRecord> RevokeApiClient(store::Database& db, const std::string& client_id,
                                            const std::string& actor) {
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  auto r = store::RevokeClient(tx.value(), client_id, actor);
  if (!r) return r.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return r;
}

}  // namespace suiji::app
