#include "api/thrift/credit_backend.h"

namespace suiji::rpc {

bool IsPublicList(std::string_view list) { return list == kAbnormalOperations || list == kSeriousViolation; }

}  // namespace suiji::rpc
