#include "api/thrift/memory_backend.h"

#include <charconv>

namespace suiji::rpc {

namespace {

bool InForce(const Flag& f, Date as_of) { return f.starts_on <= as_of && (!f.ends_on || as_of <= *f.ends_on); }

std::vector<Flag> FlagsInForce(const SeedEntity& e, Date as_of) {
  std::vector<Flag> out;
  for (const auto& f : e.flags)
    if (InForce(f, as_of)) out.push_back(f);
  return out;
}

// Content identity of a pushed item: fields joined by a unit separator (0x1f cannot occur in a
// validated field). Doubles in hex so the identity is exact.
void Add(std::string& s, std::string_view v) {
  s.append(v);
  s.push_back('\x1f');
}
void Add(std::string& s, double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::hex);
  Add(s, std::string_view(buf, r.ptr - buf));
}
void Add(std::string& s, long long v) { Add(s, std::string_view(std::to_string(v))); }

std::string Digest(const Penalty& p) {
  std::string s;
  Add(s, p.entity.value), Add(s, p.decision_no), Add(s, p.authority), Add(s, (long long)p.decided_on.days);
  Add(s, p.category), Add(s, (long long)p.fine_fen), Add(s, p.legal_basis), Add(s, p.description);
  return s;
}
std::string Digest(const ListDecision& d) {
  std::string s;
  Add(s, d.entity.value), Add(s, d.list), Add(s, (long long)d.action), Add(s, d.decision_no);
  Add(s, d.authority), Add(s, (long long)d.decided_on.days), Add(s, d.reason);
  return s;
}
std::string Digest(const RepairDecision& r) {
  std::string s;
  Add(s, r.entity.value), Add(s, r.list), Add(s, r.decision_no), Add(s, r.authority);
  Add(s, (long long)r.decided_on.days), Add(s, (long long)r.granted), Add(s, r.reason);
  return s;
}
std::string Digest(const ExternalIndicator& x) {
  std::string s;
  Add(s, x.value);
  return s;
}

std::string Key(std::string_view kind, std::initializer_list<std::string_view> parts) {
  std::string s(kind);
  for (auto p : parts) s.push_back('\x1f'), s.append(p);
  return s;
}

Error At(std::size_t i, std::string_view field, const char* code, std::string message) {
  std::string path = "[" + std::to_string(i) + "]";
  if (!field.empty()) path += "." + std::string(field);
  return Error{code, std::move(message), std::move(path)};
}

}  // namespace

void InMemoryCreditBackend::Put(SeedEntity entity) {
  std::lock_guard lock(mu_);
  std::string key = entity.id.value;
  entities_[key] = std::move(entity);
}

Result<EntityRecord> InMemoryCreditBackend::GetEntity(const EntityId& id, Date as_of) {
  std::lock_guard lock(mu_);
  auto it = entities_.find(id.value);
  if (it == entities_.end()) return Error{kErrNotFound, "no entity with code " + id.value, ""};
  return EntityRecord{it->second.id, it->second.name, it->second.lists, FlagsInForce(it->second, as_of)};
}

Result<std::vector<std::optional<std::vector<Flag>>>> InMemoryCreditBackend::BatchFlags(
    const std::vector<EntityId>& ids, Date as_of) {
  std::vector<std::optional<std::vector<Flag>>> out;
  out.reserve(ids.size());
  std::lock_guard lock(mu_);
  for (const auto& id : ids) {
    auto it = entities_.find(id.value);
    if (it == entities_.end())
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(FlagsInForce(it->second, as_of));
  }
  return out;
}

Result<Classification> InMemoryCreditBackend::GetClassification(const EntityId& id) {
  std::lock_guard lock(mu_);
  auto it = entities_.find(id.value);
  if (it == entities_.end()) return Error{kErrNotFound, "no entity with code " + id.value, ""};
  if (!it->second.classification) return Error{kErrNotFound, "entity " + id.value + " has no classification yet", ""};
  return *it->second.classification;
}

