#include "sampler/bundle_audit.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/sha256.h"
#include "sampler/json_fields.h"

namespace suiji::sampler {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

// The event as a JSON object: the record its hash covers, plus "hash" when asked.
Result<Json> EventJson(const ChainEvent& e, bool with_hash) {
  Json payload = Json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) return Error{"bundle.audit", "audit event " + std::to_string(e.seq) + ": payload is not JSON", ""};
  Json j{{"seq", e.seq},         {"at", e.at},           {"actor", e.actor},        {"action", e.action},
         {"subject", e.subject}, {"payload", payload},   {"prev_hash", e.prev_hash}};
  if (with_hash) j["hash"] = e.hash;
  return j;
}

std::string Seq(std::int64_t seq) { return "audit event seq " + std::to_string(seq); }

// j[key] when it is a string, else "" (Json::value would throw on another type).
std::string Str(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// A parsed line of the events file.
struct Line {
  ChainEvent e;
  Json payload;
};

// Reads and checks every line: canonical form, fields, recomputed hash. "" or the difference.
std::string ReadEvents(const std::string& text, std::vector<Line>& out) {
  std::size_t n = 0, pos = 0;
  if (!text.empty() && text.back() != '\n') return std::string(kAuditEventsFile) + ": the last line has no line end";
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string where = std::string(kAuditEventsFile) + " line " + std::to_string(++n);
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return where + ": not a JSON object";
    auto canon = internal::TryCanonical(j);
    if (!canon || canon.value() != line) return where + ": not in canonical form";
    static const std::set<std::string> kKeys = {"action", "actor", "at", "hash", "payload", "prev_hash", "seq", "subject"};
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.insert(k);
    if (keys != kKeys) return where + ": the fields are not action, actor, at, hash, payload, prev_hash, seq, subject";
    Line l;
    for (auto [key, dst] : {std::pair{"at", &l.e.at}, {"actor", &l.e.actor}, {"action", &l.e.action},
                            {"subject", &l.e.subject}, {"prev_hash", &l.e.prev_hash}, {"hash", &l.e.hash}})
      if (auto st = internal::ReadString(j, key, "event", *dst); !st) return where + ": " + st.error().message;
    if (auto st = internal::ReadInt(j, "seq", "event", l.e.seq); !st || l.e.seq < 1) return where + ": seq is not a positive integer";
    if (!j["payload"].is_object()) return where + ": payload is not an object";
    l.payload = j["payload"];
    l.e.payload = CanonicalJson(l.payload);
    auto record = EventJson(l.e, false);
    if (!record) return where + ": " + record.error().message;
    const std::string want = Sha256Hex(CanonicalJson(record.value()));
    if (want != l.e.hash)
      return where + " (" + Seq(l.e.seq) + ", " + l.e.action + "): its content does not give its hash " + l.e.hash +
             " (recomputed " + want + "): the event was edited";
    out.push_back(std::move(l));
  }
  return "";
}

// Where two payloads differ, for the message: the first key whose value differs.
std::string PayloadDifference(const Json& got, const Json& want) {
  std::set<std::string> keys;
  for (const auto& [k, v] : got.items()) keys.insert(k);
  for (const auto& [k, v] : want.items()) keys.insert(k);
  for (const auto& k : keys) {
    const bool g = got.contains(k), w = want.contains(k);
    if (g && w && got[k] == want[k]) continue;
    return k + " is " + (g ? got[k].dump() : "missing") + ", the bundle gives " + (w ? want[k].dump() : "nothing");
  }
  return "";
}

std::string Expect(const Line& l, const Json& want) {
  if (l.payload == want) return "";
  return Seq(l.e.seq) + " (" + l.e.action + "): payload " + PayloadDifference(l.payload, want);
}

Json SubstitutionPayload(const std::string& draw_id, const ListedSubstitution& s) {
  return Json{{"draw_id", draw_id}, {"stratum", s.stratum}, {"out", s.sub.out_id}, {"in", s.sub.in_id}, {"reason", s.sub.reason}};
}

