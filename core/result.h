// Result<T>: a value or an Error, never both. Errors are data, not exceptions, in the pure core.
// Contract: ok() tells which; value() on an error and error() on a value are programming errors (assert).
#pragma once
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace suiji {

struct Error {
  std::string code;     // stable machine-readable code, e.g. "uscc.check"
  std::string message;  // human-readable reason
  std::string field;    // optional: the field or path the error is about
  bool operator==(const Error&) const = default;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Error> v_;
};

// Status: a Result with no value.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace suiji
