#!/usr/bin/python3
"""Differential test: suiji's canonical JSON (core/canonical_json.h, through canonical_json_tool) against
Python's json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) — the function
docs/verify_draw.py hashes with — on random documents with a fixed seed; and the audit log's fast
record writer (AuditRecordText, whose SHA-256 is an event's hash) against the same on random events.

    canonical_differential.py TOOL VERIFY_DRAW_PY PROTOCOL_MD [--documents N] [--seed S]

Documents: nested objects and arrays (depth <= 5), integers over the whole 64-bit range (int64 min to
uint64 max), true/false/null, and strings drawn from every escape class: each control character
U+0000-U+001F, DEL, '"', '\\', '/', Latin-1, CJK, astral characters (emoji), U+2028/U+2029, BOM,
noncharacters and random scalar values up to U+10FFFF (surrogates excluded: not UTF-8). Floats are not
generated: the canonical form has none. Each document is sent in a random non-canonical spelling
(shuffled keys, random whitespace, ASCII-escaped or raw) so suiji's parser is exercised too.
Also checks the escape test vector of docs/draw-protocol.md section 0 with both implementations.
Exit 0 when every output is identical.
"""
import argparse
import hashlib
import importlib.util
import json
import random
import subprocess
import sys

# The test vector of docs/draw-protocol.md section 0 (also in tests/unit/core/canonical_json_test.cpp).
VECTOR = {"controls": "\u0000\u0001\u0007\b\t\n\u000b\f\r\u000e\u001b\u001f\u007f",
          "reason": "closed\tsince 2026-03-01\nsee \"notice\" 7/2026\\b",
          "text": "检查 é \U0001F600 \u2028"}
VECTOR_SHA256 = "c770d5892a9807700cb110559455daebc4938a29d93bdb79a5bd1f1e6b1e0c6c"

SPECIAL = [chr(c) for c in range(0x20)] + ["\u007f", '"', "\\", "/", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
                                          "\U0010ffff", "\u0080", "\u00ff", "\u07ff", "\u0800", "\U00010000"]


def rand_char(r):
    k = r.random()
    if k < 0.35:
        return chr(r.randrange(0x20, 0x7f))
    if k < 0.6:
        return r.choice(SPECIAL)
    if k < 0.7:
        return chr(r.randrange(0xa0, 0x100))
    if k < 0.8:
        return chr(r.randrange(0x4e00, 0xa000))
    if k < 0.88:
        return chr(r.randrange(0x1f300, 0x1fa00))
    while True:
        c = r.randrange(0x80, 0x110000)
        if not 0xd800 <= c <= 0xdfff:
            return chr(c)


def rand_string(r):
    return "".join(rand_char(r) for _ in range(r.choice([0, 1, 2, 3, 5, 8, 13, 30])))


def rand_int(r):
    return r.choice([0, 1, -1, 2**63 - 1, -2**63, 2**64 - 1, 2**63, r.randrange(-1000, 1000),
                     r.randrange(-2**63, 2**63), r.randrange(0, 2**64), r.randrange(-2**31, 2**31)])


def rand_value(r, depth):
    k = r.random()
    if depth < 5 and k < 0.2:
        return {rand_string(r): rand_value(r, depth + 1) for _ in range(r.randrange(0, 6))}
    if depth < 5 and k < 0.35:
        return [rand_value(r, depth + 1) for _ in range(r.randrange(0, 6))]
    if k < 0.7:
        return rand_string(r)
    if k < 0.9:
        return rand_int(r)
    return r.choice([True, False, None])


def spelling(r, obj):
    """A random, non-canonical but equivalent JSON text on one line."""
    if isinstance(obj, dict):
        items = list(obj.items())
        r.shuffle(items)
        sp = r.choice(["", " ", "\t"])
        return "{" + sp + ("," + sp).join(spelling(r, k) + sp + ":" + sp + spelling(r, v) for k, v in items) + sp + "}"
    if isinstance(obj, list):
        sp = r.choice(["", " "])
        return "[" + sp + ("," + sp).join(spelling(r, v) for v in obj) + sp + "]"
    return json.dumps(obj, ensure_ascii=r.random() < 0.5)


def run_tool(tool, args, lines):
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    out = subprocess.run([tool, *args], input=data, capture_output=True, check=True).stdout
    got = out.split(b"\n")
    if got[-1] != b"":
        raise SystemExit("tool output does not end with a line end")
    return [g.decode("utf-8") for g in got[:-1]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("verify_draw")
    ap.add_argument("protocol_md")
    ap.add_argument("--documents", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20260414)
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("verify_draw", a.verify_draw)
    vd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vd)

    def reference(obj):
        want = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert vd.canonical(obj) == want, "docs/verify_draw.py's canonical() is not json.dumps"
        return want

    failures = 0
    # The documented vector, both implementations.
    doc = open(a.protocol_md, encoding="utf-8").read()
    py = reference(VECTOR)
    if hashlib.sha256(py.encode("utf-8")).hexdigest() != VECTOR_SHA256 or VECTOR_SHA256 not in doc:
        print("FAIL: the escape test vector: Python gives", hashlib.sha256(py.encode()).hexdigest(),
              "; in the protocol text:", VECTOR_SHA256 in doc)
        failures += 1
    [cpp] = run_tool(a.tool, [], [json.dumps(VECTOR)])
    if cpp != py:
        print("FAIL: the escape test vector: suiji writes", ascii(cpp), "Python", ascii(py))
        failures += 1

    r = random.Random(a.seed)
    docs = [rand_value(r, 0) for _ in range(a.documents)]
    # Mostly objects and arrays at the top, as everything suiji hashes is an object.
    docs += [{rand_string(r): rand_value(r, 1) for _ in range(r.randrange(1, 8))} for _ in range(a.documents)]
    got = run_tool(a.tool, [], [spelling(r, d) for d in docs])
    for d, g in zip(docs, got):
        if g != reference(d):
            failures += 1
            if failures <= 5:
                print("FAIL: document", ascii(reference(d))[:300], "\n  suiji:", ascii(g)[:300])
    records = []
    for _ in range(a.documents):
        records.append({"seq": r.randrange(1, 2**62), "at": rand_string(r), "actor": rand_string(r),
                        "action": rand_string(r), "subject": rand_string(r),
                        "payload": {rand_string(r): rand_value(r, 1) for _ in range(r.randrange(0, 6))},
                        "prev_hash": r.choice([rand_string(r), "%064x" % r.getrandbits(256)])})
    got_records = run_tool(a.tool, ["--audit-record"], [spelling(r, x) for x in records])
    for x, g in zip(records, got_records):
        if g != reference(x):
            failures += 1
            if failures <= 5:
                print("FAIL: audit record", ascii(reference(x))[:300], "\n  suiji:", ascii(g)[:300])
    n_strings = sum(json.dumps(d).count('"') // 2 for d in docs)
    print(f"{len(docs)} documents (about {n_strings} strings) and {len(records)} audit records, seed {a.seed}: "
          f"{failures} differences between suiji and json.dumps")
    return 1 if failures or len(got) != len(docs) or len(got_records) != len(records) else 0


if __name__ == "__main__":
    sys.exit(main())
