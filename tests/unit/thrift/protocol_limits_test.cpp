// Regression tests for what tests/fuzz/thrift_request_fuzz.cpp found in the Thrift server's protocol.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <thrift/Thrift.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TBufferTransports.h>

#include "api/thrift/server.h"
#include "thriftgen/SuijiCredit.h"

namespace suiji::rpc {
namespace {

using apache::thrift::protocol::TMessageType;
using apache::thrift::protocol::TProtocolException;

// The fuzzer's input (tests/fuzz/corpus/thrift_request/oom_string_claim without its mode byte): a
// batchFlags call of 171 bytes whose second code claims 1,953,067,129 bytes ("tity" read as a length).
const std::string kStringClaim(
    "\x80\x01\x00\x01\x00\x00\x00\x0a\x62\x61\x74\x63\x68\x46\x6c\x61\x67\x73\x00\x00\x00\x04\x0b\x00"
    "\x01\x00\x00\x00\x11\x72\x65\x61\x64\x65\x72\x2d\x74\x6f\x6b\x65\x6e\x2d\x4e\x44\x52\x43\x0f\x00"
    "\x02\x0b\x00\x00\x00\x05\x00\x00\x00\x12\x39\x31\x35\x31\x00\x80\x01\x00\x01\x00\x00\x00\x09\x67"
    "\x65\x74\x45\x6e\x74\x69\x74\x79\x00\x00\x00\x02\x0b\x00\x01\x00\x00\x00\x10\x70\x75\x73\x68\x65"
    "\x72\x2d\x74\x6f\x6b\x65\x6e\x2d\x54\x41\x58\x0b\x00\x02\x00\x00\x00\x12\x39\x31\x35\x31\x30\x31"
    "\x30\x30\x4d\x41\x30\x30\x30\x3a\x30\x30\x31\x4c\x00\xe6\x80\xbb\xe5\xad\x97\xe7\xac\xac\x30\x30"
    "\x30\x31\x32\x33\xe5\x8f\xb7\x00\x00\x00\x0f\x35\x31\x30\x31\x30\x30\x30\x30\x30\x31\x32\x33\x34"
    "\x35\x34\x00",
    171);

// Reads the message's batchFlags arguments with the server's protocol; the TProtocolException thrown.
TProtocolException::TProtocolExceptionType ReadArgs(const std::string& bytes, int max_frame_bytes) {
  auto buf = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  buf->write(reinterpret_cast<const std::uint8_t*>(bytes.data()), static_cast<std::uint32_t>(bytes.size()));
  auto prot = ServerProtocolFactory(10000, max_frame_bytes)->getProtocol(buf);
  std::string name;
  TMessageType type;
  std::int32_t seqid = 0;
  prot->readMessageBegin(name, type, seqid);
  EXPECT_EQ(name, "batchFlags");
  thriftgen::SuijiCredit_batchFlags_args args;
  try {
    args.read(prot.get());
  } catch (const TProtocolException& e) {
    return e.getType();
  }
  return TProtocolException::UNKNOWN;
}

// Before: the reader resized the string to the claimed length (zero-filling ~1.9 GB) before finding the
// frame too short. Now a claim past the frame bound is refused before any allocation.
TEST(ThriftProtocolLimits, StringClaimPastTheFrameIsRefusedBeforeAllocating) {
  EXPECT_EQ(ReadArgs(kStringClaim, 64 << 20), TProtocolException::SIZE_LIMIT);
  EXPECT_EQ(ReadArgs(kStringClaim, 1024), TProtocolException::SIZE_LIMIT);
}

TEST(ThriftProtocolLimits, StringsUpToTheFrameStillRead) {
  auto buf = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  auto out = ServerProtocolFactory(10000, 64 << 20)->getProtocol(buf);
  const std::string token(100000, 'x');  // thrift_server_test: a long token is UNAUTHENTICATED, not a closed connection
  const std::vector<std::string> codes = {"91510100MA0000001L"};
  thriftgen::SuijiCredit_batchFlags_pargs a;
  a.token = &token;
  a.codes = &codes;
  out->writeMessageBegin("batchFlags", apache::thrift::protocol::T_CALL, 1);
  a.write(out.get());
  out->writeMessageEnd();
  EXPECT_EQ(ReadArgs(buf->getBufferAsString(), 64 << 20), TProtocolException::UNKNOWN);  // read, nothing thrown
}

}  // namespace
}  // namespace suiji::rpc
