#!/usr/bin/python3
"""Reference verifier for suiji draw bundles (docs/draw-protocol.md), independent of the C++ code.

Usage: /usr/bin/python3 docs/verify_draw.py BUNDLE_DIR [--head H]
Prints what it recomputed and MATCH (exit 0), or DIFFERENCE: <first difference> (exit 1).
--head H: a published draw head; the bundle's audit events must give exactly H (section 6).
Needs only the standard library and networkx (Debian: python3-networkx).
"""
import csv
import hashlib
import json
import os
import sys

import networkx as nx


class Difference(Exception):
    pass


def sha256_hex(s):
    return hashlib.sha256(s.encode("utf-8") if isinstance(s, str) else s).hexdigest()


def ticket(seed_hash, entity_id):
    """Rivest's consistent_sampler first_fraction(id, seed) with seed_hash = sha256_hex(seed)."""
    x = int(sha256_hex(seed_hash + entity_id), 16)
    return "0." + "{:064d}".format(x)[::-1]


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_commitment(path, digest, what):
    raw = open(path, "rb").read()
    if sha256_hex(raw) != digest:
        raise Difference(f"{what} commitment: bundle.json says {digest}, SHA-256 of {os.path.basename(path)} is {sha256_hex(raw)}")
    doc = json.loads(raw.decode("utf-8"))
    if canonical(doc).encode("utf-8") != raw:
        raise Difference(f"{what} commitment: not in canonical form")
    return doc


def check_entropy(source, e):
    if source["kind"] == "dice":
        if not (e.isascii() and e.isdigit() and len(e) >= max(20, source["min_digits"])):
            raise Difference(f"entropy {e!r} is not >= {source['min_digits']} decimal digits")
    elif source["kind"] == "beacon":
        if not (len(e) >= 32 and len(e) % 2 == 0 and all(c in "0123456789abcdef" for c in e)):
            raise Difference(f"beacon randomness {e!r} is not lowercase hex of even length >= 32")
    else:
        raise Difference(f"unknown entropy source {source['kind']!r}")


