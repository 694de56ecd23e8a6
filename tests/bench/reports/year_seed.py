#!/usr/bin/env python3
"""The helper of year_bench.sh (issue 13): a generated year of "double random, one public" work.

    year_seed.py units   ROOT WORK PLANS                    -> WORK/org_units.csv
    year_seed.py plans   ROOT WORK DB PLANS RESULTS         -> WORK/plans/*.yaml, WORK/plans.tsv
    year_seed.py results ROOT WORK TASKS DRAWS              -> WORK/{results,publications,public_results,
                                                               objections,inspections}.csv

units: the org units the tests load (data/examples/registers/org_units.csv: the province, 成都 and its
counties) plus one city SAMR unit for every other city of province 51 a plan is made for.

plans: PLANS plans over 2026, one per city of province 51 (the largest cities first; past the 21st the
cities are used again with another id), each drawing about RESULTS/PLANS entities: the ratio is
computed from the city's population (active entities, by credit class from the database). Even plans
draw one 'all' stratum, odd plans are stratified by credit class (B at twice A's ratio, C 30%, D 80%,
unclassified 5%). Items of the general SAMR kinds (no qualification), annual cap 2, a workload cap per
officer large enough for the city's busiest county. Each plan's line in plans.tsv: id, file, commit
time, reveal time, pairing times, draw entropy, pairing entropy (fixed digit strings per plan).

results: one published result for every task of `suiji task list` (TASKS; DRAWS maps draw -> plan):
result_id as api/app/results.cpp's ResultIdOf, codes from data/reference/inspection_results.csv with
about 8% problems, inspection within the plan's schedule, conclusion 0-5 days later, due_on the 20th
working day after (data/reference/calendar), published 1-20 working days after the conclusion and ~6%
late; ~0.5% with an objection (rejected, upheld with a corrected second version, or pending). Also
the inspection-history rows publication writes. All as CSV for psql \\copy, as seed_results.py does.
"""
import csv
import datetime
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys

ITEM_SETS = [['SAMR-001', 'SAMR-002'], ['SAMR-001', 'SAMR-003'], ['SAMR-002', 'SAMR-011', 'SAMR-012'], ['SAMR-001']]
# (code, weight in 10000): ~8% with problem = 1 in inspection_results.csv.
CODE_MIX = [('no_problem', 8600), ('no_activity', 350), ('closed', 250), ('unreachable', 350), ('not_publicized', 150),
            ('corrected', 180), ('follow_up', 80), ('false_publicity', 25), ('refused_serious', 15)]
LAST_PUBLICATION = '2026-12-04'  # the run's "today" is 2026-12-07


def regions(root):
    return {r['code']: r['name'] for r in csv.DictReader(open(os.path.join(root, 'data/reference/regions.csv'), encoding='utf-8'))}


def cities(root):
    """Cities of province 51, largest (most counties) first, then by code."""
    names = regions(root)
    counties = {}
    for code in names:
        if code.startswith('51') and code[4:] != '00':
            counties.setdefault(code[:4] + '00', []).append(code)
    order = sorted((c for c in counties if c in names), key=lambda c: (-len(counties[c]), c))
    return order, counties, names


