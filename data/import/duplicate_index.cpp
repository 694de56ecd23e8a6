#include "data/import/duplicate_index.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/key_hash.h"

namespace suiji::import {

std::uint64_t DuplicateKeyHash(std::string_view key) {
  KeyHash h;
  h.Add(key);
  return h.Finish();
}

namespace {

struct Entry {
  std::uint64_t hash;  // 0: empty slot
  std::int64_t row;
};
static_assert(sizeof(Entry) == 16);

constexpr std::size_t kBlockEntries = 256;     // one 4 KiB read per "maybe"
constexpr std::size_t kStreamEntries = 4096;   // 64 KiB buffers while merging

bool ByHash(const Entry& a, const Entry& b) { return a.hash < b.hash; }

// Maps a well-mixed hash onto [0, n) by its high bits (no power-of-two table size needed).
std::size_t Home(std::uint64_t h, std::size_t n) {
  return static_cast<std::size_t>((static_cast<unsigned __int128>(h) * n) >> 64);
}

// An unnamed file that disappears when closed.
class TempFile {
 public:
  TempFile() = default;
  explicit TempFile(int fd) : fd_(fd) {}
  TempFile(TempFile&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  TempFile& operator=(TempFile&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

std::string Reason(const std::string& what, int err) { return what + ": " + std::strerror(err); }

// A sorted run on disk; only its Bloom filter and the first hash of each block stay in memory.
struct Run {
  TempFile file;
  std::size_t count = 0;
  BlockedBloom bloom;
  std::vector<std::uint64_t> firsts;

  Run(TempFile f, std::size_t n) : file(std::move(f)), count(n), bloom(n) { firsts.reserve(n / kBlockEntries + 1); }
  // Call for each entry in hash order.
  void Note(std::size_t i, std::uint64_t h) {
    bloom.Add(h);
    if (i % kBlockEntries == 0) firsts.push_back(h);
  }
  std::size_t bytes() const { return bloom.bytes() + firsts.capacity() * sizeof(std::uint64_t); }
};

}  // namespace

struct DuplicateIndex::State {
  DuplicateIndexOptions opt;
  std::vector<Entry> table;  // empty until the first key
  std::size_t size = 0;
  std::size_t max_cap = 0;   // the table's size while spilling: load 2/3 at memory_keys
  std::vector<std::unique_ptr<Run>> runs;  // oldest (largest) first
  bool spilling = true;
  std::string error;
  std::uint64_t written = 0;
  std::size_t spills = 0, merges = 0, block_reads = 0;

  void Fail(std::string why) {
    if (error.empty()) error = std::move(why);
  }

  // --- the temp files -------------------------------------------------------------------------
  TempFile Create() {
    std::string dir = opt.temp_dir;
    if (dir.empty()) {
      const char* env = std::getenv("TMPDIR");
      dir = env && *env ? env : "/tmp";
    }
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return TempFile(fd);
    int err = errno;
    if (err == EOPNOTSUPP || err == EISDIR || err == EINVAL) {  // no O_TMPFILE here: name it, unlink it
      std::string path = dir + "/suiji-dup-XXXXXX";
      fd = ::mkostemp(path.data(), O_CLOEXEC);
      if (fd >= 0) {
        ::unlink(path.c_str());
        return TempFile(fd);
      }
      err = errno;
    }
    Fail(Reason("duplicate index: cannot create a temp file in " + dir, err));
    return TempFile();
  }
  bool Write(const TempFile& f, const void* data, std::size_t n, std::uint64_t offset) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      if (written + n > opt.fail_writes_after_bytes) {
        Fail(Reason("duplicate index: cannot write its temp file", ENOSPC));
        return false;
      }
      ssize_t w = ::pwrite(f.fd(), p, n, static_cast<off_t>(offset));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        Fail(Reason("duplicate index: cannot write its temp file", w < 0 ? errno : ENOSPC));
        return false;
      }
      p += w, n -= static_cast<std::size_t>(w), offset += static_cast<std::uint64_t>(w);
      written += static_cast<std::uint64_t>(w);
    }
    return true;
  }
  bool Read(const Run& run, Entry* out, std::size_t first, std::size_t n) {
    char* p = reinterpret_cast<char*>(out);
    std::size_t left = n * sizeof(Entry);
    std::uint64_t offset = first * sizeof(Entry);
    while (left > 0) {
      if (opt.fail_reads) {
        Fail(Reason("duplicate index: cannot read its temp file", EIO));
        return false;
      }
      ssize_t r = ::pread(run.file.fd(), p, left, static_cast<off_t>(offset));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        Fail(r < 0 ? Reason("duplicate index: cannot read its temp file", errno)
                   : std::string("duplicate index: its temp file is shorter than written"));
        return false;
      }
      p += r, left -= static_cast<std::size_t>(r), offset += static_cast<std::uint64_t>(r);
    }
    return true;
  }

