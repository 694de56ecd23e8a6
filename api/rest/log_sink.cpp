#include "api/rest/log_sink.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace suiji::rest {
namespace {

constexpr std::size_t kBatch = 64 * 1024;

void WriteAll(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr closed: the log is lost, the server goes on
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

LogSink::LogSink(int fd) : fd_(fd), thread_([this] { Run(); }) {}

LogSink::~LogSink() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void LogSink::Write(std::string_view line) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    pending_.append(line);
    pending_ += '\n';
    wake = pending_.size() >= kBatch;
  }
  if (wake) cv_.notify_one();
}

void LogSink::Run() {
  std::string batch;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_ || pending_.size() >= kBatch; });
    batch.swap(pending_);
    const bool last = stop_;
    lock.unlock();
    if (!batch.empty()) WriteAll(fd_, batch);
    batch.clear();
    lock.lock();
    if (last && pending_.empty()) return;
  }
}

}  // namespace suiji::rest