def chosen(root, plans):
    order, counties, names = cities(root)
    return [(order[k % len(order)], k // len(order)) for k in range(plans)], counties, names


def units(root, work, plans):
    picked, _, names = chosen(root, plans)
    src = os.path.join(root, 'data/examples/registers/org_units.csv')
    rows = list(csv.reader(open(src, encoding='utf-8-sig')))
    have = {r[0] for r in rows[1:]}
    for city, _ in picked:
        unit = city + '-SAMR'
        if unit not in have:
            rows.append([unit, names[city] + '市场监督管理局', '市级', '510000-SAMR', city, 'SAMR'])
            have.add(unit)
    with open(os.path.join(work, 'org_units.csv'), 'w', newline='', encoding='utf-8') as f:
        csv.writer(f).writerows(rows)


def psql(db, sql):
    out = subprocess.run(['psql', '-qAtX', '-F', '\t', db, '-c', sql], check=True, capture_output=True, text=True).stdout
    return [line.split('\t') for line in out.splitlines() if line]


def digits(tag, n=20):
    return str(int(hashlib.sha256(tag.encode()).hexdigest(), 16))[:n]


def plans(root, work, db, n_plans, n_results):
    picked, counties, names = chosen(root, n_plans)
    # Population per city and class (the run the draws classify by: the latest), and per county.
    run = psql(db, 'SELECT run_id FROM credit_runs ORDER BY created_at DESC LIMIT 1')
    run_id = run[0][0] if run else ''
    by_class = {}
    for city, cls, n in psql(db, "SELECT substr(e.region, 1, 4) || '00', COALESCE(s.class, 'unclassified'), count(*) "
                                 "FROM entities e LEFT JOIN credit_scores s ON s.entity_id = e.id AND s.run_id = '%s' "
                                 "WHERE e.status NOT IN ('deregistered', 'revoked') GROUP BY 1, 2" % run_id):
        by_class.setdefault(city, {})[cls] = int(n)
    by_county = {c: int(n) for c, n in psql(db, "SELECT region, count(*) FROM entities WHERE status NOT IN "
                                                "('deregistered', 'revoked') GROUP BY 1")}
    # Active SAMR officers whose own jurisdiction is a county (the conservative staffing bound).
    officers = {}
    for (j,) in psql(db, "SELECT jurisdictions FROM officers WHERE department = 'SAMR' AND status = 'active'"):
        for code in json.loads(j):
            officers[code] = officers.get(code, 0) + 1
    os.makedirs(os.path.join(work, 'plans'), exist_ok=True)
    target = n_results / n_plans
    start = datetime.date(2026, 1, 12)
    step = max(1, 270 // n_plans)
    lines = []
    for k, (city, round_) in enumerate(picked):
        pop = by_class.get(city, {})
        total = sum(pop.values())
        if total == 0:
            raise SystemExit('year_seed: no entities in %s' % city)
        plan_id = '%s-SAMR-2026-SJ%02d' % (city, k + 1)
        if k % 2 == 0:
            bp = min(10000, max(1, math.ceil(target * 10000 / total)))
            strata = '  - class: all\n    ratio_bp: %d\n' % bp
            quota = math.ceil(total * bp / 10000)
        else:
            # B at twice A's ratio, C 30%, D 80%, unclassified 5%: A's ratio so the strata add up to the target.
            fixed = {'C': 3000, 'D': 8000, 'unclassified': 500}
            rest = target - sum(math.ceil(pop.get(c, 0) * bp / 10000) for c, bp in fixed.items())
            weight = pop.get('A', 0) + 2 * pop.get('B', 0)
            a = min(5000, max(1, math.ceil(max(rest, 1) * 10000 / max(weight, 1))))
            ratios = {'A': a, 'B': min(10000, 2 * a), **fixed}
            strata = ''.join('  - class: %s\n    ratio_bp: %d\n' % (c, ratios[c]) for c in ('A', 'B', 'C', 'D', 'unclassified'))
            quota = sum(math.ceil(pop.get(c, 0) * bp / 10000) for c, bp in ratios.items())
        # Two officers a task; the busiest county against its own officers, with a margin.
        need = max(2 * quota * by_county.get(c, 0) / total / max(1, officers.get(c, 0)) for c in counties[city])
        cap = max(30, math.ceil(1.3 * need))
        reveal = start + datetime.timedelta(days=k * step)
        commit = reveal - datetime.timedelta(days=2)
        sched_start = reveal + datetime.timedelta(days=3)
        sched_end = sched_start + datetime.timedelta(days=50)
        items = ITEM_SETS[k % len(ITEM_SETS)]
        name = names[city]
        text = f"""version: 1
id: {plan_id}
title: {name}2026年度“双随机、一公开”抽查（第{k + 1}批{'' if round_ == 0 else '，补充'}）
org_unit: {city}-SAMR
year: 2026

departments:
  - code: SAMR
    name: {name}市场监督管理局
    officers: 2

items: [{', '.join(items)}]

filter:
  regions: [{city}]

strata:
{strata}
exclusions:
  recently_inspected:
    days: 180
  annual_cap:
    max: 2
  deregistered: true

team:
  max_entities_per_officer: {cap}

schedule:
  start: {sched_start}
  end: {sched_end}

entropy:
  source: dice
  digits: 20
"""
        path = os.path.join(work, 'plans', plan_id + '.yaml')
        open(path, 'w', encoding='utf-8').write(text)
        lines.append('\t'.join([plan_id, path, '%sT09:00:00Z' % commit, '%sT10:00:00Z' % reveal,
                                '%sT14:00:00Z' % reveal, '%sT10:00:00Z' % (reveal + datetime.timedelta(days=1)),
                                digits('draw|' + plan_id), digits('pair|' + plan_id), str(sched_start), str(sched_end),
                                ','.join(items), str(quota)]))
    open(os.path.join(work, 'plans.tsv'), 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


class Calendar:
    def __init__(self, root):
        self.listed = {}
        folder = os.path.join(root, 'data/reference/calendar')
        for name in os.listdir(folder):
            if name.endswith('.csv'):
                for r in csv.DictReader(open(os.path.join(folder, name), encoding='utf-8')):
                    self.listed[r['date']] = r['kind'] == 'workday'

    def add(self, d, n):
        while n:
            d += datetime.timedelta(days=1)
            if self.listed.get(d.isoformat(), d.weekday() < 5):
                n -= 1
        return d


def results(root, work, tasks_file, draws_file):
    rng = random.Random(13)
    cal = Calendar(root)
    codes = {r['code']: r for r in csv.DictReader(open(os.path.join(root, 'data/reference/inspection_results.csv'), encoding='utf-8'))}
    plan_of = {}
    for line in open(draws_file, encoding='utf-8'):
        draw, plan = line.split()[:2]
        plan_of[draw] = plan
    plans = {}
    for line in open(os.path.join(work, 'plans.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        plans[f[0]] = {'start': datetime.date.fromisoformat(f[8]), 'end': datetime.date.fromisoformat(f[9]),
                       'items': f[10].split(','), 'unit': f[0].split('-SAMR-')[0] + '-SAMR'}
    tasks = []
    pat = re.compile(r'(R-\w+)  (\S+)  (\S+)  (\S+)  team (\S+)$')
    for line in open(tasks_file, encoding='utf-8'):
        m = pat.match(line.rstrip('\n'))
        if m:
            tasks.append((m.group(1), m.group(2), m.group(3), m.group(5).split(',')))
    ids = {t[2] for t in tasks}
    entity = {}
    for r in csv.DictReader(open(os.path.join(work, 'entities.csv'), encoding='utf-8-sig')):
        if r['统一社会信用代码'] in ids:
            entity[r['统一社会信用代码']] = (r['名称'], r['登记机关区划'])
    mix_codes = [c for c, _ in CODE_MIX]
    mix_weights = [w for _, w in CODE_MIX]
    last = datetime.date.fromisoformat(LAST_PUBLICATION)
    seq = 0
    out = {n: open(os.path.join(work, n + '.csv'), 'w', newline='', encoding='utf-8')
           for n in ('results', 'publications', 'public_results', 'objections', 'inspections')}
    w = {n: csv.writer(f) for n, f in out.items()}
    counts = {'results': 0, 'late': 0, 'problems': 0, 'objections': 0, 'upheld': 0}
    seen_inspections = set()

    def findings(items, code):
        bad = codes[code]['outcome'] in ('problem', 'problem_corrected')
        return json.dumps([{'item': it, 'outcome': 'problem' if bad and i == 0 else 'no_problem', 'note': ''}
                           for i, it in enumerate(items)], ensure_ascii=False, separators=(',', ':'))

    def follow(code, concluded):
        if code == 'corrected':
            return {'kind': 'order_correction', 'deadline': (concluded + datetime.timedelta(days=15)).isoformat(), 'to': ''}
        if code == 'follow_up':
            return {'kind': 'penalty', 'deadline': '', 'to': ''}
        return {'kind': '', 'deadline': '', 'to': ''}

    def row(rid, version, draw, ent, plan, p, code, inspected, concluded, due, published, team, correction=''):
        at = published.isoformat() + 'T%02d:%02d:00.000Z' % (9 + rng.randrange(8), rng.randrange(60))
        fu = json.dumps(follow(code, concluded), ensure_ascii=False, separators=(',', ':'))
        items = ',' + ','.join(p['items']) + ','
        teamj = json.dumps(team, separators=(',', ':'))
        w['results'].writerow([rid, version, draw, draw + '-P1', ent, plan, p['unit'], 'SAMR', 'published', code,
                               findings(p['items'], code), items, inspected.isoformat(), concluded.isoformat(), fu, '[]',
                               teamj, teamj, '', 'reviewer-' + p['unit'], due.isoformat(), published.isoformat(), at,
                               correction, hashlib.sha256(('code|' + rid).encode()).hexdigest(), at])
        return at, items

    for rid, draw, ent, team in tasks:
        plan = plan_of[draw]
        p = plans[plan]
        code = rng.choices(mix_codes, mix_weights)[0]
        span = (p['end'] - p['start']).days
        inspected = p['start'] + datetime.timedelta(days=rng.randrange(span + 1))
        concluded = inspected + datetime.timedelta(days=rng.randrange(6))
        due = cal.add(concluded, 20)
        late = rng.random() < 0.06
        published = cal.add(concluded, 21 + rng.randrange(15) if late else 1 + rng.randrange(20))
        published = min(published, last)
        if published < concluded:
            published = concluded
        counts['late'] += published > due
        counts['problems'] += codes[code]['problem'] == '1'
        at, items = row(rid, 1, draw, ent, plan, p, code, inspected, concluded, due, published, team)
        seq += 1
        w['publications'].writerow([seq, rid, 1, 'published', ent, at])
        current, cur_code, cur_inspected = 1, code, inspected
        if rng.random() < 0.005 and published + datetime.timedelta(days=10) < last:
            counts['objections'] += 1
            filed = published + datetime.timedelta(days=1 + rng.randrange(7))
            filed_at = filed.isoformat() + 'T08:30:00.000Z'
            receipt = 'YY-%s-%s' % (filed.strftime('%Y%m%d'), hashlib.sha256(('obj|' + rid).encode()).hexdigest()[:8])
            seq += 1
            w['publications'].writerow([seq, rid, 1, 'objection_filed', ent, filed_at])
            u = rng.random()
            if u < 0.1:
                w['objections'].writerow([receipt, rid, 1, filed_at, '对检查结果有异议，请求复核', '', 'pending', '', '', '', 0])
            else:
                decided = filed + datetime.timedelta(days=2 + rng.randrange(5))
                decided_at = decided.isoformat() + 'T15:00:00.000Z'
                upheld = u < 0.4
                reason = '经复核，原检查结果认定有误，予以更正' if upheld else '经复核，原检查结果认定事实清楚，异议不成立'
                w['objections'].writerow([receipt, rid, 1, filed_at, '对检查结果有异议，请求复核', '', 'upheld' if upheld else 'rejected',
                                          reason, decided_at, 'reviewer-' + p['unit'], 2 if upheld else 0])
                if upheld:
                    counts['upheld'] += 1
                    cur_code = 'no_problem' if code != 'no_problem' else 'no_activity'
                    row(rid, 2, draw, ent, plan, p, cur_code, inspected, concluded, due, decided, team, reason)
                    current = 2
                    seq += 1
                    w['publications'].writerow([seq, rid, 2, 'corrected', ent, decided_at])
                seq += 1
                w['publications'].writerow([seq, rid, 1, 'objection_upheld' if upheld else 'objection_rejected', ent, decided_at])
        name, region = entity.get(ent, ('', ''))
        w['public_results'].writerow([rid, current, ent, name, region, 'SAMR', cur_code, items, cur_inspected.isoformat(),
                                      published.isoformat()])
        key = (ent, 'SAMR', cur_inspected.isoformat())
        if key not in seen_inspections:
            seen_inspections.add(key)
            w['inspections'].writerow([ent, 'SAMR', cur_inspected.isoformat(), codes[cur_code]['outcome'],
                                       json.dumps(team, separators=(',', ':')), plan])
        counts['results'] += 1
    for f in out.values():
        f.close()
    print('seeded %(results)d published results: %(problems)d with problems, %(late)d late, %(objections)d objections '
          '(%(upheld)d upheld, corrected)' % counts)


def main():
    cmd = sys.argv[1]
    if cmd == 'units':
        units(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == 'plans':
        plans(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == 'results':
        results(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main()
