#!/usr/bin/env python3
"""The public web page (web/) end to end: a database seeded through the CLI with drawn, paired and
published results (one corrected after an upheld objection, one with its objection pending, a serious
violation listing with its joint-punishment measures), a class-stratified plan and a flat (`all`) plan
with a substitution, served by the real `suiji serve` on a free port; then

- here, over HTTP: static serving (types, security headers, ETag/304, HEAD, 405, the views' paths,
  traversal refused, API paths untouched), `GET /api/v1/public/plans/{id}?include=draw` against
  docs/openapi.yaml, `--web off` and `--web-dir`;
- in Chromium (web_e2e.mjs, Playwright): every view on a phone and a desktop, keyboard only, 200% zoom,
  contrast, CSP, page weight, no internal data, the bundle downloaded and verified (MATCH).

    web_e2e.py --suiji BIN --root SRC --work DIR [--db URL]
Environment: SUIJI_NPM_PREFIX = the folder whose node_modules holds playwright-core (npm ci);
SUIJI_WEB_SERVE_FOR=SECONDS keeps the seeded server running that long afterwards (to look at it).
"""
import contextlib
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from restlib import FAILURES, Api, check, plan_for, run, setup, start_server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = '2026-12-07'
os.environ['SUIJI_CLOCK_START'] = TODAY + 'T09:00:00Z'
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Results entered for the tasks, in task order: (code, findings outcome, follow-up flags).
RESULTS = [('corrected', 'problem', ['--follow-up', 'order_correction', '--deadline', '2026-12-20']),
           ('no_problem', 'no_problem', []), ('not_publicized', 'problem', ['--follow-up', 'penalty']),
           ('no_activity', 'no_problem', []), ('follow_up', 'problem', ['--follow-up', 'transfer', '--to', '生态环境局']),
           ('no_problem', 'no_problem', []), ('closed', 'no_problem', []), ('unreachable', 'problem', []),
           ('no_problem', 'no_problem', []), ('no_problem', 'no_problem', []), ('false_publicity', 'problem', []),
           ('no_problem', 'no_problem', [])]


PLAN_ITEMS = ['SAMR-004', 'SAMR-005', 'SAMR-006']  # data/examples/demo/plan.yaml


def draw_of(s, db, plan_id):
    return next(line.split()[0] for line in run(s, db, 'draw', 'list').stdout.splitlines()
                if len(line.split()) > 2 and line.split()[1] == plan_id and line.split()[2] != 'superseded')


