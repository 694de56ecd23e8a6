#!/usr/bin/python3
"""Reference verifier for suiji draw bundles (docs/draw-protocol.md), independent of the C++ code.

Usage: /usr/bin/python3 docs/verify_draw.py BUNDLE_DIR
Prints what it recomputed and MATCH (exit 0), or DIFFERENCE: <first difference> (exit 1).
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
    print(f"recomputed: pairing commitment {p['commitment_digest']}, {len(doc['tasks'])} teams, total cost {total_cost}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    try:
        info = json.load(open(os.path.join(d, "bundle.json"), encoding="utf-8"))
        if info.get("format") != "suiji-bundle/1":
            raise Difference("bundle.json: unknown format")
        lists = verify_draw(d, info)
        if "pairing" in info:
            verify_pairing(d, info, lists)
    except Difference as e:
        print(f"DIFFERENCE: {e}")
        return 1
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as e:
        print(f"DIFFERENCE: unreadable bundle: {e!r}")
        return 1
    print("MATCH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