  // --- the table ------------------------------------------------------------------------------
  Entry& Slot(std::uint64_t h) {
    std::size_t cap = table.size();
    for (std::size_t i = Home(h, cap);; i = i + 1 == cap ? 0 : i + 1)
      if (table[i].hash == h || table[i].hash == 0) return table[i];
  }
  // Re-inserts every entry (in any layout) into a table of `cap` slots.
  void Rebuild(std::size_t cap) {
    std::vector<Entry> old = std::move(table);
    table.assign(cap, Entry{0, 0});
    for (const Entry& e : old)
      if (e.hash != 0) Slot(e.hash) = e;
  }
  // Doubles while small; the last step jumps straight to max_cap so that the old and new tables
  // together stay within 1.125x of the full table.
  void Grow() {
    std::size_t cap = table.size() * 2;
    if (spilling && cap > max_cap / 8) cap = std::max(max_cap, table.size() + 1);
    Rebuild(cap);
  }

  // --- runs -----------------------------------------------------------------------------------
  // Writes the table as a sorted run; on failure the table is rebuilt twice as large and kept.
  void Spill() {
    TempFile f = Create();
    if (f.fd() < 0) return StopSpilling();
    std::size_t n = 0;
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (table[i].hash == 0) continue;
      Entry e = table[i];
      table[i] = Entry{0, 0};
      table[n++] = e;
    }
    std::sort(table.begin(), table.begin() + static_cast<std::ptrdiff_t>(n), ByHash);
    if (!Write(f, table.data(), n * sizeof(Entry), 0)) return StopSpilling();
    auto run = std::make_unique<Run>(std::move(f), n);
    for (std::size_t i = 0; i < n; ++i) run->Note(i, table[i].hash);
    std::fill(table.begin(), table.begin() + static_cast<std::ptrdiff_t>(n), Entry{0, 0});
    size = 0;
    ++spills;
    runs.push_back(std::move(run));
    MergeTail();
  }
  void StopSpilling() {
    spilling = false;
    Rebuild(table.size() * 2);
  }
  void MergeTail() {
    while (runs.size() >= 2 && runs.back()->count >= runs[runs.size() - 2]->count) {
      std::unique_ptr<Run> merged = Merge(*runs[runs.size() - 2], *runs.back());
      if (!merged) {  // the two runs are still intact and exact; spill no more
        spilling = false;
        return;
      }
      runs.pop_back();
      runs.back() = std::move(merged);
      ++merges;
    }
  }

  // Streams a run in kStreamEntries chunks.
  struct Cursor {
    const Run* run;
    std::vector<Entry> buf;
    std::size_t next = 0, pos = 0;  // next: run index of buf's end; pos: within buf
    bool Fill(State& s) {
      std::size_t n = std::min(kStreamEntries, run->count - next);
      buf.resize(n);
      pos = 0;
      if (n > 0 && !s.Read(*run, buf.data(), next, n)) return false;
      next += n;
      return true;
    }
    bool done() const { return pos == buf.size() && next == run->count; }
  };
  std::unique_ptr<Run> Merge(const Run& a, const Run& b) {
    TempFile f = Create();
    if (f.fd() < 0) return nullptr;
    auto out = std::make_unique<Run>(std::move(f), a.count + b.count);
    Cursor ca{&a, {}}, cb{&b, {}};
    if (!ca.Fill(*this) || !cb.Fill(*this)) return nullptr;
    std::vector<Entry> wbuf;
    wbuf.reserve(kStreamEntries);
    std::size_t n = 0;
    std::uint64_t offset = 0;
    auto flush = [&] {
      bool ok = Write(out->file, wbuf.data(), wbuf.size() * sizeof(Entry), offset);
      offset += wbuf.size() * sizeof(Entry);
      wbuf.clear();
      return ok;
    };
    while (!ca.done() || !cb.done()) {
      Cursor* c;
      if (ca.done()) c = &cb;
      else if (cb.done()) c = &ca;
      else c = cb.buf[cb.pos].hash < ca.buf[ca.pos].hash ? &cb : &ca;
      const Entry e = c->buf[c->pos++];
      // Keys are unique across runs; should one repeat anyway, the older run's row (a) wins.
      if (c == &ca && !cb.done() && cb.buf[cb.pos].hash == e.hash) {
        ++cb.pos;
        --out->count;
      }
      for (Cursor* d : {&ca, &cb})
        if (d->pos == d->buf.size() && d->next < d->run->count && !d->Fill(*this)) return nullptr;
      out->Note(n++, e.hash);
      wbuf.push_back(e);
      if (wbuf.size() == kStreamEntries && !flush()) return nullptr;
    }
    if (!wbuf.empty() && !flush()) return nullptr;
    return out;
  }

  // 0: absent; > 0: the row; -1: unreadable.
  std::int64_t Find(const Run& run, std::uint64_t h) {
    if (!run.bloom.MayContain(h)) return 0;
    auto it = std::upper_bound(run.firsts.begin(), run.firsts.end(), h);
    if (it == run.firsts.begin()) return 0;
    std::size_t block = static_cast<std::size_t>(it - run.firsts.begin()) - 1;
    std::size_t first = block * kBlockEntries, n = std::min(kBlockEntries, run.count - first);
    Entry buf[kBlockEntries];
    ++block_reads;
    if (!Read(run, buf, first, n)) return -1;
    const Entry* e = std::lower_bound(buf, buf + n, Entry{h, 0}, ByHash);
    return e != buf + n && e->hash == h ? e->row : 0;
  }
};