// JSON-escaped: a reason may hold a newline, and a difference is one line.
std::string Describe(const ListedSubstitution& s) {
  return "stratum " + Json(s.stratum).dump() + ": " + s.sub.out_id + " -> " + s.sub.in_id + ", reason " + Json(s.sub.reason).dump();
}

// The draw stage: commit, reveal, the substitutions one for one, at most a final supersede.
std::string CheckDrawEvents(const std::vector<const Line*>& ev, const std::string& draw_id, const AuditFacts& f) {
  const DrawSpec& spec = *f.spec;
  const EntityDraw& draw = *f.draw;
  if (ev.empty() || ev[0]->e.action != "draw.commit")
    return "audit events: the draw's first event is not its draw.commit" +
           (ev.empty() ? std::string(" (there is none)") : " (" + Seq(ev[0]->e.seq) + " is " + ev[0]->e.action + ")");
  Json strata = Json::array();
  for (const auto& s : spec.population.strata)
    strata.push_back({{"name", s.name}, {"population", static_cast<std::int64_t>(s.entity_ids.size())}, {"quota", s.quota}});
  Json commit{{"draw_id", draw_id},
              {"plan_id", spec.plan_id},
              {"plan_digest", spec.plan_digest},
              {"commitment_digest", draw.commitment_digest},
              {"strata", strata},
              {"exclusions", static_cast<std::int64_t>(spec.population.exclusions.size())},
              {"reserve", spec.reserve}};
  if (auto d = Expect(*ev[0], commit); !d.empty()) return d;
  if (ev.size() < 2 || ev[1]->e.action != "draw.reveal")
    return "audit events: the draw.commit is not followed by the draw's draw.reveal" +
           (ev.size() < 2 ? std::string(" (no further draw event)") : " (" + Seq(ev[1]->e.seq) + " is " + ev[1]->e.action + ")");
  Json selected = Json::object();
  for (const auto& s : draw.strata) selected[s.name] = Selected(s);
  Json reveal{{"draw_id", draw_id}, {"commitment_digest", draw.commitment_digest}, {"entropy", draw.entropy},
              {"seed_hash", draw.seed_hash}, {"selected", selected}};
  if (auto d = Expect(*ev[1], reveal); !d.empty()) return d;

  std::vector<const Line*> subs;
  std::size_t i = 2;
  for (; i < ev.size() && ev[i]->e.action == "draw.substitute"; ++i) subs.push_back(ev[i]);
  if (i < ev.size()) {
    const Line& last = *ev[i];
    if (last.e.action != "draw.supersede" || i + 1 != ev.size())
      return Seq(last.e.seq) + ": unexpected " + last.e.action + " among the draw's events (after the reveal come its "
             "substitutions and at most a final draw.supersede)";
    const Json& p = last.payload;
    if (!p.is_object() || p.size() != 4 || Str(p, "draw_id") != draw_id || !p.contains("reason") ||
        !p["reason"].is_string() || !p.contains("state_was") || !p["state_was"].is_string() ||
        !p.contains("superseded_by") || !p["superseded_by"].is_string())
      return Seq(last.e.seq) + " (draw.supersede): payload is not {draw_id, reason, state_was, superseded_by} of this draw";
  }
  // One for one, in bundle.json's order: by stratum in plan order, each stratum's in the order applied.
  std::map<std::string, std::size_t> order;
  for (std::size_t s = 0; s < spec.population.strata.size(); ++s) order[spec.population.strata[s].name] = s;
  std::stable_sort(subs.begin(), subs.end(), [&](const Line* a, const Line* b) {
    auto rank = [&](const Line* l) {
      auto it = order.find(Str(l->payload, "stratum"));
      return it == order.end() ? order.size() : it->second;
    };
    return rank(a) < rank(b);
  });
  for (std::size_t k = 0; k < std::max(subs.size(), f.listed.size()); ++k) {
    if (k >= subs.size())
      return "substitution " + std::to_string(k + 1) + " (" + Describe(f.listed[k]) + ") has no draw.substitute audit event: the bundle lists " +
             std::to_string(f.listed.size()) + " substitutions, the audit events " + std::to_string(subs.size());
    if (k >= f.listed.size())
      return Seq(subs[k]->e.seq) + " (draw.substitute " + subs[k]->payload.dump() + ") is not in bundle.json: the bundle lists " +
             std::to_string(f.listed.size()) + " substitutions, the audit events " + std::to_string(subs.size());
    if (subs[k]->payload != SubstitutionPayload(draw_id, f.listed[k]))
      return "substitution " + std::to_string(k + 1) + ": bundle.json has " + Describe(f.listed[k]) + ", " + Seq(subs[k]->e.seq) +
             " (draw.substitute) has " + subs[k]->payload.dump();
  }
  return "";
}