// The three pushes share one shape: check every item against the current state plus what earlier
// items of the same call would change (staged), then commit everything or nothing.

Result<std::vector<PushReceipt>> InMemoryCreditBackend::RecordPenalties(const Pusher& by,
                                                                        const std::vector<Penalty>& items) {
  std::lock_guard lock(mu_);
  std::vector<PushReceipt> receipts;
  std::map<std::string, Keyed> staged;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& p = items[i];
    if (!entities_.count(p.entity.value))
      return At(i, "entity_code", kErrNotFound, "no entity with code " + p.entity.value);
    std::string key = Key("penalty", {by.department, p.decision_no});
    std::string digest = Digest(p);
    const Keyed* seen = nullptr;
    if (auto it = push_keys_.find(key); it != push_keys_.end()) seen = &it->second;
    if (auto it = staged.find(key); it != staged.end()) seen = &it->second;
    if (seen) {
      if (seen->digest != digest)
        return At(i, "decision_no", kErrInvalid,
                  "decision " + p.decision_no + " was already pushed by " + by.department + " with different content");
      receipts.push_back({seen->id, true});
      continue;
    }
    Keyed k{"pen-" + std::to_string(next_id_ + static_cast<long>(staged.size())), digest};
    staged[key] = k;
    receipts.push_back({k.id, false});
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!receipts[i].duplicate) penalties_.emplace_back(by, items[i]);
  next_id_ += static_cast<long>(staged.size());
  push_keys_.merge(staged);
  return receipts;
}

Result<std::vector<PushReceipt>> InMemoryCreditBackend::RecordListDecisions(const Pusher& by,
                                                                            const std::vector<ListDecision>& items) {
  std::lock_guard lock(mu_);
  std::vector<PushReceipt> receipts;
  std::map<std::string, Keyed> staged;
  std::map<std::string, std::vector<ListMembership>> lists;  // staged copies of touched entities' lists
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& d = items[i];
    auto ent = entities_.find(d.entity.value);
    if (ent == entities_.end()) return At(i, "entity_code", kErrNotFound, "no entity with code " + d.entity.value);
    std::string key = Key("list", {by.department, d.decision_no});
    std::string digest = Digest(d);
    const Keyed* seen = nullptr;
    if (auto it = push_keys_.find(key); it != push_keys_.end()) seen = &it->second;
    if (auto it = staged.find(key); it != staged.end()) seen = &it->second;
    if (seen) {
      if (seen->digest != digest)
        return At(i, "decision_no", kErrInvalid,
                  "decision " + d.decision_no + " was already pushed by " + by.department + " with different content");
      receipts.push_back({seen->id, true});
      continue;
    }
    auto [lit, fresh] = lists.try_emplace(d.entity.value);
    if (fresh) lit->second = ent->second.lists;
    auto& ms = lit->second;
    ListMembership* open = nullptr;
    for (auto& m : ms)
      if (m.list == d.list && !m.removed_on) open = &m;
    if (d.action == ListAction::kAdd) {
      if (open)
        return At(i, "", kErrInvalid,
                  d.entity.value + " is already on " + d.list + " since " + FormatDate(open->listed_on));
      ms.push_back(ListMembership{d.list, d.reason, d.decided_on, d.authority, std::nullopt, ""});
    } else {
      if (!open) return At(i, "", kErrInvalid, d.entity.value + " is not on " + d.list);
      if (d.decided_on < open->listed_on)
        return At(i, "decided_on", kErrInvalid,
                  "removal on " + FormatDate(d.decided_on) + " precedes the listing on " + FormatDate(open->listed_on));
      open->removed_on = d.decided_on;
      open->removal_reason = d.reason;
    }
    Keyed k{"lst-" + std::to_string(next_id_ + static_cast<long>(staged.size())), digest};
    staged[key] = k;
    receipts.push_back({k.id, false});
  }
  for (auto& [id, ms] : lists) entities_[id].lists = std::move(ms);
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!receipts[i].duplicate) decisions_.emplace_back(by, items[i]);
  next_id_ += static_cast<long>(staged.size());
  push_keys_.merge(staged);
  return receipts;
}

