#include "api/thrift/server.h"

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TSocket.h>

#include <algorithm>
#include <future>
#include <limits>
#include <mutex>
#include <thread>

namespace suiji::rpc {
namespace {

using apache::thrift::TConfiguration;
using apache::thrift::protocol::TBinaryProtocolFactory;
using apache::thrift::server::TServerEventHandler;
using apache::thrift::server::TThreadedServer;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TServerSocket;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportFactory;

// TFramedTransportFactory with our frame bound instead of the library default (16 MB).
class BoundedFramedFactory : public TTransportFactory {
 public:
  explicit BoundedFramedFactory(int max_bytes)
      : config_(std::make_shared<TConfiguration>(max_bytes, max_bytes)) {}
  std::shared_ptr<TTransport> getTransport(std::shared_ptr<TTransport> trans) override {
    return std::make_shared<TFramedTransport>(std::move(trans), config_);
  }

 private:
  std::shared_ptr<TConfiguration> config_;
};

// Tells Start() that the socket listens (TServerFramework calls preServe after listen()).
class ListenSignal : public TServerEventHandler {
 public:
  void preServe() override {
    std::call_once(once_, [&] { listening_.set_value(); });
  }
  std::future<void> Listening() { return listening_.get_future(); }
  void Fail(std::exception_ptr e) {
    std::call_once(once_, [&] { listening_.set_exception(e); });
  }

 private:
  std::once_flag once_;
  std::promise<void> listening_;
};

// One handler per connection, knowing its peer (for the failed-token limiter).
class PerConnectionHandlers : public thriftgen::SuijiCreditIfFactory {
 public:
  explicit PerConnectionHandlers(std::shared_ptr<const SuijiCreditHandler> prototype)
      : prototype_(std::move(prototype)) {}
  thriftgen::SuijiCreditIf* getHandler(const apache::thrift::TConnectionInfo& info) override {
    std::string peer;
    if (auto socket = std::dynamic_pointer_cast<TSocket>(info.transport)) peer = socket->getPeerAddress();
    return prototype_->ForPeer(std::move(peer)).release();
  }
  void releaseHandler(thriftgen::SuijiCreditIf* handler) override { delete handler; }

 private:
  std::shared_ptr<const SuijiCreditHandler> prototype_;
};

}  // namespace

// Thrift 0.17 checks a list's claimed length against the bytes left in the frame as a 32-bit
// product (length x 4), which a length of 10^9 overflows: the generated reader then tries to allocate
// a billion elements. A container limit refuses such a frame before any allocation (the connection is
// closed); lists a little over the batch limit still reach the handler and get BATCH_TOO_LARGE.
// A string's claimed length is not checked against the frame at all: the reader resizes (and zeroes)
// the string to it before reading, so a 40-byte frame claiming 2 GiB made the server allocate 2 GiB.
// No string is longer than the frame that carries it: the string limit is the frame bound.
std::shared_ptr<TBinaryProtocolFactory> ServerProtocolFactory(std::size_t max_batch, int max_frame_bytes) {
  std::size_t limit = std::max<std::size_t>(4 * max_batch, 1024);
  if (limit > static_cast<std::size_t>(std::numeric_limits<int32_t>::max() / 8))
    limit = std::numeric_limits<int32_t>::max() / 8;
  return std::make_shared<TBinaryProtocolFactory>(/*string_limit=*/std::max(max_frame_bytes, 1),
                                                  static_cast<int32_t>(limit), /*strict_read=*/true,
                                                  /*strict_write=*/true);
}

struct ThriftServer::Impl {
  std::shared_ptr<TThreadedServer> server;
  std::thread thread;
  std::mutex stop_mu;
  bool stopped = false;
};

ThriftServer::ThriftServer(std::unique_ptr<Impl> impl, int port) : impl_(std::move(impl)), port_(port) {}

ThriftServer::~ThriftServer() { Stop(); }

Result<std::unique_ptr<ThriftServer>> ThriftServer::Start(const ServerOptions& options,
                                                          std::shared_ptr<CreditBackend> backend,
                                                          std::shared_ptr<const TokenStore> tokens) {
  if (!backend || !tokens) return Error{"thrift.config", "a backend and a token store are required", ""};
  if (options.port < 0 || options.port > 65535)
    return Error{"thrift.config", "port " + std::to_string(options.port) + " is outside 0..65535", "port"};
  if (options.max_connections < 1 || options.max_frame_bytes < 1024 || options.recv_timeout_ms < 0)
    return Error{"thrift.config", "max_connections, max_frame_bytes and recv_timeout_ms must be positive", ""};

  auto impl = std::make_unique<Impl>();
  auto socket = std::make_shared<TServerSocket>(options.host, options.port);
  socket->setRecvTimeout(options.recv_timeout_ms);
  socket->setSendTimeout(options.recv_timeout_ms);
  ServiceOptions service = options.service;
  if (!service.failures) service.failures = std::make_shared<FailureLimiter>();
  auto prototype = std::make_shared<const SuijiCreditHandler>(std::move(backend), std::move(tokens), service);
  auto processor = std::make_shared<thriftgen::SuijiCreditProcessorFactory>(
      std::make_shared<PerConnectionHandlers>(std::move(prototype)));
  impl->server = std::make_shared<TThreadedServer>(processor, socket,
                                                   std::make_shared<BoundedFramedFactory>(options.max_frame_bytes),
                                                   ServerProtocolFactory(options.service.max_batch, options.max_frame_bytes));
  impl->server->setConcurrentClientLimit(options.max_connections);
  auto signal = std::make_shared<ListenSignal>();
  impl->server->setServerEventHandler(signal);
  auto listening = signal->Listening();

  impl->thread = std::thread([server = impl->server, signal] {
    try {
      server->serve();
    } catch (...) {
      signal->Fail(std::current_exception());  // a no-op once listening: serve() failed later
    }
  });
  try {
    listening.get();
  } catch (const std::exception& e) {
    impl->thread.join();
    return Error{"thrift.listen",
                 "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + e.what(), ""};
  }
  int port = socket->getPort();
  return std::unique_ptr<ThriftServer>(new ThriftServer(std::move(impl), port));
}

void ThriftServer::Stop() {
  if (!impl_) return;
  std::lock_guard lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace suiji::rpc
