// problem+json (RFC 9457): every 4xx and 5xx body. `type` is a stable URN documented in docs/api.md
// (urn:suiji:problem:<slug>), `title` says what kind of problem, `detail` this occurrence, and
// `errors` names the fields at fault. Internal detail (SQL, stack, file paths) never goes in a body:
// a 5xx says only that the request failed and which request id to quote.
#pragma once
#include <string>
#include <vector>

#include "api/rest/http.h"
#include "core/result.h"

namespace suiji::rest {

struct FieldError {
  std::string field, reason;
};

struct Problem {
  int status = 500;
  std::string slug;   // bad-request, not-found, method-not-allowed, unauthorized, ...
  std::string title;
  std::string detail;
  std::vector<FieldError> errors;
};

Response Render(const Problem& p, const std::string& request_id = "");
Problem BadRequest(std::string detail, std::vector<FieldError> errors = {});
Problem Unprocessable(std::string detail, std::vector<FieldError> errors = {});
Problem NotFound(std::string detail);
Problem Unauthorized(std::string detail);
Problem Forbidden(std::string detail);
Problem Conflict(std::string detail);
Problem Unavailable(std::string detail);
Problem TooLarge(std::string detail);  // 413
Problem Internal();

// A use case's Error as a problem: the status from its code (not found, a state conflict, invalid
// input), the message as detail, the Error's field as the field at fault. Store and I/O errors are
// 500 with no detail (logged by the server with the request id instead).
Problem FromError(const Error& e);

}  // namespace suiji::rest