DuplicateIndex::DuplicateIndex(DuplicateIndexOptions options) : s_(std::make_unique<State>()) {
  s_->opt = std::move(options);
  std::size_t m = std::max<std::size_t>(s_->opt.memory_keys, 1);
  s_->opt.memory_keys = m;
  s_->max_cap = m + (m + 1) / 2 + 1;
}
DuplicateIndex::DuplicateIndex(DuplicateIndex&&) noexcept = default;
DuplicateIndex& DuplicateIndex::operator=(DuplicateIndex&&) noexcept = default;
DuplicateIndex::~DuplicateIndex() = default;

std::int64_t DuplicateIndex::FindOrInsert(std::uint64_t key_hash, std::int64_t row) {
  State& s = *s_;
  std::uint64_t h = key_hash == 0 ? 1 : key_hash;  // 0 marks an empty slot
  if (s.table.empty()) s.table.assign(std::min<std::size_t>(1024, s.max_cap), Entry{0, 0});
  Entry& slot = s.Slot(h);
  if (slot.hash == h) return slot.row;
  for (auto it = s.runs.rbegin(); it != s.runs.rend(); ++it)
    if (std::int64_t r = s.Find(**it, h); r != 0) return r;
  slot = Entry{h, row};
  ++s.size;
  if (s.spilling && s.size >= s.opt.memory_keys) s.Spill();
  else if (s.size * 3 > s.table.size() * 2) s.Grow();
  return 0;
}

DuplicateIndexStats DuplicateIndex::stats() const {
  const State& s = *s_;
  DuplicateIndexStats st;
  st.in_memory = s.size;
  st.keys = s.size;
  st.runs = s.runs.size();
  st.spills = s.spills;
  st.merges = s.merges;
  st.block_reads = s.block_reads;
  st.memory_bytes = s.table.capacity() * sizeof(Entry) + s.runs.capacity() * sizeof(void*);
  for (const auto& r : s.runs) {
    st.keys += r->count;
    st.memory_bytes += sizeof(Run) + r->bytes();
    st.disk_bytes += r->count * sizeof(Entry);
  }
  st.spilling = s.spilling;
  return st;
}

const std::string& DuplicateIndex::error() const { return s_->error; }

}  // namespace suiji::import
