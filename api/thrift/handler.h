// The SuijiCredit service (suiji.thrift): authenticate, authorise, validate, call the backend, translate.
//
// Order of checks for every call (except ping): token -> scope -> batch size -> each item -> backend.
// Every failure is a thriftgen::SuijiError with a code from the IDL; any other exception escaping the
// backend or the translation becomes INTERNAL with a log reference ("ref N"), its detail only in the
// log. A handler serves one connection and knows its peer address: after FailureLimiter::kMaxFailures
// refused tokens (unknown, revoked or expired) from an address within a minute, every call from it is
// RATE_LIMITED until the minute ends (docs/security.md, R5). Per-connection handlers come from
// ForPeer(), sharing the limiter and the log reference counter.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/thrift/credit_backend.h"
#include "api/thrift/token_store.h"
#include "core/limiters.h"
#include "thriftgen/SuijiCredit.h"

namespace suiji::rpc {

struct ServiceOptions {
  std::size_t max_batch = 10000;               // codes per batchFlags, items per push
  std::function<Date()> today;                 // empty: today's date in China Standard Time (UTC+8)
  std::function<void(std::string_view)> log;   // empty: stderr; called from many threads at once
  std::shared_ptr<FailureLimiter> failures;    // null: refused tokens are not counted
};

// Today's date in China Standard Time (UTC+8), from the system clock.
Date TodayInChina();

class SuijiCreditHandler : public thriftgen::SuijiCreditIf {
 public:
  SuijiCreditHandler(std::shared_ptr<CreditBackend> backend, std::shared_ptr<const TokenStore> tokens,
                     ServiceOptions options = {}, std::string peer = "");
  // A handler for a connection from `peer` (an IP address), sharing everything else with this one.
  std::unique_ptr<SuijiCreditHandler> ForPeer(std::string peer) const;

  void ping(std::string& out) override;
  void getEntity(thriftgen::EntityRecord& out, const std::string& token, const std::string& code) override;
  void batchFlags(std::vector<thriftgen::EntityFlags>& out, const std::string& token,
                  const std::vector<std::string>& codes) override;
  void getClassification(thriftgen::Classification& out, const std::string& token, const std::string& code) override;
  void pushPenalties(std::vector<thriftgen::PushReceipt>& out, const std::string& token,
                     const std::vector<thriftgen::Penalty>& penalties) override;
  void pushListDecisions(std::vector<thriftgen::PushReceipt>& out, const std::string& token,
                         const std::vector<thriftgen::ListDecision>& decisions) override;
  void pushRepairs(std::vector<thriftgen::PushReceipt>& out, const std::string& token,
                   const std::vector<thriftgen::RepairDecision>& decisions) override;
  void pushIndicators(std::vector<thriftgen::PushReceipt>& out, const std::string& token,
                      const std::vector<thriftgen::ExternalIndicator>& values) override;

 private:
  Client Authorize(const std::string& token, Scope scope, const char* call) const;
  void CheckBatch(std::size_t n, const char* field) const;
  // Runs `body`; turns anything but a SuijiError into INTERNAL.
  template <typename F>
  void Guard(const char* call, F&& body);
  [[noreturn]] void ThrowBackend(const Error& e, const std::string& field_prefix, const char* call);
  void Log(const std::string& line) const;
  Date Today() const;

  std::shared_ptr<CreditBackend> backend_;
  std::shared_ptr<const TokenStore> tokens_;
  ServiceOptions options_;
  std::string peer_;
  std::shared_ptr<std::atomic<unsigned long>> next_ref_ = std::make_shared<std::atomic<unsigned long>>(1);
};

}  // namespace suiji::rpc
