// libFuzzer target: requests to the Thrift service (api/thrift/): the generated reader, the handler's
// checks (token -> scope -> batch size -> each item, handler.h) and the validators (validate.h), over the
// in-memory backend and tokens of the tests' fixture (tests/integration/thrift/fixture.h), with the
// server's protocol (ServerProtocolFactory: strict, container and string limits) and a frame-sized buffer.
// Input: the first byte's low bit picks the mode.
//   raw (0):        the rest is a TBinaryProtocol message as a client sends it in a frame;
//   structured (1): the rest drives FuzzedDataProvider to build a call (method, token from the fixture's,
//                   codes and fields from pools of real and broken values), written as such a message.
// Each message goes through SuijiCreditProcessor to the handler (max_batch 8, today 2024-06-30), on a
// fresh backend. What it asserts, for every message whose call and arguments the generated reader reads:
//   1. The reply is a T_REPLY of that name and seqid, with a result or a SuijiError, never INTERNAL.
//   2. The outcome is what the documented order of checks predicts: no/unknown token UNAUTHENTICATED
//      (field "token"), a missing scope FORBIDDEN, more than max_batch items BATCH_TOO_LARGE naming the
//      list, else the first item a validator refuses: INVALID_ARGUMENT (FORBIDDEN for another department)
//      with the validator's field ("penalties[2].decided_on") and message "field: ...". Otherwise a
//      result (one receipt per item; one EntityFlags per code, carrying the normalised code) or a
//      backend NOT_FOUND / INVALID_ARGUMENT whose field lies in the list.
//   3. Every SuijiError has a message, and a field-naming one starts with "field: ".
//   4. Validators: an accepted code parses to itself; an accepted item has texts that are valid UTF-8,
//      without control characters or outer spaces, at most 4096 bytes, the required ones non-empty,
//      dates from 1949-10-01 to today, a finite value, a known list and action; written back to the wire
//      it is accepted again, equal (idempotent). A refused one has code invalid/forbidden, a message,
//      and a field under the item's path. QuoteForMessage always gives printable valid UTF-8.
// Seeds: FUZZ_THRIFT_SEEDS=DIR ./fuzzer -runs=0 writes raw-mode seeds (real calls of every method) into DIR.
// fuzz-sources: api/thrift/server.cpp api/thrift/handler.cpp api/thrift/validate.cpp api/thrift/memory_backend.cpp api/thrift/token_store.cpp api/thrift/credit_backend.cpp tests/integration/thrift/fixture.cpp core/identifiers.cpp core/date.cpp core/sha256.cpp core/limiters.cpp
// fuzz-libs: -lthrift -lcrypto -lpthread
// fuzz-thrift: api/thrift/suiji.thrift
// (fuzz.mk turns UBSan's enum check off for this file, server.cpp and the generated code: Thrift's own
// TBinaryProtocol.tcc loads a wire byte as the enum TType before checking it.)
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <thrift/TApplicationException.h>
#include <thrift/TConfiguration.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "api/thrift/handler.h"
#include "api/thrift/memory_backend.h"
#include "api/thrift/server.h"
#include "api/thrift/token_store.h"
#include "api/thrift/validate.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/integration/thrift/fixture.h"
#include "thriftgen/SuijiCredit.h"

namespace gen = suiji::thriftgen;
namespace rpc = suiji::rpc;
using apache::thrift::TConfiguration;
using apache::thrift::protocol::TMessageType;
using apache::thrift::transport::TMemoryBuffer;
using suiji::Date;
using suiji::fuzz::Check;