Result<std::vector<PushReceipt>> InMemoryCreditBackend::RecordIndicators(const Pusher& by,
                                                                         const std::vector<ExternalIndicator>& items) {
  std::lock_guard lock(mu_);
  std::vector<PushReceipt> receipts;
  std::map<std::string, Keyed> staged;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& x = items[i];
    if (!entities_.count(x.entity.value))
      return At(i, "entity_code", kErrNotFound, "no entity with code " + x.entity.value);
    std::string key = Key("indicator", {by.department, x.entity.value, x.indicator, FormatDate(x.as_of)});
    std::string digest = Digest(x);
    const Keyed* seen = nullptr;
    if (auto it = push_keys_.find(key); it != push_keys_.end()) seen = &it->second;
    if (auto it = staged.find(key); it != staged.end()) seen = &it->second;
    if (seen) {
      if (seen->digest != digest)
        return At(i, "value", kErrInvalid,
                  x.indicator + " of " + x.entity.value + " as of " + FormatDate(x.as_of) +
                      " was already pushed with a different value; push a correction with a new as_of");
      receipts.push_back({seen->id, true});
      continue;
    }
    Keyed k{"ind-" + std::to_string(next_id_ + static_cast<long>(staged.size())), digest};
    staged[key] = k;
    receipts.push_back({k.id, false});
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!receipts[i].duplicate) indicators_.emplace_back(by, items[i]);
  next_id_ += static_cast<long>(staged.size());
  push_keys_.merge(staged);
  return receipts;
}

std::vector<std::pair<Pusher, Penalty>> InMemoryCreditBackend::Penalties() const {
  std::lock_guard lock(mu_);
  return penalties_;
}

std::vector<std::pair<Pusher, ExternalIndicator>> InMemoryCreditBackend::Indicators() const {
  std::lock_guard lock(mu_);
  return indicators_;
}

Result<std::vector<PushReceipt>> InMemoryCreditBackend::RecordRepairs(const Pusher& by,
                                                                      const std::vector<RepairDecision>& items) {
  std::lock_guard lock(mu_);
  std::vector<PushReceipt> receipts;
  std::map<std::string, Keyed> staged;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& r = items[i];
    auto ent = entities_.find(r.entity.value);
    if (ent == entities_.end()) return At(i, "entity_code", kErrNotFound, "no entity with code " + r.entity.value);
    std::string key = Key("repair", {by.department, r.decision_no});
    std::string digest = Digest(r);
    const Keyed* seen = nullptr;
    if (auto it = push_keys_.find(key); it != push_keys_.end()) seen = &it->second;
    if (auto it = staged.find(key); it != staged.end()) seen = &it->second;
    if (seen) {
      if (seen->digest != digest)
        return At(i, "decision_no", kErrInvalid,
                  "repair decision " + r.decision_no + " was already pushed by " + by.department +
                      " with different content");
      receipts.push_back({seen->id, true});
      continue;
    }
    int in_force = 0;
    for (const auto& m : ent->second.lists)
      if (m.list == r.list && m.listed_on <= r.decided_on && (!m.removed_on || *m.removed_on >= r.decided_on))
        ++in_force;
    if (in_force == 0)
      return At(i, "", kErrInvalid,
                r.entity.value + " has no " + r.list + " membership in force on " + FormatDate(r.decided_on));
    Keyed k{"rep-" + std::to_string(next_id_ + static_cast<long>(staged.size())), digest};
    staged[key] = k;
    receipts.push_back({k.id, false});
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!receipts[i].duplicate) repairs_.emplace_back(by, items[i]);
  next_id_ += static_cast<long>(staged.size());
  push_keys_.merge(staged);
  return receipts;
}

std::vector<std::pair<Pusher, RepairDecision>> InMemoryCreditBackend::Repairs() const {
  std::lock_guard lock(mu_);
  return repairs_;
}

}  // namespace suiji::rpc