// The pairing stage: its pair.commit and pair.reveal, recomputed.
std::string CheckPairingEvents(const std::vector<const Line*>& ev, const std::string& draw_id, const AuditFacts& f) {
  if (ev.size() != 2 || ev[0]->e.action != "pair.commit" || ev[1]->e.action != "pair.reveal")
    return "audit events: the pairing's events are not one pair.commit then one pair.reveal (" + std::to_string(ev.size()) +
           " pairing events)";
  const std::string pairing_id = Str(ev[0]->payload, "pairing_id");
  if (ev[0]->e.subject != "pairings/" + pairing_id || ev[1]->e.subject != ev[0]->e.subject)
    return Seq(ev[0]->e.seq) + ": the pairing events' subject is not pairings/<their pairing_id>";
  const Json attempt = ev[0]->payload.value("attempt", Json());
  if (!attempt.is_number_integer() || pairing_id != draw_id + "-P" + std::to_string(attempt.get<std::int64_t>()))
    return Seq(ev[0]->e.seq) + " (pair.commit): pairing_id " + pairing_id + " is not " + draw_id + "-P<attempt>";
  Json commit{{"pairing_id", pairing_id},
              {"draw_id", draw_id},
              {"attempt", attempt},
              {"commitment_digest", f.pairing->commitment_digest},
              {"tasks", static_cast<std::int64_t>(f.pair_spec->tasks.size())},
              {"officers", static_cast<std::int64_t>(f.pair_spec->officers.size())},
              {"cap", f.pair_spec->cap}};
  if (auto d = Expect(*ev[0], commit); !d.empty()) return d;
  Json teams = Json::array(), shortfalls = Json::array();
  for (const auto& t : f.pairing->teams) {
    Json members = Json::array();
    for (const auto& m : t.members) members.push_back(m.officer);
    teams.push_back({{"entity_id", t.entity_id}, {"officers", members}});
  }
  for (const auto& s : f.pairing->shortfalls)
    shortfalls.push_back({{"entity_id", s.entity_id}, {"department", s.department}, {"reason", s.reason}});
  Json reveal{{"pairing_id", pairing_id}, {"entropy", f.pairing->entropy}, {"seed_hash", f.pairing->seed_hash},
              {"status", f.pairing->status}, {"teams", teams},          {"shortfalls", shortfalls}};
  return Expect(*ev[1], reveal);
}

bool IsHead(const std::string& h) { return internal::IsLowerHex(h, 64); }

}  // namespace

DrawHead ComputeDrawHead(const std::vector<ChainEvent>& draw_events) {
  DrawHead h;
  h.head = kGenesis;
  for (const auto& e : draw_events) {
    h.head = Sha256Hex(h.head + "|" + e.hash);
    ++h.events;
    h.last = ChainLink{e.seq, e.hash};
  }
  return h;
}