namespace {

constexpr std::size_t kMaxBatch = 8;
constexpr int kFrame = 64 << 10;

Date Today() { return rpc::testing::FixtureToday(); }

// The server's protocol (api/thrift/server.h ServerProtocolFactory), over a frame-bounded buffer.
std::shared_ptr<apache::thrift::protocol::TProtocol> Protocol(std::shared_ptr<TMemoryBuffer> buf) {
  static const auto factory = rpc::ServerProtocolFactory(kMaxBatch, kFrame);
  return factory->getProtocol(buf);
}
std::shared_ptr<TMemoryBuffer> Buffer(const std::string& bytes) {
  auto config = std::make_shared<TConfiguration>(kFrame, kFrame);
  auto buf = std::make_shared<TMemoryBuffer>(config);
  if (!bytes.empty()) buf->write(reinterpret_cast<const std::uint8_t*>(bytes.data()), static_cast<std::uint32_t>(bytes.size()));
  return buf;
}

const rpc::InMemoryTokenStore& Tokens() {
  static const auto tokens = [] {
    auto t = std::make_shared<rpc::InMemoryTokenStore>();
    rpc::InMemoryCreditBackend unused;
    rpc::testing::Seed(unused, *t);
    return t;
  }();
  return *tokens;
}

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

bool Printable(const std::string& s) {
  if (!rpc::IsValidUtf8(s)) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

// The text rules of validate.h for an accepted value.
void CheckText(const std::string& v, bool required, const char* what) {
  Check(v.size() <= rpc::kMaxTextLength, what);
  Check(Printable(v), what);
  Check(v.empty() || (v.front() != ' ' && v.back() != ' '), what);
  Check(!required || !v.empty(), what);
}

void CheckDay(Date d, const char* what) {
  Check(d >= suiji::DateFromYmd(1949, 10, 1) && d <= Today(), what);
  auto again = suiji::ParseDate(suiji::FormatDate(d));
  Check(again.ok() && again.value() == d, what);
}

void CheckRefusal(const suiji::Error& e, const std::string& path) {
  Check(e.code == "invalid" || e.code == rpc::kErrForbidden, "a validator error with another code");
  Check(!e.message.empty(), "a validator error without a message");
  Check(StartsWith(e.field, path + "."), "a validator error's field is not under the item's path");
}

void CheckQuote(const std::string& raw) {
  const std::string q = rpc::QuoteForMessage(raw);
  Check(Printable(q) && q.size() >= 2 && q.front() == '\'', "QuoteForMessage gives unprintable text");
  Check(q.size() <= 2 + 64 + 3 + 3 * 64, "QuoteForMessage is too long");
}

suiji::Result<suiji::EntityId> Code(const std::string& raw, const std::string& field) {
  auto id = rpc::ParseCode(raw, field);
  CheckQuote(raw);
  if (id) {
    auto again = rpc::ParseCode(id->value, field);
    Check(again && again.value() == id.value(), "an accepted code does not parse to itself");
  } else {
    Check(id.error().code == "invalid" && id.error().field == (field.empty() ? "code" : field) && !id.error().message.empty(),
          "a refused code without its field or message");
  }
  return id;
}

// Each To* validator: checks its invariants and returns the error it gave, if any.
std::optional<suiji::Error> Validate(const gen::Penalty& in, const std::string& path) {
  auto r = rpc::ToPenalty(in, path, Today());
  Code(in.entity_code, path + ".entity_code");
  if (!r) {
    CheckRefusal(r.error(), path);
    return r.error();
  }
  const rpc::Penalty& p = r.value();
  Check(p.entity == rpc::ParseCode(in.entity_code, "").value(), "a penalty's entity is not its parsed code");
  CheckText(p.decision_no, true, "penalty decision_no");
  CheckText(p.authority, true, "penalty authority");
  CheckText(p.category, true, "penalty category");
  CheckText(p.legal_basis, true, "penalty legal_basis");
  CheckText(p.description, false, "penalty description");
  CheckDay(p.decided_on, "penalty decided_on");
  Check(p.fine_fen >= 0, "a negative fine accepted");
  gen::Penalty w;
  w.entity_code = p.entity.value;
  w.decision_no = p.decision_no;
  w.authority = p.authority;
  w.decided_on = suiji::FormatDate(p.decided_on);
  w.category = p.category;
  w.fine_fen = p.fine_fen;
  w.legal_basis = p.legal_basis;
  w.description = p.description;
  auto again = rpc::ToPenalty(w, path, Today());
  Check(again && again.value() == p, "an accepted penalty, written back, validates to another penalty");
  return std::nullopt;
}

std::optional<suiji::Error> Validate(const gen::ListDecision& in, const std::string& path) {
  auto r = rpc::ToListDecision(in, path, Today());
  Code(in.entity_code, path + ".entity_code");
  CheckQuote(in.list_name);
  if (!r) {
    CheckRefusal(r.error(), path);
    return r.error();
  }
  const rpc::ListDecision& d = r.value();
  Check(rpc::IsPublicList(d.list), "an unknown list accepted");
  CheckText(d.decision_no, true, "list decision_no");
  CheckText(d.authority, true, "list authority");
  CheckText(d.reason, true, "list reason");
  CheckDay(d.decided_on, "list decided_on");
  gen::ListDecision w;
  w.entity_code = d.entity.value;
  w.list_name = d.list;
  w.action = d.action == rpc::ListAction::kAdd ? gen::ListAction::ADD : gen::ListAction::REMOVE;
  w.decision_no = d.decision_no;
  w.authority = d.authority;
  w.decided_on = suiji::FormatDate(d.decided_on);
  w.reason = d.reason;
  auto again = rpc::ToListDecision(w, path, Today());
  Check(again && again.value() == d, "an accepted list decision, written back, validates to another");
  return std::nullopt;
}

std::optional<suiji::Error> Validate(const gen::RepairDecision& in, const std::string& path) {
  auto r = rpc::ToRepair(in, path, Today());
  Code(in.entity_code, path + ".entity_code");
  if (!r) {
    CheckRefusal(r.error(), path);
    return r.error();
  }
  const rpc::RepairDecision& d = r.value();
  Check(rpc::IsPublicList(d.list), "an unknown list accepted");
  CheckText(d.decision_no, true, "repair decision_no");
  CheckText(d.authority, true, "repair authority");
  CheckText(d.reason, true, "repair reason");
  CheckDay(d.decided_on, "repair decided_on");
  gen::RepairDecision w;
  w.entity_code = d.entity.value;
  w.list_name = d.list;
  w.decision_no = d.decision_no;
  w.authority = d.authority;
  w.decided_on = suiji::FormatDate(d.decided_on);
  w.granted = d.granted;
  w.reason = d.reason;
  auto again = rpc::ToRepair(w, path, Today());
  Check(again && again.value() == d, "an accepted repair, written back, validates to another");
  return std::nullopt;
}

const std::string kDepartment = "TAX";  // the fixture's pushing client (kTaxToken)

std::optional<suiji::Error> Validate(const gen::ExternalIndicator& in, const std::string& path) {
  auto r = rpc::ToIndicator(in, path, Today(), kDepartment);
  Code(in.entity_code, path + ".entity_code");
  CheckQuote(in.indicator);
  if (!r) {
    CheckRefusal(r.error(), path);
    return r.error();
  }
  const rpc::ExternalIndicator& x = r.value();
  Check(std::isfinite(x.value), "a value that is not finite accepted");
  Check(!x.indicator.empty() && x.indicator.size() <= 64 && Printable(x.indicator), "a bad indicator name accepted");
  Check(x.source_department == kDepartment, "an indicator of another department accepted");
  CheckDay(x.as_of, "indicator as_of");
  gen::ExternalIndicator w;
  w.entity_code = x.entity.value;
  w.indicator = x.indicator;
  w.value = x.value;
  w.as_of = suiji::FormatDate(x.as_of);
  w.source_department = x.source_department;
  auto again = rpc::ToIndicator(w, path, Today(), kDepartment);
  Check(again && again.value() == x, "an accepted indicator, written back, validates to another");
  return std::nullopt;
}

// What the handler should answer before its backend: the error, or nullopt when the call reaches it.
struct Expect {
  bool error = false;
  gen::ErrorCode::type code{};
  std::string field;
  std::string message;  // "" when any message will do
};

std::optional<Expect> Authorization(const std::string& token, rpc::Scope scope) {
  if (token.empty()) return Expect{true, gen::ErrorCode::UNAUTHENTICATED, "token", ""};
  std::optional<rpc::Client> c;
  if (token.size() <= 512) c = Tokens().Find(rpc::HashToken(token));
  if (!c) return Expect{true, gen::ErrorCode::UNAUTHENTICATED, "token", ""};
  if (!c->Has(scope)) return Expect{true, gen::ErrorCode::FORBIDDEN, "", ""};
  return std::nullopt;
}

std::string Indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

Expect FromValidator(const suiji::Error& e) {
  return Expect{true, e.code == rpc::kErrForbidden ? gen::ErrorCode::FORBIDDEN : gen::ErrorCode::INVALID_ARGUMENT,
                e.field, e.field + ": " + e.message};
}

template <class Item>
std::optional<Expect> PushExpect(const std::string& token, const std::vector<Item>& items, const char* list) {
  std::optional<Expect> first;
  // Every item is validated (for the validators' invariants), in order; the first refusal is the answer.
  for (std::size_t i = 0; i < items.size(); ++i)
    if (auto e = Validate(items[i], Indexed(list, i)); e && !first) first = FromValidator(*e);
  if (auto a = Authorization(token, rpc::Scope::kPush)) return a;
  if (items.size() > kMaxBatch) return Expect{true, gen::ErrorCode::BATCH_TOO_LARGE, list, ""};
  return first;
}

void CheckError(const gen::SuijiError& e, const std::optional<Expect>& want, const char* list) {
  Check(!e.message.empty(), "a SuijiError without a message");
  Check(e.code != gen::ErrorCode::INTERNAL, "INTERNAL from the in-memory backend");
  Check(e.code >= gen::ErrorCode::UNAUTHENTICATED && e.code <= gen::ErrorCode::INTERNAL, "an unknown error code");
  if (!e.field.empty() && e.code != gen::ErrorCode::BATCH_TOO_LARGE && e.code != gen::ErrorCode::UNAUTHENTICATED)
    Check(StartsWith(e.message, e.field + ": "), "an error naming a field does not start with it");
  if (want) {
    if (e.code != want->code || e.field != want->field || (!want->message.empty() && e.message != want->message)) {
      std::fprintf(stderr, "got code %d field '%s' message '%s'\nwant code %d field '%s' message '%s'\n",
                   static_cast<int>(e.code), e.field.c_str(), e.message.c_str(), static_cast<int>(want->code),
                   want->field.c_str(), want->message.c_str());
      Check(false, "the handler's error is not the one the order of checks predicts");
    }
    return;
  }
  // The backend's answer: not found, or a conflicting re-push, within the list.
  Check(e.code == gen::ErrorCode::NOT_FOUND || e.code == gen::ErrorCode::INVALID_ARGUMENT,
        "a backend error other than NOT_FOUND or INVALID_ARGUMENT");
  if (list[0]) Check(StartsWith(e.field, list), "a backend error's field is not in the list");
}

// Runs `bytes` through the processor on a fresh backend; the reply, or "" when the processor refused
// the message (threw or returned false: the server closes the connection).
std::string Process(const std::string& bytes) {
  auto backend = std::make_shared<rpc::InMemoryCreditBackend>();
  auto tokens = std::make_shared<rpc::InMemoryTokenStore>();
  rpc::testing::Seed(*backend, *tokens);
  rpc::ServiceOptions o;
  o.max_batch = kMaxBatch;
  o.today = Today;
  o.log = [](std::string_view) {};
  gen::SuijiCreditProcessor processor(std::make_shared<rpc::SuijiCreditHandler>(backend, tokens, o));
  auto in = Buffer(bytes);
  auto out = Buffer("");
  try {
    if (!processor.process(Protocol(in), Protocol(out), nullptr)) return "";
  } catch (const apache::thrift::TException&) {
    return "";
  }
  return out->getBufferAsString();
}

// The reply of `name`/`seqid`: reads it into `result` (a *_presult) and returns true, after checking
// its header.
template <class Presult>
void ReadReply(const std::string& reply, const std::string& name, std::int32_t seqid, Presult& result) {
  Check(!reply.empty(), "the processor refused a message whose arguments read");
  auto prot = Protocol(Buffer(reply));
  std::string got_name;
  TMessageType type;
  std::int32_t got_seqid = 0;
  try {
    prot->readMessageBegin(got_name, type, got_seqid);
    Check(type == apache::thrift::protocol::T_REPLY, "the reply is not a T_REPLY");
    Check(got_name == name && got_seqid == seqid, "the reply's name or seqid differs");
    result.read(prot.get());
    prot->readMessageEnd();
  } catch (const apache::thrift::TException& e) {
    std::fprintf(stderr, "reading the reply: %s\n", e.what());
    Check(false, "the reply does not read");
  }
}

template <class Args>
bool ReadArgs(const std::string& bytes, std::string* name, std::int32_t* seqid, Args& args) {
  auto prot = Protocol(Buffer(bytes));
  TMessageType type;
  try {
    prot->readMessageBegin(*name, type, *seqid);
    if (type != apache::thrift::protocol::T_CALL && type != apache::thrift::protocol::T_ONEWAY) return false;
    args.read(prot.get());
    prot->readMessageEnd();
  } catch (const apache::thrift::TException&) {
    return false;
  }
  return true;
}

template <class Args, class Presult, class Out, class Want, class Ok>
void Call(const std::string& bytes, const char* list, Want want, Ok ok) {
  std::string name;
  std::int32_t seqid = 0;
  Args args;
  const bool read = ReadArgs(bytes, &name, &seqid, args);
  const std::string reply = Process(bytes);
  if (!read) return;
  std::optional<Expect> expected = want(args);
  Out out{};
  Presult result;
  result.success = &out;
  ReadReply(reply, name, seqid, result);
  if (result.__isset.err) {
    CheckError(result.err, expected, list);
    return;
  }
  Check(result.__isset.success, "a reply with neither result nor error");
  if (expected) {
    std::fprintf(stderr, "want code %d field '%s'\n", static_cast<int>(expected->code), expected->field.c_str());
    Check(false, "a result where the order of checks predicts an error");
  }
  ok(args, out);
}

void CheckPushReceipts(std::size_t n, const std::vector<gen::PushReceipt>& out) {
  Check(out.size() == n, "not one receipt per pushed item");
  for (const auto& r : out) Check(!r.id.empty(), "a receipt without an id");
}

void Dispatch(const std::string& bytes) {
  std::string name;
  std::int32_t seqid = 0;
  {
    auto prot = Protocol(Buffer(bytes));
    TMessageType type;
    try {
      prot->readMessageBegin(name, type, seqid);
    } catch (const apache::thrift::TException&) {
      Process(bytes);
      return;
    }
  }
  if (name == "getEntity" || name == "getClassification") {
    const bool cls = name == "getClassification";
    auto want = [cls](const auto& a) -> std::optional<Expect> {
      auto id = Code(a.code, "code");
      if (auto e = Authorization(a.token, cls ? rpc::Scope::kReadClass : rpc::Scope::kReadPublic)) return e;
      if (!id) return FromValidator(id.error());
      return std::nullopt;
    };
    if (cls)
      Call<gen::SuijiCredit_getClassification_args, gen::SuijiCredit_getClassification_presult, gen::Classification>(
          bytes, "", want, [](const auto& a, const gen::Classification& out) {
            Check(out.code == rpc::ParseCode(a.code, "").value().value, "a classification for another code");
          });
    else
      Call<gen::SuijiCredit_getEntity_args, gen::SuijiCredit_getEntity_presult, gen::EntityRecord>(
          bytes, "", want, [](const auto&, const gen::EntityRecord& out) {
            Check(rpc::ParseCode(out.code, "").ok(), "an entity record whose code does not parse");
          });
  } else if (name == "batchFlags") {
    Call<gen::SuijiCredit_batchFlags_args, gen::SuijiCredit_batchFlags_presult, std::vector<gen::EntityFlags>>(
        bytes, "codes",
        [](const auto& a) -> std::optional<Expect> {
          std::optional<Expect> first;
          for (std::size_t i = 0; i < a.codes.size(); ++i)
            if (auto id = Code(a.codes[i], Indexed("codes", i)); !id && !first) first = FromValidator(id.error());
          if (auto e = Authorization(a.token, rpc::Scope::kReadPublic)) return e;
          if (a.codes.size() > kMaxBatch) return Expect{true, gen::ErrorCode::BATCH_TOO_LARGE, "codes", ""};
          return first;
        },
        [](const auto& a, const std::vector<gen::EntityFlags>& out) {
          Check(out.size() == a.codes.size(), "not one EntityFlags per code");
          for (std::size_t i = 0; i < out.size(); ++i)
            Check(out[i].code == rpc::ParseCode(a.codes[i], "").value().value, "EntityFlags carry another code");
        });
  } else if (name == "pushPenalties") {
    Call<gen::SuijiCredit_pushPenalties_args, gen::SuijiCredit_pushPenalties_presult, std::vector<gen::PushReceipt>>(
        bytes, "penalties", [](const auto& a) { return PushExpect(a.token, a.penalties, "penalties"); },
        [](const auto& a, const auto& out) { CheckPushReceipts(a.penalties.size(), out); });
  } else if (name == "pushListDecisions") {
    Call<gen::SuijiCredit_pushListDecisions_args, gen::SuijiCredit_pushListDecisions_presult,
         std::vector<gen::PushReceipt>>(
        bytes, "decisions", [](const auto& a) { return PushExpect(a.token, a.decisions, "decisions"); },
        [](const auto& a, const auto& out) { CheckPushReceipts(a.decisions.size(), out); });
  } else if (name == "pushRepairs") {
    Call<gen::SuijiCredit_pushRepairs_args, gen::SuijiCredit_pushRepairs_presult, std::vector<gen::PushReceipt>>(
        bytes, "decisions", [](const auto& a) { return PushExpect(a.token, a.decisions, "decisions"); },
        [](const auto& a, const auto& out) { CheckPushReceipts(a.decisions.size(), out); });
  } else if (name == "pushIndicators") {
    Call<gen::SuijiCredit_pushIndicators_args, gen::SuijiCredit_pushIndicators_presult, std::vector<gen::PushReceipt>>(
        bytes, "values", [](const auto& a) { return PushExpect(a.token, a.values, "values"); },
        [](const auto& a, const auto& out) { CheckPushReceipts(a.values.size(), out); });
  } else {
    Process(bytes);  // ping, or a name the service does not have (a TApplicationException)
  }
}

// ---- structured mode: a call built from the input, written as a client writes it ----

std::string Pick(FuzzedDataProvider& in, const std::vector<std::string>& pool) {
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) return in.ConsumeRandomLengthString(48);
  return pool[in.ConsumeIntegralInRange<std::size_t>(0, pool.size() - 1)];
}

const std::vector<std::string>& CodePool() {
  static const std::vector<std::string> pool = [] {
    auto c = rpc::testing::Codes();
    std::string lower = c.listed;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return std::vector<std::string>{c.listed, c.clean, c.serious, c.regno, c.legacy, c.unknown, lower,
                                    " " + c.clean + " ", c.clean.substr(0, 17), "", "\xff", "91510100MA0000001\t"};
  }();
  return pool;
}

const std::vector<std::string> kDates = {"2024-06-30", "2024-07-01", "1949-10-01", "1949-09-30", "2023-02-29",
                                         "2024/06/01", "2024-6-1", "", "9999-12-31"};
const std::vector<std::string> kTexts = {"成都市市场监督管理局", " 前后空格 ", "", "   ", "a\tb", "ok", "\xe4\xb8", "x\x7f"};
const std::vector<std::string> kLists = {"abnormal_operations", "serious_violation", "", "Abnormal_operations"};
const std::vector<std::string> kTokens = {rpc::testing::kReaderToken, rpc::testing::kAnalystToken,
                                          rpc::testing::kTaxToken, "", "sjt_0000"};

template <class Args>
std::string Message(const char* name, std::int32_t seqid, const Args& args) {
  auto buf = Buffer("");
  auto prot = Protocol(buf);
  prot->writeMessageBegin(name, apache::thrift::protocol::T_CALL, seqid);
  args.write(prot.get());
  prot->writeMessageEnd();
  return buf->getBufferAsString();
}

std::string Structured(FuzzedDataProvider& in) {
  const int method = in.ConsumeIntegralInRange<int>(0, 7);
  const std::string token = Pick(in, kTokens);
  const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, kMaxBatch + 2);
  const std::int32_t seqid = in.ConsumeIntegral<std::int32_t>();
  switch (method) {
    case 0: {
      gen::SuijiCredit_getEntity_pargs a;
      std::string code = Pick(in, CodePool());
      a.token = &token;
      a.code = &code;
      return Message("getEntity", seqid, a);
    }
    case 1: {
      gen::SuijiCredit_getClassification_pargs a;
      std::string code = Pick(in, CodePool());
      a.token = &token;
      a.code = &code;
      return Message("getClassification", seqid, a);
    }
    case 2: {
      std::vector<std::string> codes;
      for (std::size_t i = 0; i < n; ++i) codes.push_back(Pick(in, CodePool()));
      gen::SuijiCredit_batchFlags_pargs a;
      a.token = &token;
      a.codes = &codes;
      return Message("batchFlags", seqid, a);
    }
    case 3: {
      std::vector<gen::Penalty> items(n);
      for (auto& p : items) {
        p.entity_code = Pick(in, CodePool());
        p.decision_no = Pick(in, kTexts);
        p.authority = Pick(in, kTexts);
        p.decided_on = Pick(in, kDates);
        p.category = Pick(in, kTexts);
        p.fine_fen = in.ConsumeIntegral<std::int64_t>();
        p.legal_basis = Pick(in, kTexts);
        p.description = Pick(in, kTexts);
      }
      gen::SuijiCredit_pushPenalties_pargs a;
      a.token = &token;
      a.penalties = &items;
      return Message("pushPenalties", seqid, a);
    }
    case 4: {
      std::vector<gen::ListDecision> items(n);
      for (auto& d : items) {
        d.entity_code = Pick(in, CodePool());
        d.list_name = Pick(in, kLists);
        d.action = static_cast<gen::ListAction::type>(in.ConsumeIntegralInRange<int>(0, 3));
        d.decision_no = Pick(in, kTexts);
        d.authority = Pick(in, kTexts);
        d.decided_on = Pick(in, kDates);
        d.reason = Pick(in, kTexts);
      }
      gen::SuijiCredit_pushListDecisions_pargs a;
      a.token = &token;
      a.decisions = &items;
      return Message("pushListDecisions", seqid, a);
    }
    case 5: {
      std::vector<gen::RepairDecision> items(n);
      for (auto& d : items) {
        d.entity_code = Pick(in, CodePool());
        d.list_name = Pick(in, kLists);
        d.decision_no = Pick(in, kTexts);
        d.authority = Pick(in, kTexts);
        d.decided_on = Pick(in, kDates);
        d.granted = in.ConsumeBool();
        d.reason = Pick(in, kTexts);
      }
      gen::SuijiCredit_pushRepairs_pargs a;
      a.token = &token;
      a.decisions = &items;
      return Message("pushRepairs", seqid, a);
    }
    case 6: {
      std::vector<gen::ExternalIndicator> items(n);
      for (auto& x : items) {
        x.entity_code = Pick(in, CodePool());
        x.indicator = Pick(in, {"tax_rating", "social_insurance_arrears_months", "Tax", "", "a.b_c"});
        x.value = in.ConsumeBool() ? in.ConsumeFloatingPoint<double>() : in.ConsumeIntegralInRange<int>(-5, 5);
        x.as_of = Pick(in, kDates);
        x.source_department = Pick(in, {"", "TAX", "NDRC", " TAX "});
      }
      gen::SuijiCredit_pushIndicators_pargs a;
      a.token = &token;
      a.values = &items;
      return Message("pushIndicators", seqid, a);
    }
    default: {
      gen::SuijiCredit_ping_pargs a;
      return Message("ping", seqid, a);
    }
  }
}

