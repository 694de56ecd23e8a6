#include "api/thrift/handler.h"

#include <chrono>
#include <cstring>
#include <ctime>
#include <iostream>

#include "api/thrift/validate.h"

namespace suiji::rpc {
namespace gen = thriftgen;
namespace {

constexpr std::size_t kMaxTokenLength = 512;

gen::SuijiError Fail(gen::ErrorCode::type code, std::string message, std::string field = "") {
  gen::SuijiError e;
  e.code = code;
  e.message = std::move(message);
  e.field = std::move(field);
  return e;
}

gen::SuijiError Invalid(const Error& e) {
  auto code = e.code == kErrForbidden ? gen::ErrorCode::FORBIDDEN : gen::ErrorCode::INVALID_ARGUMENT;
  return Fail(code, e.field.empty() ? e.message : e.field + ": " + e.message, e.field);
}

gen::ListMembership ToWire(const ListMembership& m) {
  gen::ListMembership w;
  w.list_name = m.list;
  w.reason = m.reason;
  w.listed_on = FormatDate(m.listed_on);
  w.authority = m.authority;
  if (m.removed_on) {
    w.__set_removed_on(FormatDate(*m.removed_on));
    w.__set_removal_reason(m.removal_reason);
  }
  return w;
}

// Flags are the bulk of a batch answer: moved, not copied, out of the backend's result.
gen::Flag ToWire(Flag&& f) {
  gen::Flag w;
  w.memorandum = std::move(f.memorandum);
  w.measure = std::move(f.measure);
  w.implementing_department = std::move(f.implementing_department);
  w.legal_basis = std::move(f.legal_basis);
  w.starts_on = FormatDate(f.starts_on);
  if (f.ends_on) w.__set_ends_on(FormatDate(*f.ends_on));
  return w;
}

std::vector<gen::Flag> ToWire(std::vector<Flag>&& flags) {
  std::vector<gen::Flag> out;
  out.reserve(flags.size());
  for (auto& f : flags) out.push_back(ToWire(std::move(f)));
  return out;
}

std::vector<gen::PushReceipt> ToWire(const std::vector<PushReceipt>& rs) {
  std::vector<gen::PushReceipt> out;
  out.reserve(rs.size());
  for (const auto& r : rs) {
    gen::PushReceipt w;
    w.id = r.id;
    w.duplicate = r.duplicate;
    out.push_back(std::move(w));
  }
  return out;
}

// "pushed 3 penalties (2 new)" for the log.
std::string Pushed(const std::string& client, std::size_t n, const char* what, const std::vector<PushReceipt>& rs) {
  std::size_t fresh = 0;
  for (const auto& r : rs) fresh += r.duplicate ? 0 : 1;
  return "client " + client + " pushed " + std::to_string(n) + " " + what + " (" + std::to_string(fresh) + " new)";
}

std::string Indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

// The system clock as ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ), what a client's expires_at is compared with (as text,
// on expires_at's length: a date ends its token at 00:00 UTC of that day, as on the REST API).
std::string NowUtcIso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Date TodayInChina() {
  using namespace std::chrono;
  auto now = system_clock::now() + hours(8);
  return Date{static_cast<int>(floor<days>(now).time_since_epoch().count())};
}

SuijiCreditHandler::SuijiCreditHandler(std::shared_ptr<CreditBackend> backend, std::shared_ptr<const TokenStore> tokens,
                                       ServiceOptions options, std::string peer)
    : backend_(std::move(backend)), tokens_(std::move(tokens)), options_(std::move(options)), peer_(std::move(peer)) {}

std::unique_ptr<SuijiCreditHandler> SuijiCreditHandler::ForPeer(std::string peer) const {
  auto h = std::make_unique<SuijiCreditHandler>(backend_, tokens_, options_, std::move(peer));
  h->next_ref_ = next_ref_;
  return h;
}

void SuijiCreditHandler::Log(const std::string& line) const {
  if (options_.log)
    options_.log(line);
  else
    std::cerr << "suiji thrift: " << line << "\n";
}

Date SuijiCreditHandler::Today() const { return options_.today ? options_.today() : TodayInChina(); }

template <typename F>
void SuijiCreditHandler::Guard(const char* call, F&& body) {
  try {
    body();
  } catch (const gen::SuijiError&) {
    throw;
  } catch (const std::exception& e) {
    unsigned long ref = (*next_ref_)++;
    Log(std::string(call) + ": internal error ref " + std::to_string(ref) + ": " + e.what());
    throw Fail(gen::ErrorCode::INTERNAL, "internal error, ref " + std::to_string(ref) + " in the server log");
  } catch (...) {
    unsigned long ref = (*next_ref_)++;
    Log(std::string(call) + ": internal error ref " + std::to_string(ref) + ": unknown exception");
    throw Fail(gen::ErrorCode::INTERNAL, "internal error, ref " + std::to_string(ref) + " in the server log");
  }
}

Client SuijiCreditHandler::Authorize(const std::string& token, Scope scope, const char* call) const {
  if (token.empty()) throw Fail(gen::ErrorCode::UNAUTHENTICATED, "a token is required", "token");
  const auto now = std::chrono::steady_clock::now();
  if (options_.failures) {
    if (long wait = options_.failures->RetryAfter(peer_, now); wait > 0)
      throw Fail(gen::ErrorCode::RATE_LIMITED, "too many refused tokens from " + peer_ + "; try again in " +
                                                   std::to_string(wait) + " s");
  }
  auto refuse = [&](const std::string& log, const std::string& message) {
    if (options_.failures) options_.failures->Fail(peer_, now);
    Log(std::string(call) + ": " + log + (peer_.empty() ? "" : " from " + peer_));
    return Fail(gen::ErrorCode::UNAUTHENTICATED, message, "token");
  };
  std::optional<Client> client;
  if (token.size() <= kMaxTokenLength) client = tokens_->Find(HashToken(token));
  if (!client) throw refuse("rejected an unknown token", "unknown or revoked token");
  if (!client->expires_at.empty() && client->expires_at <= NowUtcIso().substr(0, client->expires_at.size()))
    throw refuse("client " + client->id + " presented a token that expired at " + client->expires_at,
                 "the token expired at " + client->expires_at);
  if (!client->Has(scope)) {
    Log(std::string(call) + ": client " + client->id + " lacks scope " + ScopeName(scope));
    throw Fail(gen::ErrorCode::FORBIDDEN,
               "client " + client->id + " lacks scope " + ScopeName(scope) + " required by " + call);
  }
  return *client;
}

void SuijiCreditHandler::CheckBatch(std::size_t n, const char* field) const {
  if (n > options_.max_batch)
    throw Fail(gen::ErrorCode::BATCH_TOO_LARGE,
               std::string(field) + " has " + std::to_string(n) + " items; at most " +
                   std::to_string(options_.max_batch) + " are accepted in one call",
               field);
}

void SuijiCreditHandler::ThrowBackend(const Error& e, const std::string& field_prefix, const char* call) {
  std::string field = e.field.empty() ? field_prefix : field_prefix + e.field;
  std::string message = field.empty() ? e.message : field + ": " + e.message;
  if (e.code == kErrNotFound) throw Fail(gen::ErrorCode::NOT_FOUND, message, field);
  if (e.code == kErrInvalid) throw Fail(gen::ErrorCode::INVALID_ARGUMENT, message, field);
  unsigned long ref = (*next_ref_)++;
  Log(std::string(call) + ": backend error ref " + std::to_string(ref) + ": " + e.code + ": " + e.message);
  throw Fail(gen::ErrorCode::INTERNAL, "internal error, ref " + std::to_string(ref) + " in the server log");
}

void SuijiCreditHandler::ping(std::string& out) { out = "suiji 0.1.0"; }

void SuijiCreditHandler::getEntity(gen::EntityRecord& out, const std::string& token, const std::string& code) {
  Guard("getEntity", [&] {
    Authorize(token, Scope::kReadPublic, "getEntity");
    auto id = ParseCode(code, "code");
    if (!id) throw Invalid(id.error());
    auto rec = backend_->GetEntity(*id, Today());
    if (!rec) ThrowBackend(rec.error(), "", "getEntity");
    out = gen::EntityRecord();
    out.code = rec->id.value;
    out.name = rec->name;
    for (const auto& m : rec->lists) out.lists.push_back(ToWire(m));
    out.flags = ToWire(std::move(rec.value().flags));
  });
}

void SuijiCreditHandler::batchFlags(std::vector<gen::EntityFlags>& out, const std::string& token,
                                    const std::vector<std::string>& codes) {
  Guard("batchFlags", [&] {
    Authorize(token, Scope::kReadPublic, "batchFlags");
    CheckBatch(codes.size(), "codes");
    std::vector<EntityId> ids;
    ids.reserve(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
      auto id = ParseCode(codes[i], Indexed("codes", i));
      if (!id) throw Invalid(id.error());
      ids.push_back(std::move(id).value());
    }
    auto flags = backend_->BatchFlags(ids, Today());
    if (!flags) ThrowBackend(flags.error(), "codes", "batchFlags");
    if (flags->size() != ids.size()) {
      throw std::runtime_error("backend answered " + std::to_string(flags->size()) + " entries for " +
                               std::to_string(ids.size()) + " codes");
    }
    auto& answers = flags.value();
    out.clear();
    out.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out[i].code = std::move(ids[i].value);
      out[i].known = answers[i].has_value();
      if (out[i].known) out[i].flags = ToWire(std::move(*answers[i]));
    }
  });
}

void SuijiCreditHandler::getClassification(gen::Classification& out, const std::string& token,
                                           const std::string& code) {
  Guard("getClassification", [&] {
    Authorize(token, Scope::kReadClass, "getClassification");
    auto id = ParseCode(code, "code");
    if (!id) throw Invalid(id.error());
    auto c = backend_->GetClassification(*id);
    if (!c) ThrowBackend(c.error(), "", "getClassification");
    out = gen::Classification();
    out.code = c->id.value;
    out.credit_class = c->credit_class;
    out.score = c->score;
    out.model_version = c->model_version;
    out.as_of = FormatDate(c->as_of);
    for (const auto& k : c->contributions) {
      gen::IndicatorContribution w;
      w.indicator = k.indicator;
      w.value = k.value;
      w.weight = k.weight;
      w.contribution = k.contribution;
      w.imputed = k.imputed;
      out.contributions.push_back(std::move(w));
    }
  });
}

void SuijiCreditHandler::pushPenalties(std::vector<gen::PushReceipt>& out, const std::string& token,
                                       const std::vector<gen::Penalty>& penalties) {
  Guard("pushPenalties", [&] {
    Client client = Authorize(token, Scope::kPush, "pushPenalties");
    CheckBatch(penalties.size(), "penalties");
    Date today = Today();
    std::vector<Penalty> items;
    items.reserve(penalties.size());
    for (std::size_t i = 0; i < penalties.size(); ++i) {
      auto p = ToPenalty(penalties[i], Indexed("penalties", i), today);
      if (!p) throw Invalid(p.error());
      items.push_back(std::move(p).value());
    }
    auto r = backend_->RecordPenalties(Pusher{client.id, client.department}, items);
    if (!r) ThrowBackend(r.error(), "penalties", "pushPenalties");
    Log("pushPenalties: " + Pushed(client.id, items.size(), "penalties", *r));
    out = ToWire(*r);
  });
}

void SuijiCreditHandler::pushListDecisions(std::vector<gen::PushReceipt>& out, const std::string& token,
                                           const std::vector<gen::ListDecision>& decisions) {
  Guard("pushListDecisions", [&] {
    Client client = Authorize(token, Scope::kPush, "pushListDecisions");
    CheckBatch(decisions.size(), "decisions");
    Date today = Today();
    std::vector<ListDecision> items;
    items.reserve(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      auto d = ToListDecision(decisions[i], Indexed("decisions", i), today);
      if (!d) throw Invalid(d.error());
      items.push_back(std::move(d).value());
    }
    auto r = backend_->RecordListDecisions(Pusher{client.id, client.department}, items);
    if (!r) ThrowBackend(r.error(), "decisions", "pushListDecisions");
    Log("pushListDecisions: " + Pushed(client.id, items.size(), "decisions", *r));
    out = ToWire(*r);
  });
}

void SuijiCreditHandler::pushRepairs(std::vector<gen::PushReceipt>& out, const std::string& token,
                                     const std::vector<gen::RepairDecision>& decisions) {
  Guard("pushRepairs", [&] {
    Client client = Authorize(token, Scope::kPush, "pushRepairs");
    CheckBatch(decisions.size(), "decisions");
    Date today = Today();
    std::vector<RepairDecision> items;
    items.reserve(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      auto d = ToRepair(decisions[i], Indexed("decisions", i), today);
      if (!d) throw Invalid(d.error());
      items.push_back(std::move(d).value());
    }
    auto r = backend_->RecordRepairs(Pusher{client.id, client.department}, items);
    if (!r) ThrowBackend(r.error(), "decisions", "pushRepairs");
    Log("pushRepairs: " + Pushed(client.id, items.size(), "decisions", *r));
    out = ToWire(*r);
  });
}

void SuijiCreditHandler::pushIndicators(std::vector<gen::PushReceipt>& out, const std::string& token,
                                        const std::vector<gen::ExternalIndicator>& values) {
  Guard("pushIndicators", [&] {
    Client client = Authorize(token, Scope::kPush, "pushIndicators");
    CheckBatch(values.size(), "values");
    Date today = Today();
    std::vector<ExternalIndicator> items;
    items.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto x = ToIndicator(values[i], Indexed("values", i), today, client.department);
      if (!x) throw Invalid(x.error());
      items.push_back(std::move(x).value());
    }
    auto r = backend_->RecordIndicators(Pusher{client.id, client.department}, items);
    if (!r) ThrowBackend(r.error(), "values", "pushIndicators");
    Log("pushIndicators: " + Pushed(client.id, items.size(), "values", *r));
    out = ToWire(*r);
  });
}

}  // namespace suiji::rpc
