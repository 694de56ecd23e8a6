#!/usr/bin/env python3
"""One public (一公开) end to end, through the real `suiji serve` on one backend with a real HTTP client:

draw -> pair (CLI) -> an officer of the team enters the result -> evidence -> signs -> a second officer
signs (submitted) -> a reviewer returns it -> the team rewrites and signs again -> approve -> publish
-> the public finds it (by name, code, region, item, result, dates), its entity page, the draw, the
change feed and the statistics -> the entity objects with its code -> upheld: a corrected version,
the earlier one in the public history; and the reject path. Along the way: who may do what (an officer
outside the team, the team's own officer reviewing, one officer alone cannot submit), bad input, the
20-working-day deadline computed from data/reference/calendar independently of suiji, the due list,
a year without a calendar refused, and a scan of every public answer for internal fields and values.
Afterwards the published results are the history the next draw excludes (recently inspected) and the
inspection record the next credit run reads. The clock starts at SUIJI_CLOCK_START so dates hold.

    results_e2e.py --suiji BIN --root SRC --work DIR [--db URL]
"""
import csv
import datetime
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from restlib import FAILURES, Api, check, draw_of, flat_plan_for, plan_for, run, setup, start_server  # noqa: E402

TODAY = '2026-12-07'
os.environ['SUIJI_CLOCK_START'] = TODAY + 'T09:00:00Z'


def working_days_after(root, start, n):
    """Independent of suiji: weekdays minus holidays plus make-up days, from the calendar files."""
    listed = {}
    for year in (2025, 2026):
        for r in csv.DictReader(open(os.path.join(root, 'data/reference/calendar/%d.csv' % year), encoding='utf-8')):
            listed[r['date']] = r['kind'] == 'workday'
    d = datetime.date.fromisoformat(start)
    while n:
        d += datetime.timedelta(days=1)
        if listed.get(d.isoformat(), d.weekday() < 5):
            n -= 1
    return d.isoformat()


