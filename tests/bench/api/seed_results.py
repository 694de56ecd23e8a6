#!/usr/bin/env python3
"""Seeds N published inspection results for the public-search benchmark, straight into the tables
(results, publications, public_results) as CSV for psql \\copy: a read benchmark needs the rows, not 4N workflow
transactions. Entities of 成都 (region 5101...) from the generated register, results cycling through the
vocabulary, the items of the generated item list.
    seed_results.py ENTITIES_CSV ITEMS_CSV N OUT_DIR   -> OUT_DIR/{results,publications,public_results}.csv"""
import csv
import hashlib
import json
import os
import sys

entities_csv, items_csv, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [r for r in csv.DictReader(open(entities_csv, encoding='utf-8-sig')) if r['登记机关区划'].startswith('5101')]
ids = [r['统一社会信用代码'] for r in rows]
names = {r['统一社会信用代码']: (r['名称'], r['登记机关区划']) for r in rows}
items = [r for r in csv.DictReader(open(items_csv, encoding='utf-8-sig'))]
codes = [r.get('事项编码') or r.get('code') or list(r.values())[1] for r in items][:3]
results = ['no_problem', 'no_problem', 'no_problem', 'corrected', 'follow_up', 'unreachable', 'no_activity']
with open(os.path.join(out, 'results.csv'), 'w', newline='', encoding='utf-8') as f, \
        open(os.path.join(out, 'publications.csv'), 'w', newline='', encoding='utf-8') as p, \
        open(os.path.join(out, 'public_results.csv'), 'w', newline='', encoding='utf-8') as q:
    w, pw, qw = csv.writer(f), csv.writer(p), csv.writer(q)
    for i in range(n):
        entity = ids[i % len(ids)]
        draw = 'D-bench%05d' % (i // len(ids))
        rid = 'R-' + hashlib.sha256((draw + '|' + entity).encode()).hexdigest()[:12]
        code = results[i % len(results)]
        outcome = 'problem' if code in ('corrected', 'follow_up') else 'no_problem'
        findings = json.dumps([{'item': c, 'outcome': outcome if k == 0 else 'no_problem', 'note': ''}
                               for k, c in enumerate(codes)], ensure_ascii=False)
        month = 1 + i % 11
        day = '2026-%02d-%02d' % (month, 1 + i % 27)
        follow = json.dumps({'kind': 'order_correction' if code == 'corrected' else '', 'deadline': '', 'to': ''})
        w.writerow([rid, 1, draw, draw + '-P1', entity, 'BENCH-PLAN', '510100-SAMR', 'SAMR', 'published', code, findings,
                    ',' + ','.join(codes) + ',', day, day, follow, '[]', '["51000000001","51000000002"]',
                    '["51000000001","51000000002"]', '', 'bench', day, day, day + 'T09:00:00.000Z', '', '',
                    day + 'T09:00:00.000Z'])
        pw.writerow([i + 1, rid, 1, 'published', entity, day + 'T09:00:00.000Z'])
        qw.writerow([rid, 1, entity, names[entity][0], names[entity][1], 'SAMR', code, ',' + ','.join(codes) + ',', day, day])
