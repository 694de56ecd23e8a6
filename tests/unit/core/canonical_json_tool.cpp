// Canonicalises JSON lines for the differential test against Python's json.dumps
// (canonical_differential.py): one JSON document a line on stdin, its canonical form a line on stdout
// (core/canonical_json.h), or "ERROR: ..." when the line is not JSON suiji can canonicalise.
//   --audit-record   each line an object {action, actor, at, payload, prev_hash, seq, subject}: prints
//                    the audit log's fast record text (data/store/audit_log.h AuditRecordText, whose
//                    SHA-256 is the event hash) with the payload as its canonical text
#include <iostream>
#include <string>

#include "core/canonical_json.h"
#include "data/store/audit_log.h"

int main(int argc, char** argv) {
  const bool audit = argc == 2 && std::string(argv[1]) == "--audit-record";
  if (argc > 2 || (argc == 2 && !audit)) {
    std::cerr << "usage: canonical_json_tool [--audit-record] < lines\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    try {
      suiji::Json j = suiji::Json::parse(line);
      if (!audit) {
        std::cout << suiji::CanonicalJson(j) << '\n';
        continue;
      }
      suiji::store::AuditEvent e;
      e.seq = j.at("seq").get<std::int64_t>();
      e.at = j.at("at").get<std::string>();
      e.actor = j.at("actor").get<std::string>();
      e.action = j.at("action").get<std::string>();
      e.subject = j.at("subject").get<std::string>();
      e.payload = suiji::CanonicalJson(j.at("payload"));
      e.prev_hash = j.at("prev_hash").get<std::string>();
      std::cout << suiji::store::AuditRecordText(e) << '\n';
    } catch (const std::exception& ex) {
      std::cout << "ERROR: " << ex.what() << '\n';
    }
  }
  return 0;
}
