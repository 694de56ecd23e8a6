#include "data/import/csv_reader.h"

#include <sstream>

namespace suiji::import {

bool CsvRecord::blank() const {
  for (const auto& f : fields)
    if (!f.empty()) return false;
  return true;
}

CsvReader::CsvReader(std::unique_ptr<std::istream> in, CsvOptions options)
    : in_(std::move(in)), opt_(options), encoding_(options.encoding) {}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, CsvOptions options) {
  auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*f) return Error{"csv.open", "cannot open " + path, path};
  return FromStream(std::move(f), options);
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromString(std::string bytes, CsvOptions options) {
  return FromStream(std::make_unique<std::istringstream>(std::move(bytes)), options);
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromStream(std::unique_ptr<std::istream> in, CsvOptions options) {
  std::unique_ptr<CsvReader> r(new CsvReader(std::move(in), options));
  if (auto st = r->Start(); !st.ok()) return st.error();
  return r;
}

Status CsvReader::Start() {
  Fill();
  while (buf_.size() < 3 && Fill()) {}  // a BOM is 3 bytes: tiny chunks must not hide it
  auto starts = [&](std::string_view p) { return buf_.compare(0, p.size(), p) == 0; };
  if (starts("\xEF\xBB\xBF")) {
    bom_ = true;
    encoding_ = Encoding::kUtf8;  // the BOM outranks a forced encoding: it cannot be GB18030
    pos_ = 3;
  } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    return Error{"encoding.utf16",
                 "the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" or \"CSV\" instead", ""};
  }
  Decide();
  return OkStatus();
}

bool CsvReader::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  std::size_t old = buf_.size();
  buf_.resize(old + opt_.chunk_bytes);
  in_->read(buf_.data() + old, static_cast<std::streamsize>(opt_.chunk_bytes));
  std::size_t got = static_cast<std::size_t>(in_->gcount());
  buf_.resize(old + got);
  consumed_total_ += static_cast<std::int64_t>(got);
  if (got < opt_.chunk_bytes) eof_ = true;
  Decide();
  return got > 0;
}

void CsvReader::Decide() {
  if (encoding_ != Encoding::kAuto) return;
  encoding_ = DetectEncoding(std::string_view(buf_).substr(pos_), !eof_);
}

bool CsvReader::Next(CsvRecord& rec) {
  for (;;) {
    Scan s = ScanRecord(rec, eof_);
    if (s == Scan::kDone) return true;
    if (s == Scan::kEnd) return false;
    if (!Fill() && !eof_) return false;
  }
}

CsvReader::Scan CsvReader::ScanRecord(CsvRecord& rec, bool at_eof) {
  const char d = opt_.delimiter;
  const std::size_t n = buf_.size();
  raw_.clear();
  std::size_t i = pos_;
  if (i == n) {
    if (at_eof) return Scan::kEnd;
    return Scan::kNeedMore;
  }
  std::int64_t extra_lines = 0;
  std::optional<Error> error;
  std::size_t end = 0;  // end of the record text (before its line break)
  std::size_t next = 0;  // start of the following record
  for (;;) {
    if (buf_[i] == '"') {
      std::size_t j = i + 1;
      std::int64_t lines = 0;
      bool closed = false;
      while (j < n) {
        char c = buf_[j];
        if (c == '"') {
          if (j + 1 < n && buf_[j + 1] == '"') { j += 2; continue; }
          if (j + 1 == n && !at_eof) break;  // might be the first of a doubled quote
          closed = true;
          break;
        }
        if (c == '\n') ++lines;
        else if (c == '\r' && (j + 1 >= n || buf_[j + 1] != '\n')) ++lines;
        ++j;
      }
      if (!closed) {
        if (!at_eof && j - pos_ <= opt_.max_record_bytes) return Scan::kNeedMore;
        // Unterminated: cut the record at the end of the physical line where it started.
        std::size_t k = pos_;
        while (k < n && buf_[k] != '\n' && buf_[k] != '\r') ++k;
        if (k == n && !at_eof) return Scan::kNeedMore;
        end = k;
        next = k;
        if (next < n && buf_[next] == '\r') ++next;
        if (next < n && buf_[next] == '\n' && (next == k || buf_[k] == '\r')) ++next;
        raw_.clear();
        raw_.push_back({pos_, end, false});
        extra_lines = 0;
        error = Error{"csv.unterminated_quote",
                      "a quoted field opened on this row is never closed (a stray \" character?)", ""};
        break;
      }
      raw_.push_back({i + 1, j, true});
      extra_lines += lines;
      std::size_t k = j + 1;
      if (k < n && buf_[k] != d && buf_[k] != '\r' && buf_[k] != '\n') {
        if (!error) error = Error{"csv.quote", "text follows the closing quote of a quoted field", ""};
        while (k < n && buf_[k] != d && buf_[k] != '\r' && buf_[k] != '\n') ++k;
      }
      i = k;
    } else {
      std::size_t j = i;
      while (j < n && buf_[j] != d && buf_[j] != '\n' && buf_[j] != '\r') ++j;
      raw_.push_back({i, j, false});
      i = j;
    }
    if (i == n) {
      if (!at_eof) return Scan::kNeedMore;
      end = next = n;
      break;
    }
    if (buf_[i] == d) {
      ++i;
      if (i == n) {
        if (!at_eof) return Scan::kNeedMore;
        raw_.push_back({n, n, false});
        end = next = n;
        break;
      }
      if (buf_[i] == '\n' || buf_[i] == '\r') {  // trailing delimiter: one more empty field
        raw_.push_back({i, i, false});
      } else {
        continue;
      }
    }
    // A line break ends the record.
    end = i;
    if (buf_[i] == '\r') {
      if (i + 1 == n && !at_eof) return Scan::kNeedMore;
      next = (i + 1 < n && buf_[i + 1] == '\n') ? i + 2 : i + 1;
    } else {
      next = i + 1;
    }
    break;
  }
  rec.row = ++row_;
  rec.line = line_;
  line_ += 1 + extra_lines;
  rec.error = std::move(error);
  Decode(rec, pos_, end);
  pos_ = next;
  return Scan::kDone;
}

