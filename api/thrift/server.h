// ThriftServer: the SuijiCredit service on a TCP port, in its own thread, until Stop().
//
// TThreadedServer (a thread per connection, at most max_connections at once; more wait to be
// accepted) with TFramedTransport + TBinaryProtocol. Frames are bounded (max_frame_bytes) and idle
// connections closed after recv_timeout_ms, so a slow or hostile client cannot hold memory or threads.
//
//   auto server = ThriftServer::Start(options, backend, tokens);   // returns once listening
//   if (!server) { ... server.error().message ... }                 // e.g. the port is taken
//   std::cout << (*server)->port();                                // the bound port (options.port 0 = any)
//   (*server)->Stop();                                             // or let the destructor stop it
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>

#include "api/thrift/credit_backend.h"
#include "api/thrift/handler.h"
#include "api/thrift/token_store.h"
#include "core/result.h"

namespace suiji::rpc {

struct ServerOptions {
  std::string host = "127.0.0.1";  // "0.0.0.0" / "::" to serve every interface
  int port = 0;                    // 0: an ephemeral port, see ThriftServer::port()
  int max_connections = 256;
  int recv_timeout_ms = 60000;
  int max_frame_bytes = 64 << 20;  // a 10,000-code batch answer is a few MB
  ServiceOptions service;
};

// The server's protocol: strict binary, containers of at most max(4 x max_batch, 1024) elements and
// strings of at most max_frame_bytes (a claim past them closes the connection before any allocation).
std::shared_ptr<apache::thrift::protocol::TBinaryProtocolFactory> ServerProtocolFactory(std::size_t max_batch,
                                                                                      int max_frame_bytes);

class ThriftServer {
 public:
  // Binds, starts serving in a background thread and returns once the socket listens.
  static Result<std::unique_ptr<ThriftServer>> Start(const ServerOptions& options,
                                                     std::shared_ptr<CreditBackend> backend,
                                                     std::shared_ptr<const TokenStore> tokens);
  ~ThriftServer();  // Stop()
  ThriftServer(const ThriftServer&) = delete;
  ThriftServer& operator=(const ThriftServer&) = delete;

  int port() const { return port_; }
  // Closes the listening socket and every connection, and joins the server thread. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit ThriftServer(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace suiji::rpc