Json DrawHeadJson(const DrawHead& h) {
  return Json{{"head", h.head}, {"events", h.events}, {"seq", h.last.seq}, {"hash", h.last.hash}};
}

Result<std::string> AuditEventLines(const BundleAudit& audit, bool with_pairing) {
  std::vector<const ChainEvent*> all;
  for (const auto& e : audit.draw_events) all.push_back(&e);
  if (with_pairing)
    for (const auto& e : audit.pairing_events) all.push_back(&e);
  std::sort(all.begin(), all.end(), [](const ChainEvent* a, const ChainEvent* b) { return a->seq < b->seq; });
  std::string out;
  for (const ChainEvent* e : all) {
    auto j = EventJson(*e, true);
    if (!j) return j.error();
    auto line = internal::TryCanonical(j.value());
    if (!line) return line.error();
    out += line.value() + "\n";
  }
  return out;
}

Json AuditIndexJson(const BundleAudit& audit) {
  return Json{{"events_file", kAuditEventsFile},
              {"draw_head", DrawHeadJson(ComputeDrawHead(audit.draw_events))},
              {"chain_head", {{"seq", audit.chain_head.seq}, {"hash", audit.chain_head.hash}}}};
}

AuditCheck VerifyBundleAudit(const fs::path& dir, const Json& index, const AuditFacts& f, const std::string& head) {
  AuditCheck out;
  auto fail = [&](std::string why) {
    out.difference = std::move(why);
    return out;
  };
  if (!head.empty() && !IsHead(head)) return fail("--head " + head + " is not a draw head (64 lowercase hex digits)");
  const bool has_file = fs::exists(dir / kAuditEventsFile), has_index = index.contains("audit");
  if (!has_file && !has_index) {
    if (!head.empty())
      return fail("--head given, but this bundle carries no audit events (no " + std::string(kAuditEventsFile) +
                  "): it is not bound to the audit chain, so no head can be checked against it");
    out.notes.push_back("this bundle carries no audit events (no " + std::string(kAuditEventsFile) +
                        "): it is not bound to the audit chain, and a substitution dropped from it could not be seen");
    return out;
  }
  if (!has_file) return fail("bundle.json names audit events, but " + std::string(kAuditEventsFile) + " is missing");
  if (!has_index) return fail(std::string(kAuditEventsFile) + " is present, but bundle.json has no audit member");
  const Json& ja = index["audit"];
  if (!ja.is_object() || Str(ja, "events_file") != kAuditEventsFile || !ja.contains("draw_head") ||
      !ja.contains("chain_head") || !ja["chain_head"].is_object())
    return fail("bundle.json: audit is not {events_file, draw_head, chain_head}");

  std::ifstream in(dir / kAuditEventsFile, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<Line> lines;
  if (auto d = ReadEvents(text.str(), lines); !d.empty()) return fail(d);
  // The chain links the bundle can see: ascending seq, and prev_hash where two events are consecutive.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const ChainEvent& e = lines[i].e;
    if (i > 0 && e.seq <= lines[i - 1].e.seq)
      return fail(Seq(e.seq) + " comes after " + Seq(lines[i - 1].e.seq) + ": the events are not in chain order");
    if (i > 0 && e.seq == lines[i - 1].e.seq + 1 && e.prev_hash != lines[i - 1].e.hash)
      return fail(Seq(e.seq) + ": prev_hash " + e.prev_hash + " is not the hash of seq " + std::to_string(lines[i - 1].e.seq) +
                  " (" + lines[i - 1].e.hash + ")");
    if (e.seq == 1 && e.prev_hash != kGenesis) return fail(Seq(1) + ": prev_hash is not 64 zeros");
  }
  const std::string draw_id = "D-" + f.draw->commitment_digest.substr(0, 12);
  std::vector<const Line*> draw_events, pairing_events;
  for (const auto& l : lines) {
    if (l.e.subject == "draws/" + draw_id) draw_events.push_back(&l);
    else if (l.e.subject.rfind("pairings/" + draw_id + "-P", 0) == 0) pairing_events.push_back(&l);
    else return fail(Seq(l.e.seq) + ": subject " + l.e.subject + " is not this draw's (draws/" + draw_id + ") nor its pairing's");
  }
  if (auto d = CheckDrawEvents(draw_events, draw_id, f); !d.empty()) return fail(d);
  if (f.pairing && pairing_events.empty()) return fail("the bundle has a pairing, but not its audit events (pair.commit, pair.reveal)");
  if (!f.pairing && !pairing_events.empty()) return fail(Seq(pairing_events[0]->e.seq) + ": a pairing event in a bundle without a pairing");
  if (f.pairing)
    if (auto d = CheckPairingEvents(pairing_events, draw_id, f); !d.empty()) return fail(d);

  std::vector<ChainEvent> draw_chain;
  for (const Line* l : draw_events) draw_chain.push_back(l->e);
  const DrawHead got = ComputeDrawHead(draw_chain);
  if (ja["draw_head"] != DrawHeadJson(got))
    return fail("bundle.json: audit.draw_head is " + ja["draw_head"].dump() + ", the events give " + DrawHeadJson(got).dump());
  const Json& ch = ja["chain_head"];
  if (!ch.contains("seq") || !ch["seq"].is_number_integer() || !ch.contains("hash") || !ch["hash"].is_string())
    return fail("bundle.json: audit.chain_head is not {seq, hash}");
  if (const std::string& h = ch["hash"].get_ref<const std::string&>();
      h.size() != 64 || h.find_first_not_of("0123456789abcdef") != std::string::npos)
    return fail("bundle.json: audit.chain_head.hash is not 64 lowercase hex digits");
  const std::int64_t chain_seq = ch["seq"].get<std::int64_t>();
  if (!lines.empty() && (chain_seq < lines.back().e.seq || (chain_seq == lines.back().e.seq && ch["hash"] != lines.back().e.hash)))
    return fail("bundle.json: audit.chain_head " + ch.dump() + " is before or beside the last event, " + Seq(lines.back().e.seq));
  out.checked.push_back(std::to_string(lines.size()) + " audit events (" + std::to_string(draw_events.size()) + " of the draw" +
                        (pairing_events.empty() ? std::string() : ", " + std::to_string(pairing_events.size()) + " of the pairing") +
                        "): hashes, links, payloads; draw head " + got.head + " (last seq " + std::to_string(got.last.seq) + ")");
  if (head.empty()) {
    out.notes.push_back("no --head given: the events agree with the bundle, but only a published head shows that none "
                        "was dropped, added or rewritten with it");
    return out;
  }
  if (head == got.head) {
    out.checked.push_back("draw head matches --head " + head + ": the bundle has every draw event the head covers, unedited");
    return out;
  }
  // Why not: a head published before later events, the last event's hash, or a draw event missing or edited.
  std::vector<ChainEvent> prefix;
  for (std::size_t k = 0; k + 1 < draw_chain.size(); ++k) {
    prefix.push_back(draw_chain[k]);
    if (ComputeDrawHead(prefix).head == head)
      return fail("--head " + head + " is the draw's head after its first " + std::to_string(k + 1) + " of the bundle's " +
                  std::to_string(draw_chain.size()) + " draw events: the later ones (from " + Seq(draw_chain[k + 1].seq) +
                  ") are not covered by it; verify against a head published after them");
  }
  for (const auto& e : draw_chain)
    if (e.hash == head)
      return fail("--head " + head + " is the hash of " + Seq(e.seq) + ", not a draw head (publish draw_head.head)");
  return fail("--head " + head + " is not this bundle's draw head " + got.head + ": a draw event the head covers is missing "
              "or was rewritten (or the head is another draw's)");
}

}  // namespace suiji::sampler