def quota(n, bp, lo, hi):
    k = (n * bp + 9999) // 10000
    if lo is not None and k < lo:
        k = lo
    k = min(k, n)
    if hi is not None and k > hi:
        k = hi
    return max(k, 0)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def compare_rows(name, got, want, describe):
    if not got or got[0] != want[0]:
        raise Difference(f"{name}: unexpected header")
    for i in range(1, max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g != w:
            raise Difference(f"{name} row {i}: {describe(g, w)}")


def verify_draw(d, info):
    draw = info["draw"]
    if draw.get("commitment_file") != "draw_commitment.json":
        raise Difference(f"bundle.json: draw.commitment_file is {draw.get('commitment_file')!r}, not draw_commitment.json")
    doc = load_commitment(os.path.join(d, "draw_commitment.json"), draw["commitment_digest"], "draw")
    assert doc["protocol"] == "suiji-draw/1" and doc["kind"] == "entity_draw"
    check_entropy(doc["entropy_source"], draw["entropy"])
    seed_hash = sha256_hex(draw["commitment_digest"] + "|" + draw["entropy"])
    if seed_hash != draw["seed_hash"]:
        raise Difference(f"draw seed hash: bundle has {draw['seed_hash']}, recomputed {seed_hash}")
    rows = [["stratum", "list", "position", "entity_id", "ticket"]]
    lists = {}
    for s in doc["strata"]:
        ids = s["entity_ids"]
        if ids != sorted(set(ids), key=lambda x: x.encode("utf-8")):
            raise Difference(f"stratum {s['name']}: ids not sorted and unique")
        k = quota(len(ids), s["ratio_bp"], s.get("min_count"), s.get("max_count"))
        if k != s["quota"]:
            raise Difference(f"stratum {s['name']}: quota {s['quota']}, recomputed {k}")
        r = min(doc["reserve"], len(ids) - k)
        tickets = sorted((ticket(seed_hash, i), i) for i in ids)[: k + r]
        lists[s["name"]] = ([i for _, i in tickets[:k]], [i for _, i in tickets[k:]])
        for pos, (t, i) in enumerate(tickets[:k], 1):
            rows.append([s["name"], "drawn", str(pos), i, t])
        for pos, (t, i) in enumerate(tickets[k:], 1):
            rows.append([s["name"], "reserve", str(pos), i, t])
    compare_rows("exclusions.csv", read_csv(os.path.join(d, "exclusions.csv")),
                 [["entity_id", "rule", "reason"]] + [[e["entity_id"], e["rule"], e["reason"]] for e in doc["exclusions"]],
                 lambda g, w: f"bundle has {g}, committed {w}")

    def where(g, w):
        r = w or g
        return (f"stratum {r[0]}, {r[1]} position {r[2]}: bundle has {g[3] + ' ticket ' + g[4] if g else 'nothing'}, "
                f"recomputed {w[3] + ' ticket ' + w[4] if w else 'nothing'}")
    compare_rows("tickets.csv", read_csv(os.path.join(d, "tickets.csv")), rows, where)
    # Substitutions: each replaces a selected entity by the next unused reserve entity.
    info["_doc"] = doc
    selected = {name: list(drawn) for name, (drawn, _) in lists.items()}
    used = {name: 0 for name in lists}
    for n, sub in enumerate(draw.get("substitutions", []), 1):
        name = sub["stratum"]
        if name not in selected or sub["out_id"] not in selected[name]:
            raise Difference(f"substitution {n}: {sub['out_id']} is not selected in stratum {name}")
        reserve = lists[name][1]
        if used[name] >= len(reserve) or reserve[used[name]] != sub["in_id"] or not sub["reason"]:
            raise Difference(f"substitution {n} in stratum {name}: bundle brings in {sub['in_id']}")
        selected[name][selected[name].index(sub["out_id"])] = sub["in_id"]
        used[name] += 1
    print(f"recomputed: draw commitment {draw['commitment_digest']}, {len(rows) - 1} drawn and reserve tickets")
    return lists


def covers(outer, inner):
    if len(outer) != 6 or len(inner) != 6:
        return False
    if outer == inner:
        return True
    if outer.endswith("0000"):
        return inner[:2] == outer[:2]
    if outer.endswith("00"):
        return inner[:4] == outer[:4]
    return False


REASONS = {
    "conflict_declared": "officer declared a conflict of interest with this entity",
    "inspected_last_time": "officer inspected this entity last time",
    "entity_requested": "the entity requested this officer's recusal",
}


def verify_pairing(d, info, lists):
    p = info["pairing"]
    if p.get("commitment_file") != "pair_commitment.json":
        raise Difference(f"bundle.json: pairing.commitment_file is {p.get('commitment_file')!r}, not pair_commitment.json")
    doc = load_commitment(os.path.join(d, "pair_commitment.json"), p["commitment_digest"], "pairing")
    assert doc["protocol"] == "suiji-pair/1" and doc["kind"] == "team_pairing"
    if doc["draw_commitment"] != info["draw"]["commitment_digest"]:
        raise Difference("pairing commitment refers to another draw")
    drawn_or_reserve = {i for a, b in lists.values() for i in a + b}
    for t in doc["tasks"]:
        if t["entity_id"] not in drawn_or_reserve:
            raise Difference(f"pairing task {t['entity_id']} was neither drawn nor on a reserve list")
    check_entropy(doc["entropy_source"], p["entropy"])
    seed_hash = sha256_hex(p["commitment_digest"] + "|" + p["entropy"])
    if seed_hash != p["seed_hash"]:
        raise Difference(f"pairing seed hash: bundle has {p['seed_hash']}, recomputed {seed_hash}")
    depts = [x["department"] for x in doc["departments"]]
    exclusions = []
    pool = []
    for o in doc["officers"]:
        if o["status"] != "active":
            exclusions.append(["", o["id"], "inactive", "officer status is " + o["status"]])
        elif o["department"] not in depts:
            exclusions.append(["", o["id"], "department_not_participating",
                               f"department {o['department']} does not take part in this plan"])
        else:
            pool.append(o)
    G = nx.DiGraph()
    total = 0
    cost_of = {}
    for t in doc["tasks"]:
        e = t["entity_id"]
        for share in doc["departments"]:
            dept = share["department"]
            quals = [r["qualification"] for r in t["requirements"] if r["department"] == dept]
            slot = ("slot", e, dept)
            G.add_node(slot, demand=-share["officers"])
            total += share["officers"]
            for o in pool:
                if o["department"] != dept or not any(covers(j, t["region"]) for j in o["jurisdictions"]):
                    continue
                if not all(q in o["qualifications"] for q in quals):
                    continue
                rules = set()
                if e in o["conflicts"]:
                    rules.add("conflict_declared")
                if o["id"] in t["last_inspectors"]:
                    rules.add("inspected_last_time")
                if o["id"] in t["requested_recusals"]:
                    rules.add("entity_requested")
                for r in sorted(rules):
                    exclusions.append([e, o["id"], r, REASONS[r]])
                if rules:
                    continue
                h = hashlib.sha256((seed_hash + "pair|" + e + "|" + o["id"]).encode("utf-8")).digest()
                c = 1 + int.from_bytes(h[:5], "big")
                cost_of[(e, o["id"])] = c
                G.add_edge(slot, ("officer", o["id"]), capacity=1, weight=c)
    for o in pool:
        G.add_edge(("officer", o["id"]), "sink", capacity=doc["cap"], weight=0)
    G.add_node("sink", demand=total)
    exclusions.sort(key=lambda r: (r[0].encode("utf-8"), r[1].encode("utf-8"), r[2]))
    compare_rows("pair_exclusions.csv", read_csv(os.path.join(d, "pair_exclusions.csv")),
                 [["entity_id", "officer", "rule", "reason"]] + exclusions,
                 lambda g, w: f"bundle has {g}, recomputed {w}")
    info["_pair_doc"], info["_teams"] = doc, []
    try:
        total_cost, flow = nx.network_simplex(G)
    except nx.NetworkXUnfeasible:
        if p["status"] != "infeasible":
            raise Difference(f"pairing status: bundle has {p['status']}, recomputed infeasible")
        print("recomputed: pairing infeasible, as the bundle says")
        return
    if p["status"] != "ok":
        raise Difference(f"pairing status: bundle has {p['status']}, recomputed a feasible optimum")
    rows = [["entity_id", "department", "officer", "cost"]]
    for t in doc["tasks"]:
        for dept in depts:
            chosen = sorted(o for (kind, o), f in flow[("slot", t["entity_id"], dept)].items() if f > 0)
            for o in chosen:
                rows.append([t["entity_id"], dept, o, str(cost_of[(t["entity_id"], o)])])
    compare_rows("teams.csv", read_csv(os.path.join(d, "teams.csv")), rows,
                 lambda g, w: (f"team of {w[0]}, {w[1]}: " if w else "extra row: ")
                 + f"bundle has {'officer ' + g[2] + ' cost ' + g[3] if g else 'nothing'}, "
                 + f"recomputed {'officer ' + w[2] + ' cost ' + w[3] if w else 'nothing'}")
    if p["total_cost"] != total_cost:
        raise Difference(f"pairing total cost: bundle has {p['total_cost']}, recomputed {total_cost}")
    info["_teams"] = [{"entity_id": t["entity_id"],
                       "officers": [r[2] for r in rows[1:] if r[0] == t["entity_id"]]} for t in doc["tasks"]]
    print(f"recomputed: pairing commitment {p['commitment_digest']}, {len(doc['tasks'])} teams, total cost {total_cost}")


GENESIS = "0" * 64
EVENT_KEYS = {"action", "actor", "at", "hash", "payload", "prev_hash", "seq", "subject"}


def draw_head(events):
    """h0 = 64 zeros, h_i = hex SHA-256(h_{i-1} + "|" + hash_i) over the draw's events in seq order."""
    h = GENESIS
    heads = []
    for e in events:
        h = sha256_hex(h + "|" + e["hash"])
        heads.append(h)
    return h, heads


def expect(e, want):
    got = e["payload"]
    if got != want:
        k = next(k for k in sorted(set(got) | set(want)) if (k in got) != (k in want) or got.get(k) != want.get(k))
        raise Difference(f"audit event seq {e['seq']} ({e['action']}): payload {k} is "
                         f"{json.dumps(got.get(k), ensure_ascii=False) if k in got else 'missing'}, "
                         f"the bundle gives {json.dumps(want.get(k), ensure_ascii=False) if k in want else 'nothing'}")


def verify_audit(d, info, lists, head):
    """Section 6: the draw's (and pairing's) audit events agree with the bundle; with head, give it."""
    path = os.path.join(d, "audit_events.jsonl")
    has_file, has_index = os.path.exists(path), "audit" in info
    if not has_file and not has_index:
        if head:
            raise Difference("--head given, but this bundle carries no audit events (no audit_events.jsonl): "
                             "it is not bound to the audit chain, so no head can be checked against it")
        print("note: this bundle carries no audit events: it is not bound to the audit chain, "
              "and a substitution dropped from it could not be seen")
        return
    if not has_file or not has_index:
        raise Difference("audit events and bundle.json's audit member come together: one of them is missing")
    raw = open(path, "rb").read().decode("utf-8")
    if raw and not raw.endswith("\n"):
        raise Difference("audit_events.jsonl: the last line has no line end")
    events = []
    for n, line in enumerate(raw.split("\n")[:-1] if raw else [], 1):
        e = json.loads(line)
        if not isinstance(e, dict) or canonical(e) != line:
            raise Difference(f"audit_events.jsonl line {n}: not a canonical JSON object")
        if (set(e) != EVENT_KEYS or not isinstance(e["payload"], dict) or type(e["seq"]) is not int or e["seq"] < 1
                or not all(isinstance(e[k], str) for k in EVENT_KEYS - {"payload", "seq"})):
            raise Difference(f"audit_events.jsonl line {n}: not an audit event")
        record = {k: v for k, v in e.items() if k != "hash"}
        if sha256_hex(canonical(record)) != e["hash"]:
            raise Difference(f"audit_events.jsonl line {n} (audit event seq {e['seq']}, {e['action']}): its content does "
                             f"not give its hash {e['hash']} (recomputed {sha256_hex(canonical(record))}): the event was edited")
        if events and e["seq"] <= events[-1]["seq"]:
            raise Difference(f"audit event seq {e['seq']} comes after seq {events[-1]['seq']}: not in chain order")
        if events and e["seq"] == events[-1]["seq"] + 1 and e["prev_hash"] != events[-1]["hash"]:
            raise Difference(f"audit event seq {e['seq']}: prev_hash is not the hash of seq {events[-1]['seq']}")
        if e["seq"] == 1 and e["prev_hash"] != GENESIS:
            raise Difference("audit event seq 1: prev_hash is not 64 zeros")
        events.append(e)
    draw, doc = info["draw"], info["_doc"]
    draw_id = "D-" + draw["commitment_digest"][:12]
    mine = [e for e in events if e["subject"] == "draws/" + draw_id]
    pair_events = [e for e in events if e["subject"].startswith("pairings/" + draw_id + "-P")]
    for e in events:
        if e not in mine and e not in pair_events:
            raise Difference(f"audit event seq {e['seq']}: subject {e['subject']} is not this draw's nor its pairing's")
    if not mine or mine[0]["action"] != "draw.commit":
        raise Difference("audit events: the draw's first event is not its draw.commit")
    expect(mine[0], {"draw_id": draw_id, "plan_id": doc["plan_id"], "plan_digest": doc["plan_digest"],
                     "commitment_digest": draw["commitment_digest"], "exclusions": len(doc["exclusions"]),
                     "reserve": doc["reserve"],
                     "strata": [{"name": s["name"], "population": len(s["entity_ids"]), "quota": s["quota"]}
                                for s in doc["strata"]]})
    if len(mine) < 2 or mine[1]["action"] != "draw.reveal":
        raise Difference("audit events: the draw.commit is not followed by the draw's draw.reveal")
    expect(mine[1], {"draw_id": draw_id, "commitment_digest": draw["commitment_digest"], "entropy": draw["entropy"],
                     "seed_hash": draw["seed_hash"], "selected": {name: drawn for name, (drawn, _) in lists.items()}})
    rest = mine[2:]
    subs = [e for e in rest if e["action"] == "draw.substitute"]
    if rest[len(subs):]:
        last = rest[len(subs)]
        if rest[:len(subs)] != subs or last["action"] != "draw.supersede" or len(rest) != len(subs) + 1:
            raise Difference(f"audit event seq {last['seq']}: unexpected {last['action']} among the draw's events")
        p = last["payload"]
        if set(p) != {"draw_id", "reason", "state_was", "superseded_by"} or p["draw_id"] != draw_id:
            raise Difference(f"audit event seq {last['seq']} (draw.supersede): not this draw's")
    # One for one, in bundle.json's order: by stratum in plan order, each in the order applied.
    order = {s["name"]: i for i, s in enumerate(doc["strata"])}
    subs.sort(key=lambda e: order.get(e["payload"].get("stratum"), len(order)))
    listed = draw.get("substitutions", [])
    for k in range(max(len(subs), len(listed))):
        if k >= len(subs) or k >= len(listed):
            raise Difference(f"the bundle lists {len(listed)} substitutions, the audit events {len(subs)}")
        x = listed[k]
        want = {"draw_id": draw_id, "stratum": x["stratum"], "out": x["out_id"], "in": x["in_id"], "reason": x["reason"]}
        if subs[k]["payload"] != want:
            raise Difference(f"substitution {k + 1}: bundle.json has {want}, audit event seq {subs[k]['seq']} has "
                             f"{subs[k]['payload']}")
    if "pairing" in info and not pair_events:
        raise Difference("the bundle has a pairing, but not its audit events")
    if "pairing" not in info and pair_events:
        raise Difference("a pairing event in a bundle without a pairing")
    if pair_events:
        p, pdoc = info["pairing"], info["_pair_doc"]
        if [e["action"] for e in pair_events] != ["pair.commit", "pair.reveal"]:
            raise Difference("audit events: the pairing's events are not one pair.commit then one pair.reveal")
        pid = pair_events[0]["payload"].get("pairing_id", "")
        attempt = pair_events[0]["payload"].get("attempt")
        if (any(e["subject"] != "pairings/" + pid for e in pair_events) or type(attempt) is not int
                or pid != f"{draw_id}-P{attempt}"):
            raise Difference("audit events: the pairing events do not name this draw's pairing")
        expect(pair_events[0], {"pairing_id": pid, "draw_id": draw_id, "attempt": attempt,
                                "commitment_digest": p["commitment_digest"], "tasks": len(pdoc["tasks"]),
                                "officers": len(pdoc["officers"]), "cap": pdoc["cap"]})
        expect(pair_events[1], {"pairing_id": pid, "entropy": p["entropy"], "seed_hash": p["seed_hash"],
                                "status": p["status"], "teams": info["_teams"], "shortfalls": p["shortfalls"]})
    h, heads = draw_head(mine)
    a = info["audit"]
    want = {"head": h, "events": len(mine), "seq": mine[-1]["seq"], "hash": mine[-1]["hash"]}
    if a.get("events_file") != "audit_events.jsonl" or a.get("draw_head") != want:
        raise Difference(f"bundle.json: audit.draw_head is {a.get('draw_head')}, the events give {want}")
    ch = a.get("chain_head", {})
    if type(ch.get("seq")) is not int or ch["seq"] < events[-1]["seq"] or (
            ch["seq"] == events[-1]["seq"] and ch.get("hash") != events[-1]["hash"]):
        raise Difference(f"bundle.json: audit.chain_head {ch} is before or beside the last event")
    print(f"recomputed: {len(events)} audit events ({len(mine)} of the draw, {len(pair_events)} of the pairing): "
          f"hashes, links, payloads; draw head {h} (last seq {mine[-1]['seq']})")
    if not head:
        print("note: no --head given: the events agree with the bundle, but only a published head shows that none "
              "was dropped, added or rewritten with it")
        return
    if head == h:
        print(f"recomputed: draw head matches --head {head}")
        return
    if head in heads:
        k = heads.index(head) + 1
        raise Difference(f"--head {head} is the draw's head after its first {k} of the bundle's {len(mine)} draw events: "
                         f"the later ones are not covered by it")
    raise Difference(f"--head {head} is not this bundle's draw head {h}: a draw event the head covers is missing or "
                     f"was rewritten (or the head is another draw's)")


def main():
    args = sys.argv[1:]
    head = ""
    if len(args) == 3 and args[1] == "--head":
        args, head = args[:1], args[2]
    if len(args) != 1 or (head and not (len(head) == 64 and all(c in "0123456789abcdef" for c in head))):
        print(__doc__)
        return 2
    d = args[0]
    try:
        info = json.load(open(os.path.join(d, "bundle.json"), encoding="utf-8"))
        if info.get("format") != "suiji-bundle/1":
            raise Difference("bundle.json: unknown format")
        lists = verify_draw(d, info)
        if "pairing" in info:
            verify_pairing(d, info, lists)
        verify_audit(d, info, lists, head)
    except Difference as e:
        print(f"DIFFERENCE: {e}")
        return 1
    except (OSError, ValueError, KeyError, TypeError, AttributeError, AssertionError) as e:
        print(f"DIFFERENCE: unreadable bundle: {e!r}")
        return 1
    print("MATCH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