void WriteSeeds(const std::string& dir) {
  auto c = rpc::testing::Codes();
  const std::string reader = rpc::testing::kReaderToken, analyst = rpc::testing::kAnalystToken,
                    tax = rpc::testing::kTaxToken, bad = "nope";
  auto put = [&](const std::string& name, const std::string& message) {
    std::ofstream(dir + "/" + name, std::ios::binary) << std::string(1, '\0') << message;
  };
  {
    gen::SuijiCredit_ping_pargs a;
    put("ping", Message("ping", 1, a));
  }
  for (const auto& [name, token, code] : {std::tuple{"get_entity", tax, c.listed}, std::tuple{"get_entity_regno", reader, c.regno},
                                          std::tuple{"get_entity_bad", reader, std::string("9151010")}}) {
    gen::SuijiCredit_getEntity_pargs a;
    a.token = &token;
    a.code = &code;
    put(name, Message("getEntity", 2, a));
  }
  {
    gen::SuijiCredit_getClassification_pargs a;
    a.token = &analyst;
    a.code = &c.listed;
    put("get_classification", Message("getClassification", 3, a));
    a.token = &reader;
    put("get_classification_forbidden", Message("getClassification", 3, a));
  }
  {
    std::vector<std::string> codes = {c.listed, c.clean, c.unknown, c.legacy, c.regno};
    gen::SuijiCredit_batchFlags_pargs a;
    a.token = &reader;
    a.codes = &codes;
    put("batch_flags", Message("batchFlags", 4, a));
    std::vector<std::string> broken = {c.clean, "91510100MA00000010"};
    a.codes = &broken;
    put("batch_flags_bad", Message("batchFlags", 4, a));
  }
  gen::Penalty p;
  p.entity_code = c.listed;
  p.decision_no = "川税罚〔2024〕12号";
  p.authority = "国家税务总局成都市税务局";
  p.decided_on = "2024-06-01";
  p.category = "fine";
  p.fine_fen = 500000;
  p.legal_basis = "《中华人民共和国税收征收管理法》第六十二条";
  p.description = "逾期未申报";
  {
    std::vector<gen::Penalty> items = {p};
    gen::SuijiCredit_pushPenalties_pargs a;
    a.token = &tax;
    a.penalties = &items;
    put("push_penalties", Message("pushPenalties", 5, a));
    items[0].decided_on = "2024-07-01";
    put("push_penalties_future", Message("pushPenalties", 5, a));
    a.token = &bad;
    put("push_penalties_bad_token", Message("pushPenalties", 5, a));
  }
  {
    gen::ListDecision d;
    d.entity_code = c.clean;
    d.list_name = "abnormal_operations";
    d.action = gen::ListAction::ADD;
    d.decision_no = "成市监异列〔2024〕1号";
    d.authority = "成都市市场监督管理局";
    d.decided_on = "2024-06-10";
    d.reason = "通过登记的住所无法联系";
    std::vector<gen::ListDecision> items = {d};
    gen::SuijiCredit_pushListDecisions_pargs a;
    a.token = &tax;
    a.decisions = &items;
    put("push_list_decisions", Message("pushListDecisions", 6, a));
  }
  {
    gen::RepairDecision r;
    r.entity_code = c.listed;
    r.list_name = "abnormal_operations";
    r.decision_no = "成市监修〔2024〕3号";
    r.authority = "成都市市场监督管理局";
    r.decided_on = "2024-06-20";
    r.granted = true;
    r.reason = "已补报年度报告";
    std::vector<gen::RepairDecision> items = {r};
    gen::SuijiCredit_pushRepairs_pargs a;
    a.token = &tax;
    a.decisions = &items;
    put("push_repairs", Message("pushRepairs", 7, a));
  }
  {
    gen::ExternalIndicator x;
    x.entity_code = c.listed;
    x.indicator = "tax_rating";
    x.value = 3;
    x.as_of = "2024-06-01";
    std::vector<gen::ExternalIndicator> items = {x};
    gen::SuijiCredit_pushIndicators_pargs a;
    a.token = &tax;
    a.values = &items;
    put("push_indicators", Message("pushIndicators", 8, a));
    items[0].source_department = "NDRC";
    put("push_indicators_other_department", Message("pushIndicators", 8, a));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("FUZZ_THRIFT_SEEDS")) WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if ((data[0] & 1) == 0) {
    Dispatch(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  } else {
    FuzzedDataProvider in(data + 1, size - 1);
    Dispatch(Structured(in));
  }
  return 0;
}