def main():
    a, s, db = setup('results.db', 2027, 6000)
    run(s, db, 'credit', 'score', '--as-of', '2026-11-30')
    plan = plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-RESULTS')
    run(s, db, 'draw', 'commit', plan, '--as-of', '2026-11-30')
    draw = run(s, db, 'draw', 'list').stdout.strip().splitlines()[-1].split()[0]
    run(s, db, 'draw', 'reveal', draw, '--entropy', '3141 5926 5358 9793 2384')
    run(s, db, 'pair', 'commit', draw)
    run(s, db, 'pair', 'reveal', draw + '-P1', '--entropy', '2718 2818 2845 9045 2353')
    # A second plan with one stratum (no credit classes): its bundle may be public.
    run(s, db, 'draw', 'commit', flat_plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-FLAT'),
        '--as-of', '2026-11-30')
    flat_draw = draw_of(s, db, '510100-SAMR-2026-FLAT')
    run(s, db, 'draw', 'reveal', flat_draw, '--entropy', '1414 2135 6237 3095 0488')
    tasks = []
    for line in run(s, db, 'task', 'list', '--draw', draw).stdout.splitlines():
        m = re.match(r'(R-\w+)  (\S+)  (\S+)  (\S+)  team (\S+)$', line)
        if m:
            tasks.append({'result_id': m.group(1), 'entity': m.group(3), 'team': m.group(5).split(',')})
    check(len(tasks) >= 3, 'tasks of the paired draw: %d' % len(tasks))
    t1, t2 = tasks[0], next(t for t in tasks[1:] if set(t['team']) != set(tasks[0]['team']))
    officers = [r['执法证号'] for r in csv.DictReader(open(os.path.join(a.work, 'officers.csv'), encoding='utf-8-sig'))]
    outsider = next(o for o in officers if o not in t1['team'])
    entities = {r['统一社会信用代码']: r for r in csv.DictReader(open(os.path.join(a.work, 'entities.csv'), encoding='utf-8-sig'))}

    def client(cid, role, unit='', officer=''):
        args = ['client', 'add', cid, '--department', 'SAMR', '--role', role]
        if unit:
            args += ['--org-unit', unit]
        if officer:
            args += ['--officer', officer]
        return re.search(r'token \(shown once, store it now\): (\S+)', run(s, db, *args).stdout).group(1)
    oa = client('officer-a', 'officer', officer=t1['team'][0])
    ob = client('officer-b', 'officer', officer=t1['team'][1])
    out = client('officer-x', 'officer', officer=outsider)
    t2a = client('officer-c', 'officer', officer=t2['team'][0])
    t2b = client('officer-d', 'officer', officer=t2['team'][1])
    reviewer = client('reviewer', 'reviewer', '510100-SAMR')
    team_reviewer = client('reviewer-of-team', 'reviewer', '510100-SAMR', officer=t1['team'][0])
    county = client('jinjiang-reviewer', 'reviewer', '510104-SAMR')
    planner = client('planner', 'planner', '510100-SAMR')
    auditor = client('auditor', 'auditor')

    bulk = os.path.join(a.work, 'bulk')
    # No public rate limit here: this test makes far more than 50 public requests a second (the limit
    # has its own server below).
    proc, port = start_server(s, db, ('--evidence-dir', os.path.join(a.work, 'evidence'), '--bulk-dir', bulk,
                                      '--public-rate', '0'))
    try:
        doc = yaml.safe_load(urllib.request.urlopen('http://127.0.0.1:%d/api/v1/openapi.yaml' % port, timeout=10).read())
        api = Api(port, doc)
        items = None
        st, _, body = api.get('/api/v1/tasks', oa)
        api.validate('TaskList', body, 'tasks')
        check(st == 200 and body['items'] and all(t1['team'][0] in t['team'] for t in body['items']),
              'an officer lists only its own team\'s tasks')
        items = next(t['items'] for t in body['items'] if t['entity_id'] == t1['entity'])
        check(api.get('/api/v1/tasks', reviewer)[2]['items'].__len__() == len(tasks), 'the city reviewer sees every task')
        check(api.get('/api/v1/tasks', county)[2]['items'] == [], 'a county reviewer sees none of the city\'s tasks')

        def result_body(entity, code='未发现问题', outcome='no_problem', inspected='2026-12-01', **extra):
            b = {'draw_id': draw, 'entity_id': entity, 'result': code, 'inspected_on': inspected,
                 'findings': [{'item': i, 'outcome': outcome, 'note': '内部备注-%s' % i} for i in items]}
            b.update(extra)
            return b

        # Who may enter: only an officer of the task's team.
        check(api.post('/api/v1/results', out, result_body(t1['entity']))[0] == 404, 'an officer outside the team')
        check(api.post('/api/v1/results', reviewer, result_body(t1['entity']))[0] == 403, 'a reviewer cannot enter')
        # Bad input: 4xx with the field named, nothing stored.
        bad = [
            (result_body(t1['entity'], code='查无此结果'), 422, 'result'),
            (dict(result_body(t1['entity']), findings=[]), 422, 'findings'),
            (result_body(t1['entity'], outcome='problem'), 422, 'result'),
            (result_body(t1['entity'], inspected='2026-12-31'), 422, 'concluded_on'),
            (result_body(t1['entity'], inspected='2024-12-30'), 422, 'date'),
            (result_body(t1['entity'], code='发现问题已责令改正', outcome='problem'), 422, 'follow_up'),
            (dict(result_body(t1['entity']), extra=1), 400, 'extra'),
            (dict(result_body(t1['entity']), findings='all fine'), 400, 'findings'),
        ]
        for b, want, field in bad:
            st, _, p = api.post('/api/v1/results', oa, b)
            check(st == want and any(field in e['field'] for e in p.get('errors', [])) or (st == want and field == 'date'),
                  'bad result (%s): %d %s' % (field, st, p))
        st, _, p = api.post('/api/v1/results', oa, result_body(t1['entity'], inspected='2024-12-30'))
        check('2024' in p.get('detail', '') and 'calendar' in p.get('detail', ''), 'a year without a calendar says so: %s' % p)
        check(api.get('/api/v1/results', reviewer)[2]['items'] == [], 'nothing stored by refused entries')

        # Enter, evidence, sign; one officer alone cannot submit.
        st, h, r1 = api.post('/api/v1/results', oa, result_body(t1['entity'], code='发现问题已责令改正', outcome='problem',
                                                                   follow_up={'kind': 'order_correction', 'deadline': '2026-12-20'}))
        api.validate('Result', r1, 'enter')
        rid = r1.get('result_id')
        check(st == 201 and rid == t1['result_id'] and h.get('Location') == '/api/v1/results/' + rid, 'enter: %d %s' % (st, r1))
        want_due = working_days_after(a.root, '2026-12-01', 20)
        check(r1.get('due_on') == want_due, 'deadline: suiji %s, the calendar %s' % (r1.get('due_on'), want_due))
        evidence = '现场检查笔录（测试）'.encode() * 50
        st, _, r = api.post('/api/v1/results/%s/evidence?name=%s' % (rid, 'bilu.pdf'), oa, evidence,
                            {'Content-Type': 'application/octet-stream'})
        sha = hashlib.sha256(evidence).hexdigest()
        check(st == 201 and r['evidence'] and r['evidence'][0]['sha256'] == sha, 'evidence: %d %s' % (st, r.get('evidence')))
        check(os.path.exists(os.path.join(a.work, 'evidence', sha[:2], sha)), 'the evidence file is stored by its digest')
        check(api.post('/api/v1/results/%s/sign' % rid, oa)[2]['state'] == 'draft', 'one signature keeps it a draft')
        check(api.post('/api/v1/results/%s/sign' % rid, oa)[0] == 409, 'the same officer cannot sign twice')
        check(api.post('/api/v1/results/%s/approve' % rid, reviewer)[0] == 409, 'a draft cannot be approved')
        st, _, r = api.post('/api/v1/results/%s/sign' % rid, ob)
        check(st == 200 and r['state'] == 'submitted' and sorted(r['signatures']) == sorted(t1['team'][:2]),
              'the second officer submits: %d %s' % (st, r.get('state')))
        check(api.post('/api/v1/results/%s/approve' % rid, team_reviewer)[0] == 403, 'a reviewer of the team itself')
        check(api.post('/api/v1/results/%s/approve' % rid, county)[0] == 404, 'a county reviewer cannot see the city\'s result')
        check(api.post('/api/v1/results/%s/return' % rid, reviewer, {})[0] == 400, 'a return without a reason')
        st, _, r = api.post('/api/v1/results/%s/return' % rid, reviewer, {'reason': '整改期限应为15个工作日'})
        check(st == 200 and r['state'] == 'returned' and r['signatures'] == [], 'returned: %d %s' % (st, r.get('state')))
        st, _, r = api.post('/api/v1/results', oa, result_body(t1['entity'], code='发现问题已责令改正', outcome='problem',
                                                                 follow_up={'kind': 'order_correction', 'deadline': '2026-12-22'}))
        check(st == 200 and r['state'] == 'draft' and r['evidence'], 'rewritten after the return: %d %s' % (st, r.get('state')))
        api.post('/api/v1/results/%s/sign' % rid, ob)
        api.post('/api/v1/results/%s/sign' % rid, oa)
        st, _, r = api.post('/api/v1/results/%s/approve' % rid, reviewer)
        check(st == 200 and r['state'] == 'approved', 'approved: %d %s' % (st, r))
        check(api.get('/api/v1/public/results?code=' + t1['entity'])[2]['items'] == [], 'nothing public before publication')
        st, _, due = api.get('/api/v1/results/due?within=30&today=' + TODAY, reviewer)
        api.validate('DueList', due, 'due')
        check(any(d['result_id'] == rid and d['working_days_left'] > 0 for d in due['items']), 'the approved result is due')
        st, _, due = api.get('/api/v1/results/due?within=0&today=2026-12-31', reviewer)
        check(any(d['result_id'] == rid and d['overdue'] for d in due['items']), 'overdue after its deadline: %s' % due)
        check(api.post('/api/v1/results/%s/publish' % rid, planner)[0] == 403, 'a planner does not publish')
        st, _, pub = api.post('/api/v1/results/%s/publish' % rid, reviewer)
        api.validate('PublishedResult', pub, 'publish')
        check(st == 200 and pub['state'] == 'published' and pub['on_time'] and pub['objection_code'], 'publish: %d %s' % (st, pub))
        code = pub['objection_code']
        check(api.post('/api/v1/results', oa, result_body(t1['entity']))[0] == 409, 'a published result is never rewritten')
        check(api.post('/api/v1/results/%s/publish' % rid, reviewer)[0] == 409, 'published twice')

        # The second task: the reject path.
        st, _, r = api.post('/api/v1/results', t2a, result_body(t2['entity']))
        rid2 = r['result_id']
        api.post('/api/v1/results/%s/sign' % rid2, t2a)
        api.post('/api/v1/results/%s/sign' % rid2, t2b)
        api.post('/api/v1/results/%s/approve' % rid2, reviewer)
        st, _, pub2 = api.post('/api/v1/results/%s/publish' % rid2, reviewer)
        check(st == 200, 'the second result published: %d' % st)

        # The public record.
        e1 = entities[t1['entity']]
        public = []

        def pget(path):
            st, _, body = api.get(path)
            public.append((path, body))
            return st, body
        st, page = pget('/api/v1/public/results?code=' + t1['entity'])
        api.validate('PublicResultPage', page, 'public search')
        check(st == 200 and page['total'] == 1 and page['items'][0]['record_id'] == rid, 'search by code: %s' % page)
        item0 = page['items'][0]
        check(item0['result']['code'] == 'corrected' and item0['result']['label_zh'] == '发现问题已责令改正', 'the result label')
        check(item0['follow_up'] == {'kind': 'order_correction', 'deadline': '2026-12-22', 'to': ''}, 'the follow-up')
        check(all(re.match(r'^O-[0-9a-f]{12}$', p) for p in item0['team']), 'the team by pseudonym only')
        name_part = e1['名称'][2:6]
        st, page = pget('/api/v1/public/results?name=' + urllib.parse.quote(name_part))
        check(any(i['record_id'] == rid for i in page['items']), 'search by a name substring %s' % name_part)
        for q, want in (('region=510100', 2), ('region=510000', 2), ('region=' + e1['登记机关区划'], None),
                        ('region=510500', 0), ('result=corrected', 1), ('result=未发现问题', 1), ('item=' + items[0], 2),
                        ('from=2026-12-01&to=2026-12-01', 2), ('from=2026-12-02', 0), ('department=SAMR', 2),
                        ('department=MEE', 0)):
            st, page = pget('/api/v1/public/results?' + urllib.parse.quote(q, safe='=&'))
            if want is not None:
                check(st == 200 and page['total'] == want, 'public search %s: %d total %s' % (q, st, page.get('total')))
            else:
                check(st == 200 and any(i['record_id'] == rid for i in page['items']), 'search by the county %s' % q)
        st, page = pget('/api/v1/public/results?limit=1')
        check(len(page['items']) == 1 and page['next_after'] and page['total'] == 2, 'public paging')
        st, page2 = pget('/api/v1/public/results?limit=1&after=' + page['next_after'])
        check(len(page2['items']) == 1 and page2['items'][0]['record_id'] != page['items'][0]['record_id'], 'the next page')
        for q in ('region=51', 'result=nothing', 'from=2026-13-01', 'limit=0', 'nme=x'):
            check(400 <= api.get('/api/v1/public/results?' + q)[0] < 500, 'bad public search %s' % q)
        st, ent = pget('/api/v1/public/entities/' + t1['entity'])
        api.validate('PublicEntityPage', ent, 'entity page')
        check(st == 200 and [i['record_id'] for i in ent['inspections']] == [rid], 'the entity page lists its inspection')
        if e1.get('注册号'):
            check(api.get('/api/v1/public/entities/' + e1['注册号'])[0] == 200, 'the entity page by registration number')
        st, draws = pget('/api/v1/public/draws')
        check(any(d['draw_id'] == draw for d in draws['items']), 'the draw is public')
        st, dr = pget('/api/v1/public/draws/' + draw)
        api.validate('PublicDraw', dr, 'public draw')
        check(t1['entity'] in [x['entity_id'] for x in dr['drawn']], 'the public draw lists the drawn entity')
        # The bundle: refused for this class-stratified plan; served (draw stage) for a plan with one stratum.
        st, _, p403 = api.get('/api/v1/public/draws/%s/bundle' % draw)
        check(st == 403 and 'credit class' in p403.get('detail', ''), 'a class-stratified bundle is not public: %d' % st)
        st, h, tar = api.get('/api/v1/public/draws/%s/bundle' % flat_draw, raw=True)
        check(st == 200 and h.get('Content-Type', '').startswith('application/x-tar'), 'a flat plan\'s public bundle: %d' % st)
        if st == 200:
            with tarfile.open(fileobj=io.BytesIO(tar)) as t:
                names = t.getnames()
                t.extractall(os.path.join(a.work, 'public-bundle'))
            check(not any('pair' in n for n in names), 'no pairing files in the public bundle: %s' % names)
            v = subprocess.run([s, 'verify', os.path.join(a.work, 'public-bundle', flat_draw)], capture_output=True, text=True)
            check(v.returncode == 0 and 'MATCH' in v.stdout, 'the public bundle verifies: %s %s' % (v.stdout[-200:], v.stderr[-200:]))
        # Plans: the rules as drawn, the draws of each; a stored plan not yet drawn too.
        st, plans = pget('/api/v1/public/plans')
        for pl in plans.get('items', []):
            api.validate('PublicPlan', pl, 'public plan ' + pl.get('plan_id', '?'))
        by_id = {pl['plan_id']: pl for pl in plans.get('items', [])}
        check(st == 200 and {'510100-SAMR-2026-RESULTS', '510100-SAMR-2026-FLAT'} <= set(by_id), 'public plans: %s' % list(by_id))
        main_plan = by_id.get('510100-SAMR-2026-RESULTS', {})
        check([d['draw_id'] for d in main_plan.get('draws', [])] == [draw] and main_plan['draws'][0]['state'] == 'revealed',
              'the plan lists its draw: %s' % main_plan.get('draws'))
        check(all(i['name'] for i in main_plan.get('items', [])) and main_plan.get('items'), 'item names: %s' % main_plan.get('items'))
        check([x['stratum'] for x in main_plan.get('sampling', [])] == ['A', 'B', 'C', 'D', 'unclassified'],
              'the sampling rule per class: %s' % main_plan.get('sampling'))
        check([x['stratum'] for x in by_id.get('510100-SAMR-2026-FLAT', {}).get('sampling', [])] == ['all'], 'a flat plan')
        committed = run(s, db, 'plan', 'validate', plan).stdout
        check(main_plan.get('plan_digest', '-') in committed, 'the public plan digest is the committed one')
        st, one = pget('/api/v1/public/plans/510100-SAMR-2026-RESULTS')
        check(st == 200 and one == main_plan, 'one plan: %d' % st)
        check(api.get('/api/v1/public/plans/NO-SUCH-PLAN')[0] == 404, 'an unknown plan is 404')
        stored = plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-STORED')
        run(s, db, 'plan', 'store', stored)
        st, sp = pget('/api/v1/public/plans/510100-SAMR-2026-STORED')
        check(st == 200 and sp['draws'] == [], 'a stored plan not yet drawn: %d %s' % (st, sp.get('draws')))
        st, stats = pget('/api/v1/public/stats')
        api.validate('PublicStats', stats, 'stats')
        check(stats['published'] == 2 and stats['with_problems'] == 1 and stats['published_on_time'] == 2, 'stats: %s' % stats)

        # Chinese labels of the field names, by parameter or by Accept-Language; the records themselves the same.
        st, zh = pget('/api/v1/public/results/%s?lang=zh' % rid)
        api.validate('PublicRecord', zh, 'public record ?lang=zh')
        check(st == 200 and zh.get('labels', {}).get('inspected_on') == '检查日期' and
              {k: v for k, v in zh.items() if k != 'labels'} == api.get('/api/v1/public/results/' + rid)[2],
              'labels with ?lang=zh: %s' % str(zh.get('labels'))[:100])
        st, _, al = api.get('/api/v1/public/results?limit=1', headers={'Accept-Language': 'zh-CN,zh;q=0.9'})
        check(st == 200 and al.get('labels', {}).get('total') == '总数', 'labels with Accept-Language: zh')
        check('labels' not in api.get('/api/v1/public/results?limit=1')[2], 'no labels by default')
        check(api.get('/api/v1/public/stats?lang=fr')[0] == 400, 'lang is zh or en')

        # Caching: an ETag, and 304 for a client that has the answer already.
        st, h, _ = api.get('/api/v1/public/results/' + rid)
        etag = h.get('ETag', '')
        check(st == 200 and etag.startswith('"') and 'public' in h.get('Cache-Control', ''), 'public caching headers: %s' % h)
        st, h2, body304 = api.get('/api/v1/public/results/' + rid, headers={'If-None-Match': etag}, raw=True)
        check(st == 304 and body304 == b'' and h2.get('ETag') == etag, 'If-None-Match: %d %r' % (st, body304[:80]))
        st, h, _ = api.get('/api/v1/results', reviewer)
        check(h.get('Cache-Control') == 'no-store' and 'ETag' not in h, 'regulator answers are never cached by clients')
        # Metrics: the deadline gauges agree with the due list.
        metrics = urllib.request.urlopen(api.base + '/metrics', timeout=10).read().decode()
        due_now = api.get('/api/v1/results/due?within=5', reviewer)[2]['items']
        m_due = re.search(r'^suiji_results_due (\d+)$', metrics, re.M)
        m_over = re.search(r'^suiji_results_overdue (\d+)$', metrics, re.M)
        check(m_due and m_over and int(m_due.group(1)) == sum(1 for d in due_now if not d['overdue']) and
              int(m_over.group(1)) == sum(1 for d in due_now if d['overdue']), 'deadline gauges: %s %s' % (m_due, m_over))

        # The objection: wrong code refused; filed; pending on the public record; upheld -> version 2.
        check(api.post('/api/v1/public/objections', None, {'result_id': rid, 'code': '0000-0000-0000-0000', 'reason': 'x'})[0] == 403,
              'a wrong objection code')
        contact = '联系人王女士 13800000000'
        st, _, rec = api.post('/api/v1/public/objections', None,
                              {'result_id': rid, 'code': code, 'reason': '整改已于检查当日完成', 'contact': contact})
        check(st == 201 and rec['state'] == 'pending' and rec['receipt_no'].startswith('YY-'), 'objection filed: %d %s' % (st, rec))
        receipt = rec.get('receipt_no', '')
        check(api.post('/api/v1/public/objections', None, {'result_id': rid, 'code': code, 'reason': 'again'})[0] == 409,
              'a second objection while one is pending')
        st, record = pget('/api/v1/public/results/' + rid)
        api.validate('PublicRecord', record, 'public record')
        check(record['pending_objection'] and record['pending_objection']['receipt_no'] == receipt, 'the record shows it pending')
        st, _, objs = api.get('/api/v1/objections?state=pending', reviewer)
        check([o['receipt_no'] for o in objs['items']] == [receipt] and objs['items'][0]['contact'] == contact,
              'the regulator sees the objection with its contact')
        check(api.post('/api/v1/objections/%s/decision' % receipt, county, {'decision': 'rejected', 'reason': 'x'})[0] == 404,
              'a county reviewer cannot decide the city\'s objection')
        check(api.post('/api/v1/objections/%s/decision' % receipt, reviewer, {'decision': 'upheld', 'reason': 'x'})[0] == 422,
              'upheld without the corrected result')
        correction = {'result': '发现问题已责令改正', 'inspected_on': '2026-12-01',
                      'findings': [{'item': i, 'outcome': 'problem' if i == items[0] else 'no_problem'} for i in items],
                      'follow_up': {'kind': 'order_correction', 'deadline': '2026-12-01'}}
        st, _, d = api.post('/api/v1/objections/%s/decision' % receipt, reviewer,
                            {'decision': 'upheld', 'reason': '经核实，整改已于检查当日完成，更正整改期限', 'correction': correction})
        api.validate('DecisionAnswer', d, 'decision')
        check(st == 200 and d['state'] == 'upheld' and d['corrected_version'] == 2, 'upheld: %d %s' % (st, d))
        st, record = pget('/api/v1/public/results/' + rid)
        check(record['version'] == 2 and [h['version'] for h in record['history']] == [1, 2] and
              record['history'][1]['correction_reason'].startswith('经核实') and record['pending_objection'] is None and
              record['objections'][0]['state'] == 'upheld', 'the corrected record keeps its history: %s' % record)
        check(record['follow_up']['deadline'] == '2026-12-01', 'the corrected version is current')
        check(api.post('/api/v1/objections/%s/decision' % receipt, reviewer, {'decision': 'rejected', 'reason': 'x'})[0] == 409,
              'an objection is decided once')
        # The reject path.
        st, _, rec2 = api.post('/api/v1/public/objections', None, {'result_id': rid2, 'code': pub2['objection_code'], 'reason': '不服'})
        st, _, d2 = api.post('/api/v1/objections/%s/decision' % rec2['receipt_no'], reviewer,
                             {'decision': 'rejected', 'reason': '检查记录与现场照片一致'})
        check(st == 200 and d2['state'] == 'rejected' and d2['corrected_version'] == 0, 'rejected: %d %s' % (st, d2))
        st, record2 = pget('/api/v1/public/results/' + rid2)
        check(record2['version'] == 1 and record2['objections'][0]['decision_reason'] == '检查记录与现场照片一致',
              'a rejected objection is published with its reason, the result unchanged')
        st, feed = pget('/api/v1/public/changes?since=0')
        api.validate('ChangeFeed', feed, 'changes')
        kinds = [c['kind'] for c in feed['items'] if c['record_id'] == rid]
        check(kinds == ['published', 'objection_filed', 'corrected', 'objection_upheld'], 'the change feed: %s' % kinds)
        st, tail = pget('/api/v1/public/changes?since=%d' % feed['next_since'])
        check(tail['items'] == [] and tail['next_since'] == feed['next_since'], 'nothing after the last change')
        st, ent = pget('/api/v1/public/entities/' + t1['entity'])
        check(ent['inspections'][0]['version'] == 2, 'the entity page shows the corrected version')

        # The daily bulk files: the same records, a manifest with digests and the audit chain's head.
        out = run(s, db, 'public', 'bulk', '--out', bulk, '--date', TODAY).stdout
        manifest = json.load(open(os.path.join(bulk, 'manifest-%s.json' % TODAY), encoding='utf-8'))
        for f in manifest['files']:
            raw = open(os.path.join(bulk, f['name']), 'rb').read()
            check(hashlib.sha256(raw).hexdigest() == f['sha256'] and len(raw) == f['bytes'] and f['rows'] == 2,
                  'bulk file %s against its manifest' % f['name'])
        text = gzip.decompress(open(os.path.join(bulk, 'results-%s.csv.gz' % TODAY), 'rb').read()).decode('utf-8')
        check(text.startswith('\ufeffrecord_id,') and len(text.strip().splitlines()) == 3, 'the CSV: BOM, header and 2 rows')
        lines = gzip.decompress(open(os.path.join(bulk, 'results-%s.jsonl.gz' % TODAY), 'rb').read()).decode().splitlines()
        by_id = {json.loads(line)['record_id']: json.loads(line) for line in lines}
        st, live = pget('/api/v1/public/results/' + rid)
        check(by_id.get(rid) == live, 'a JSON Lines record is the public record')
        head = re.search(r'head (\S+)', run(s, db, 'audit', 'verify').stdout)
        check(head and manifest['audit_chain_head']['hash'] == head.group(1), 'the manifest anchors the audit chain: %s' %
              manifest['audit_chain_head'])
        check(manifest['changes_seq'] == feed['next_since'], 'the manifest names the last change it includes')
        st, idx = pget('/api/v1/public/bulk')
        check(idx['items'] and idx['items'][0]['manifest'] == 'manifest-%s.json' % TODAY, 'the bulk index: %s' % idx)
        st, h, served = api.get('/api/v1/public/bulk/results-%s.csv.gz' % TODAY, raw=True)
        check(st == 200 and served == open(os.path.join(bulk, 'results-%s.csv.gz' % TODAY), 'rb').read() and
              h.get('Content-Type', '').startswith('application/gzip'), 'the bulk file over HTTP')
        for bad in ('..%2Frestlib.py', 'results-2026-12-07.csv', 'manifest-x.json', '%2Fetc%2Fpasswd'):
            check(api.get('/api/v1/public/bulk/' + bad)[0] in (400, 404), 'bulk name %s refused' % bad)
        for line in lines:
            rec = json.loads(line)
            public.append(('bulk jsonl', rec))
            check(rec == api.get('/api/v1/public/results/' + rec['record_id'])[2], 'the bulk record %s is the public one' % rec['record_id'])
        public.append(('bulk csv', text))
        print(out.strip().splitlines()[-1])

        # Reports: the CLI and the API write the same documents; the public copies hide classes and officers.
        rep = os.path.join(a.work, 'reports')
        shutil.rmtree(rep, ignore_errors=True)
        out = run(s, db, 'report', 'plan', '510100-SAMR-2026-RESULTS', '--out', rep, '--format', 'html,xlsx,csv,json').stdout
        check(out.count('sha256') == 4, 'four formats: %s' % out)
        run(s, db, 'report', 'plan', '510100-SAMR-2026-RESULTS', '--out', rep, '--regulator', '--format', 'html,json')
        run(s, db, 'report', 'period', '--from', '2026-01-01', '--to', '2026-12-31', '--out', rep, '--format', 'html,xlsx,json')
        run(s, db, 'report', 'period', '--from', '2026-01-01', '--to', '2026-12-31', '--out', rep, '--regulator', '--format', 'json')
        audit_out = run(s, db, 'report', 'audit', '--from', '2026-01-01', '--to', '2026-12-31', '--out', rep, '--format', 'html,json').stdout
        check(re.search(r'audit OK: \d+ draws re-verified, chain OK', audit_out), 'the audit report re-verifies every draw: %s' % audit_out)
        html = open(os.path.join(rep, 'plan-510100-SAMR-2026-RESULTS.html'), encoding='utf-8').read()
        check('<script' not in html and 'https://' not in html and html.count('<svg') >= 2, 'the HTML report is self-contained with charts')
        with zipfile.ZipFile(os.path.join(rep, 'plan-510100-SAMR-2026-RESULTS.xlsx')) as z:
            sheets = [n for n in z.namelist() if n.startswith('xl/worksheets/sheet')]
        check(len(sheets) >= 5, 'the XLSX has a sheet per table: %s' % sheets)
        csv_text = open(os.path.join(rep, 'plan-510100-SAMR-2026-RESULTS.csv'), 'rb').read()
        check(csv_text.startswith(b'\xef\xbb\xbf'), 'the CSV report starts with a BOM')
        pub_plan = json.load(open(os.path.join(rep, 'plan-510100-SAMR-2026-RESULTS.json'), encoding='utf-8'))
        reg_plan = json.load(open(os.path.join(rep, 'plan-510100-SAMR-2026-RESULTS-regulator.json'), encoding='utf-8'))
        pub_period = json.load(open(os.path.join(rep, 'period-2026-01-01_2026-12-31.json'), encoding='utf-8'))
        reg_period = json.load(open(os.path.join(rep, 'period-2026-01-01_2026-12-31-regulator.json'), encoding='utf-8'))

        def tables(doc):
            return {t['id']: t for sec in doc['sections'] for t in sec['tables']}
        check('strata' not in tables(pub_plan) and 'strata' in tables(reg_plan), 'strata only in the regulator copy of a class plan')
        check('by_credit_class' not in tables(pub_period) and 'by_credit_class' in tables(reg_period), 'classes only in the regulator copy')
        reg_text = json.dumps(reg_plan, ensure_ascii=False)
        check(all(cert in reg_text for cert in t1['team']), 'the regulator copy names the officers by certificate')
        published = {r[0] for r in tables(pub_plan)['results']['rows']}
        check(len(published) == 2, 'the plan report lists the two published results: %s' % published)
        est = [p for sec in pub_plan['sections'] if sec['id'] == 'estimates' for p in sec['paragraphs']]
        check(est and '95%' in est[0], 'the estimate in words: %s' % est)
        st, h, body = api.get('/api/v1/public/reports/plans/510100-SAMR-2026-RESULTS?format=json', raw=True)
        check(st == 200 and json.loads(body) == {**pub_plan, 'meta': json.loads(body)['meta']}, 'the public report over HTTP is the CLI\'s')
        public.append(('public plan report', json.loads(body)))
        st, _, body = api.get('/api/v1/public/reports/period?from=2026-01-01&to=2026-12-31&format=json', raw=True)
        check(st == 200, 'the public period report: %d' % st)
        public.append(('public period report', json.loads(body)))
        st, h, body = api.get('/api/v1/public/reports/plans/510100-SAMR-2026-RESULTS', raw=True)
        check(st == 200 and h.get('Content-Type', '').startswith('text/html') and b'<svg' in body, 'the public HTML report')
        public.append(('public plan report html', body.decode('utf-8')))
        st, h, body = api.get('/api/v1/public/reports/plans/510100-SAMR-2026-RESULTS?format=xlsx', raw=True)
        check(st == 200 and body[:2] == b'PK' and 'attachment' in h.get('Content-Disposition', ''), 'the XLSX download')
        check(api.get('/api/v1/public/reports/plans/510100-SAMR-2026-RESULTS?copy=regulator')[0] == 400,
              'the public route has no regulator copy')
        check(api.get('/api/v1/public/reports/period?from=2026-13-01&to=2026-12-31')[0] == 422, 'a bad period is 422')
        st, _, body = api.get('/api/v1/reports/plans/510100-SAMR-2026-RESULTS?format=json', reviewer, raw=True)
        check(st == 200 and all(cert in body.decode() for cert in t1['team']), 'the regulator report over HTTP: %d' % st)
        check(api.get('/api/v1/reports/plans/510100-SAMR-2026-RESULTS', county)[0] == 404, 'another unit\'s plan report is 404')
        st, _, body = api.get('/api/v1/reports/audit?from=2026-01-01&to=2026-12-31&format=json', auditor, raw=True)
        check(st == 200 and 'MATCH' in body.decode(), 'the audit report over HTTP: %d' % st)

        # Nothing internal on any public answer.
        team_certs = set(t1['team'] + t2['team'])
        forbidden_keys = {'score', 'class', 'cls', 'cert_no', 'signatures', 'contact', 'note', 'evidence', 'legal_rep',
                          'objection_code', 'objection_code_hash', 'reviewed_by', 'strata', 'stratum', 'return_reason'}
        forbidden_values = team_certs | {sha, contact, code, '内部备注', '整改期限应为15个工作日', e1.get('法定代表人', '') or '\0'}

        def walk(path, v):
            if isinstance(v, dict):
                for k, x in v.items():
                    if k == 'labels':
                        continue  # the dictionary of field names (?lang=zh), not data
                    if k == 'sampling' and '/public/plans' in path:
                        # A plan's rule per stratum is published policy (the PublicPlan schema allows
                        # nothing but stratum, ratio, min and max in it): no counts, no members.
                        check(all(set(r) == {'stratum', 'ratio', 'min', 'max'} for r in x), 'plan rules only: %s' % x)
                        continue
                    # A report's keys are its document structure (a chart's "note"); its values are scanned.
                    check(k not in forbidden_keys or 'report' in path, '%s: internal field %r' % (path, k))
                    walk(path, x)
            elif isinstance(v, list):
                for x in v:
                    walk(path, x)
            elif isinstance(v, str):
                for bad_value in forbidden_values:
                    check(bad_value not in v, '%s: internal value %r' % (path, bad_value))
        for path, body in public:
            walk(path, body)
        print('public answers scanned: %d' % len(public))

        check(api.post('/api/v1/results/%s/sign' % rid, oa)[0] == 409, 'a published result is not signed')
        st, _, report = api.post('/api/v1/audit/verify', auditor)
        check(st == 200 and report['ok'], 'the audit chain after the workflow: %s' % report)
        actions = run(s, db, 'audit', 'list', '--limit', '500').stdout
        for action in ('result.enter', 'result.evidence', 'result.sign', 'result.submit', 'result.return', 'result.approve',
                       'result.publish', 'objection.file', 'result.correct', 'objection.decide'):
            check(action in actions, 'audit event %s' % action)
    finally:
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the server stopped cleanly')

    # The public routes are rate-limited per address: 429 with Retry-After past --public-rate.
    proc, port = start_server(s, db, ('--public-rate', '5'))
    try:
        api = Api(port, doc)
        codes = [api.get('/api/v1/public/stats', raw=True)[0] for _ in range(12)]
        st, h, _ = api.get('/api/v1/public/draws')
        check(codes.count(200) <= 6 and 429 in codes and (st != 429 or h.get('Retry-After') == '1'),
              'public rate limit 5/s: %s' % codes)
        check(api.get('/healthz')[0] == 200, 'operations are not rate-limited')
    finally:
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the rate-limited server stopped cleanly')

    # Results feed the rest: the next draw excludes the inspected entities (recently inspected), and
    # the next credit run counts the problem found.
    plan2 = plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-NEXT')
    run(s, db, 'draw', 'commit', plan2, '--as-of', TODAY)
    d2 = draw_of(s, db, '510100-SAMR-2026-NEXT')
    run(s, db, 'draw', 'reveal', d2, '--entropy', '1618 0339 8874 9894 8482')
    run(s, db, 'draw', 'export', d2, os.path.join(a.work, 'next'))
    excluded = {r['entity_id']: r['rule'] for r in csv.DictReader(open(os.path.join(a.work, 'next', 'exclusions.csv'), encoding='utf-8'))}
    check(excluded.get(t1['entity']) == 'recently_inspected' and excluded.get(t2['entity']) == 'recently_inspected',
          'the next draw excludes the published inspections: %s %s' % (excluded.get(t1['entity']), excluded.get(t2['entity'])))
    run(s, db, 'credit', 'score', '--as-of', TODAY)
    explained = run(s, db, 'credit', 'explain', t1['entity'], '--as-of', TODAY).stdout
    m = re.search(r'inspection_problems_3y\s+value (\S+)', explained)
    check(m and m.group(1).startswith('1'), 'the credit run reads the published problem: %s' % (m.group(0) if m else explained[:400]))
    if FAILURES:
        print('%d failure(s)' % len(FAILURES), file=sys.stderr)
        return 1
    print('results end to end OK on %s: %d tasks' % (db.split(':')[0], len(tasks)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
