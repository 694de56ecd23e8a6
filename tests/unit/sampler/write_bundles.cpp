// Writes sample bundles for the Python reference verifier test: DIR/good (untouched, bound to the audit
// chain; its draw head in DIR/head.txt), DIR/tampered_id, DIR/tampered_ticket, DIR/tampered_team,
// DIR/truncated (its substitution dropped with its event: consistent, caught only against the head) and
// DIR/unbound (no audit events, as bundles were before). Exit 0 on success.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/unit/sampler/sample_bundle.h"

namespace fs = std::filesystem;

static void Replace(const fs::path& file, const std::string& from, const std::string& to) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  auto pos = text.find(from, text.find('\n'));
  if (pos == std::string::npos) throw std::runtime_error("cannot tamper " + file.string());
  text.replace(pos, from.size(), to);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_bundles DIR\n";
    return 2;
  }
  fs::path root(argv[1]);
  fs::remove_all(root);
  auto b = suiji::sampler::testing::SampleBundle(1);
  auto unbound = b;
  suiji::sampler::testing::BindToAuditChain(b);
  auto truncated = b;
  for (auto& s : truncated.draw.strata) s.substitutions.clear();
  truncated.audit->draw_events.resize(2);
  for (auto [name, bundle] : {std::pair{"good", &b}, {"tampered_id", &b}, {"tampered_ticket", &b}, {"tampered_team", &b},
                              {"truncated", &truncated}, {"unbound", &unbound}})
    if (auto st = suiji::sampler::WriteBundle((root / name).string(), *bundle); !st) {
      std::cerr << st.error().message << "\n";
      return 1;
    }
  std::ofstream(root / "head.txt") << suiji::sampler::ComputeDrawHead(b.audit->draw_events).head << "\n";
  const auto& s = b.draw.strata[0];
  auto plain = [](const std::vector<suiji::sampler::TicketedId>& v) {  // an id the CSV does not quote
    for (const auto& t : v)
      if (t.id.find(',') == std::string::npos) return t.id;
    throw std::runtime_error("no plain id");
  };
  Replace(root / "tampered_id" / "tickets.csv", plain(s.drawn) + ",", plain(s.reserve) + ",");
  std::string t = s.drawn[0].ticket, forged = t;
  forged[7] = forged[7] == '0' ? '9' : '0';
  Replace(root / "tampered_ticket" / "tickets.csv", t, forged);
  std::size_t k = 0;
  while (b.pairing->teams[k].entity_id.find(',') != std::string::npos) ++k;
  const auto& team = b.pairing->teams[k];
  Replace(root / "tampered_team" / "teams.csv", team.entity_id + ",MEE," + team.members[1].officer,
          team.entity_id + ",MEE," + (team.members[1].officer == "P-M05" ? "P-M06" : "P-M05"));
  return 0;
}