def seed(a, s, db):
    """Returns the fixture the browser test reads: ids, names and the values that must never show."""
    run(s, db, 'credit', 'score', '--as-of', '2026-11-30')
    main_id, flat_id = '510100-SAMR-2026-WEB', '510100-SAMR-2026-WEB-FLAT'
    plan = plan_for(a.root, a.work, '510100-SAMR', '510100', main_id)
    # More drawn entities than the demo's plan gives, so that the results take more than one page.
    text = re.sub(r'(?m)^    ratio: \d+%$', '    ratio: 8%', open(plan, encoding='utf-8').read())
    open(plan, 'w', encoding='utf-8').write(text)
    run(s, db, 'draw', 'commit', plan, '--as-of', '2026-11-30')
    draw = draw_of(s, db, main_id)
    run(s, db, 'draw', 'reveal', draw, '--entropy', '3141 5926 5358 9793 2384')
    run(s, db, 'pair', 'commit', draw)
    run(s, db, 'pair', 'reveal', draw + '-P1', '--entropy', '2718 2818 2845 9045 2353')
    # One stratum (no credit classes): its bundle is public. A substitution, so the page shows one.
    flat = open(plan_for(a.root, a.work, '510100-SAMR', '510100', flat_id), encoding='utf-8').read()
    flat = re.sub(r'(?ms)^strata:.*?(?=^exclusions:)', 'strata:\n  - class: all\n    ratio: 2%\n\n', flat)
    flat = re.sub(r'(?m)^title: .*$', 'title: 成都市2026年食品经营者抽查（不分层）', flat)
    open(os.path.join(a.work, 'flat.yaml'), 'w', encoding='utf-8').write(flat)
    run(s, db, 'draw', 'commit', os.path.join(a.work, 'flat.yaml'), '--as-of', '2026-11-30')
    flat_draw = draw_of(s, db, flat_id)
    run(s, db, 'draw', 'reveal', flat_draw, '--entropy', '1414 2135 6237 3095 0488')
    run(s, db, 'draw', 'export', flat_draw, os.path.join(a.work, 'flat-export'))
    tickets = list(csv.DictReader(open(os.path.join(a.work, 'flat-export', 'tickets.csv'), encoding='utf-8')))
    out_id = next(t['entity_id'] for t in tickets if t['list'] == 'drawn')
    sub_reason = '该主体已迁出成都市，不属本计划范围'
    run(s, db, 'draw', 'substitute', flat_draw, out_id, '--reason', sub_reason)
    run(s, db, 'plan', 'store', plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2027-WEB-NEXT'))

    tasks = []
    for line in run(s, db, 'task', 'list', '--draw', draw).stdout.splitlines():
        m = re.match(r'(R-\w+)  (\S+)  (\S+)  (\S+)  team (\S+)$', line)
        if m:
            tasks.append({'result_id': m.group(1), 'entity': m.group(3), 'team': m.group(5).split(',')})
    check(len(tasks) >= len(RESULTS), 'tasks of the paired draw: %d' % len(tasks))
    tasks = tasks[:len(RESULTS)]
    codes = {}
    for i, (t, (code, outcome, extra)) in enumerate(zip(tasks, RESULTS)):
        note = '内部备注%02d：现场负责人称' % i
        # Findings: the first item carries the outcome and the team's internal note, the others none found.
        run(s, db, 'result', 'enter', draw, t['entity'], '--officer', t['team'][0], '--result', code,
            '--inspected-on', '2026-12-0%d' % (1 + i % 3), '--finding', '%s=%s:%s' % (PLAN_ITEMS[0], outcome, note),
            '--all-items', 'no_problem', *extra)
        if i == 0:
            evidence = os.path.join(a.work, 'bilu.txt')
            open(evidence, 'w', encoding='utf-8').write('现场检查笔录（测试）')
            run(s, db, 'result', 'evidence', t['result_id'], evidence, '--officer', t['team'][0])
        run(s, db, 'result', 'sign', t['result_id'], '--officer', t['team'][0])
        run(s, db, 'result', 'sign', t['result_id'], '--officer', t['team'][1])
        if i == 0:
            run(s, db, 'result', 'return', t['result_id'], '--reason', '整改期限应为15个工作日')
            run(s, db, 'result', 'enter', draw, t['entity'], '--officer', t['team'][0], '--result', code,
                '--inspected-on', '2026-12-01', '--all-items', outcome, *extra)
            run(s, db, 'result', 'sign', t['result_id'], '--officer', t['team'][1])
            run(s, db, 'result', 'sign', t['result_id'], '--officer', t['team'][0])
        run(s, db, 'result', 'approve', t['result_id'])
        out = run(s, db, 'result', 'publish', t['result_id']).stdout
        codes[t['result_id']] = re.search(r'objection code \(shown once.*?\): (\S+)', out).group(1)
    t1, t2 = tasks[0], tasks[1]
    contact = '联系人王女士 13800000000'
    out = run(s, db, 'objection', 'file', t1['result_id'], '--code', codes[t1['result_id']],
              '--reason', '整改已于检查当日完成', '--contact', contact).stdout
    receipt = re.search(r'objection (\S+) filed', out).group(1)
    correction = '经核实，整改已于检查当日完成，更正整改期限'
    run(s, db, 'objection', 'decide', receipt, '--decision', 'upheld', '--reason', correction, '--result', 'corrected',
        '--inspected-on', '2026-12-01', '--all-items', 'problem', '--follow-up', 'order_correction',
        '--deadline', '2026-12-01')
    run(s, db, 'objection', 'file', t2['result_id'], '--code', codes[t2['result_id']], '--reason', '检查日期有误',
        '--contact', '李先生 13900000000')
    # A serious-violation listing of the first entity, and the joint-punishment measures it triggers.
    lists = os.path.join(a.work, 'lists.csv')
    with open(lists, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f)
        w.writerow(['决定书文号', '统一社会信用代码', '名录类别', '列入事由', '列入日期', '作出决定机关', '事由消除日期', '移出日期',
                    '移出事由', '移出机关'])
        w.writerow(['成市监严列〔2026〕7号', t1['entity'], '严重违法失信名单', '提交虚假材料取得登记', '2026-10-09',
                    '成都市市场监督管理局', '', '', '', ''])
    run(s, db, 'import', 'lists', lists)
    run(s, db, 'credit', 'flags', '--as-of', TODAY)

    entities = {r['统一社会信用代码']: r for r in csv.DictReader(open(os.path.join(a.work, 'entities.csv'), encoding='utf-8-sig'))}
    officers = {r['执法证号']: r for r in csv.DictReader(open(os.path.join(a.work, 'officers.csv'), encoding='utf-8-sig'))}
    certs = sorted({c for t in tasks for c in t['team']})
    # The scores and classes of every entity the pages name: the page must show neither.
    shown = [t['entity'] for t in tasks]
    scores = []
    for e in shown:
        m = re.search(r'score\s+([0-9.]+)', run(s, db, 'credit', 'explain', e, '--as-of', '2026-11-30').stdout)
        if m and len(m.group(1)) >= 4:
            scores.append(m.group(1))
    check(scores, 'the credit scores of the inspected entities were found')
    e1 = entities[t1['entity']]
    return {
        'today': TODAY,
        'published': len(tasks),
        'entity': {'id': t1['entity'], 'name': e1['名称'], 'regno': e1.get('注册号', '')},
        'second_entity': {'id': t2['entity'], 'name': entities[t2['entity']]['名称']},
        'name_part': e1['名称'][2:5],
        'correction_reason': correction,
        'listing': {'label': '严重违法失信名单', 'reason': '提交虚假材料取得登记'},
        'plan': {'id': main_id, 'draw': draw},
        'flat_plan': {'id': flat_id, 'draw': flat_draw, 'substituted': out_id, 'substitution_reason': sub_reason},
        'forbidden_values': sorted(set(certs + [officers[c]['姓名'] for c in certs if len(officers[c]['姓名']) >= 2] +
                                       [contact, '13800000000', '13900000000', '整改期限应为15个工作日', '内部备注',
                                        '现场检查笔录', 'bilu.txt'] + list(codes.values()) + scores +
                                       [entities[e]['法定代表人'] for e in shown if entities[e].get('法定代表人')])),
    }


def static_checks(api, root, fx):
    def get(path, **kw):
        return api.get(path, raw=True, **kw)
    index = open(os.path.join(root, 'web', 'index.html'), 'rb').read()
    for path in ('/', '/search', '/search?name=x', '/plans', '/plans/' + fx['plan']['id'], '/entities/' + fx['entity']['id'],
                 '/stats', '/plans/'):
        st, h, body = get(path)
        check(st == 200 and body == index and h.get('Content-Type') == 'text/html; charset=utf-8',
              '%s is index.html: %d %s' % (path, st, h.get('Content-Type')))
        for k, v in (('Content-Security-Policy', CSP), ('X-Content-Type-Options', 'nosniff'),
                     ('Referrer-Policy', 'no-referrer'), ('X-Frame-Options', 'DENY'), ('Cache-Control', 'no-cache')):
            check(h.get(k) == v, '%s: %s is %r' % (path, k, h.get(k)))
    for path, ctype in (('/style.css', 'text/css; charset=utf-8'), ('/js/app.js', 'text/javascript; charset=utf-8'),
                        ('/favicon.svg', 'image/svg+xml')):
        st, h, body = get(path)
        check(st == 200 and h.get('Content-Type') == ctype and body == open(os.path.join(root, 'web', path[1:]), 'rb').read(),
              '%s: %d %s' % (path, st, h.get('Content-Type')))
        check(h.get('Content-Security-Policy') == CSP, '%s carries the CSP' % path)
        st, h2, body = get(path, headers={'If-None-Match': h.get('ETag', '-')})
        check(st == 304 and body == b'' and h2.get('ETag') == h.get('ETag'), '%s revalidates: %d' % (path, st))
        st, _, body = get(path, method='HEAD')
        check(st == 200 and body == b'', 'HEAD %s: %d' % (path, st))
    st, h, _ = get('/', method='POST', data=b'x')
    check(st == 405 and h.get('Allow') == 'GET, HEAD', 'POST /: %d %s' % (st, h.get('Allow')))
    for bad in ('/..%2f..%2fetc%2fpasswd', '/js/..%2f..%2fCMakeLists.txt', '/%2e%2e/%2e%2e/etc/passwd', '/js/%00.js',
                '/js/%2e%2e%5c..%5cCMakeLists.txt', '/%FF'):
        st, h, body = get(bad)
        check(st == 400 and b'cmake_minimum_required' not in body and b'root:' not in body, '%s refused: %d' % (bad, st))
    for missing in ('/nothing', '/js/nothing.js', '/.git/config', '/entities/a/b', '/api/v1/nothing', '/api'):
        st, h, body = get(missing)
        check(st == 404 and h.get('Content-Type', '').startswith('application/problem+json'), '%s: %d' % (missing, st))
    st, h, body = get('/healthz')
    check(st == 200 and b'"ok"' in body and 'Content-Security-Policy' not in h, 'the API is not the page: /healthz')
    st, h, _ = get('/healthz', method='POST', data=b'{}')
    check(st == 405, 'POST /healthz is still the API\'s 405: %d' % st)

    # GET /api/v1/public/plans/{id}?include=draw: the page's one request.
    for pid, draw in ((fx['plan']['id'], fx['plan']['draw']), (fx['flat_plan']['id'], fx['flat_plan']['draw'])):
        st, _, plain = api.get('/api/v1/public/plans/' + pid)
        check(st == 200 and 'latest_draw' not in plain, 'no latest_draw without include')
        st, _, full = api.get('/api/v1/public/plans/%s?include=draw' % pid)
        api.validate('PublicPlan', full, 'plan ?include=draw')
        st2, _, d = api.get('/api/v1/public/draws/' + draw)
        check(st == 200 and full.get('latest_draw') == d, 'include=draw embeds the draw of %s' % pid)
        check({k: v for k, v in full.items() if k != 'latest_draw'} == plain, 'include=draw changes nothing else')
    st, _, stored = api.get('/api/v1/public/plans/510100-SAMR-2027-WEB-NEXT?include=draw')
    check(st == 200 and stored.get('latest_draw', 'absent') is None, 'a plan without a revealed draw: latest_draw null')
    api.validate('PublicPlan', stored, 'stored plan ?include=draw')
    for q in ('include=drawn', 'include=', 'with=draw'):
        check(api.get('/api/v1/public/plans/%s?%s' % (fx['plan']['id'], q))[0] == 400, 'plan ?%s is a 400' % q)


@contextlib.contextmanager
def serving(s, db, doc, extra):
    """`suiji serve` with these flags on a free port, as (Api, port); stopped (cleanly) afterwards."""
    proc, port = start_server(s, db, extra)
    try:
        if doc is None:
            doc = yaml.safe_load(urllib.request.urlopen('http://127.0.0.1:%d/api/v1/openapi.yaml' % port, timeout=10).read())
        yield Api(port, doc), port
    finally:
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the server (%s) stopped cleanly' % ' '.join(extra))


def main():
    a, s, db = setup('web.db', 2027, 6000)
    fx = seed(a, s, db)
    prefix = os.environ.get('SUIJI_NPM_PREFIX', HERE)
    with serving(s, db, None, ('--public-rate', '0')) as (api, port):
        static_checks(api, a.root, fx)
        fx.update({'base': 'http://127.0.0.1:%d' % port, 'suiji': s, 'root': a.root, 'work': a.work,
                   'shots': os.path.join(a.work, 'screenshots')})
        path = os.path.join(a.work, 'fixture.json')
        json.dump(fx, open(path, 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
        env = dict(os.environ, SUIJI_NPM_PREFIX=prefix)
        node = subprocess.run(['node', os.path.join(HERE, 'web_e2e.mjs'), path], env=env, timeout=480)
        check(node.returncode == 0, 'the browser test (web_e2e.mjs) passed: exit %d' % node.returncode)
        serve_for = float(os.environ.get('SUIJI_WEB_SERVE_FOR', '0'))
        if serve_for:
            print('serving the seeded page at %s for %gs' % (fx['base'], serve_for), flush=True)
            time.sleep(serve_for)
        doc = api.doc

    # --web off: no page, the API as before; --web-dir: the files from disk, the same bytes.
    with serving(s, db, doc, ('--web', 'off')) as (api, _):
        st, h, _ = api.get('/', raw=True)
        check(st == 404 and 'Content-Security-Policy' not in h, '--web off: / is the API\'s 404: %d' % st)
        check(api.get('/api/v1/public/stats')[0] == 200, '--web off: the API answers')
    with serving(s, db, doc, ('--web-dir', os.path.join(a.root, 'web'))) as (api, _):
        st, h, body = api.get('/js/app.js', raw=True)
        check(st == 200 and body == open(os.path.join(a.root, 'web/js/app.js'), 'rb').read() and
              h.get('Content-Security-Policy') == CSP, '--web-dir serves the files: %d' % st)
        check(api.get('/../CMakeLists.txt', raw=True)[0] in (400, 404), '--web-dir: nothing outside it')
    p = subprocess.run([s, '--db', db, 'serve', '--thrift-port', 'off', '--http-port', '0', '--web-dir', a.work + '/none'],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode != 0 and 'index.html' in p.stderr, '--web-dir without index.html is refused: %s' % p.stderr.strip())

    if FAILURES:
        print('%d failure(s)' % len(FAILURES), file=sys.stderr)
        return 1
    print('web end to end OK: screenshots in %s' % os.path.join(a.work, 'screenshots'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
