// LogSink: the request log (one JSON line per request) written by one background thread in batches —
// every 50 ms, or at once past 64 KiB — so a request never waits on a write(2) to stderr and lines of
// concurrent requests never interleave. The destructor writes whatever is left.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace suiji::rest {

class LogSink {
 public:
  explicit LogSink(int fd = 2);
  ~LogSink();
  LogSink(const LogSink&) = delete;
  LogSink& operator=(const LogSink&) = delete;
  void Write(std::string_view line);  // a newline is added

 private:
  void Run();
  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace suiji::rest