void CsvReader::Decode(CsvRecord& rec, std::size_t begin, std::size_t end) {
  std::string_view raw_text(buf_.data() + begin, end - begin);
  const bool gb = encoding_ == Encoding::kGb18030;
  // Field boundaries are ASCII, so when the whole record is valid UTF-8 so is every field.
  const bool all_valid = !gb && IsValidUtf8(raw_text);
  if (all_valid) rec.text.assign(raw_text);
  else rec.text = gb ? Gb18030ToUtf8Lossy(raw_text) : Utf8Lossy(raw_text);
  rec.fields.resize(raw_.size());
  for (std::size_t c = 0; c < raw_.size(); ++c) {
    std::string_view f(buf_.data() + raw_[c].begin, raw_[c].end - raw_[c].begin);
    std::string& out = rec.fields[c];
    out.clear();
    if (raw_[c].quoted && f.find('"') != std::string_view::npos) {
      scratch_.clear();
      for (std::size_t k = 0; k < f.size(); ++k) {
        scratch_ += f[k];
        if (f[k] == '"' && k + 1 < f.size() && f[k + 1] == '"') ++k;
      }
      f = scratch_;
    }
    if (all_valid) {
      out.assign(f);
    } else if (gb) {
      auto r = Gb18030ToUtf8(f);
      if (r.ok()) {
        out = std::move(r).value();
        continue;
      }
      out = Gb18030ToUtf8Lossy(f);
      if (!rec.error)
        rec.error = Error{"csv.encoding", "column " + std::to_string(c + 1) + ": " + r.error().message +
                                              " (undecodable bytes; is the file in another encoding?)",
                          std::to_string(c)};
    } else {
      std::size_t ok = ValidUtf8Prefix(f);
      if (ok == f.size()) {
        out.assign(f);
        continue;
      }
      out = Utf8Lossy(f);
      if (!rec.error)
        rec.error = Error{"csv.encoding",
                          "column " + std::to_string(c + 1) + ": byte " + std::to_string(ok + 1) +
                              " is not valid UTF-8 (undecodable bytes; try --encoding gb18030)",
                          std::to_string(c)};
    }
  }
}

std::vector<std::string> SplitCsvLine(std::string_view line, char delimiter) {
  CsvOptions o;
  o.delimiter = delimiter;
  o.encoding = Encoding::kUtf8;
  auto r = CsvReader::FromString(std::string(line), o);
  CsvRecord rec;
  if (!r.ok() || !r.value()->Next(rec)) return {};
  return rec.fields;
}

}  // namespace suiji::import
