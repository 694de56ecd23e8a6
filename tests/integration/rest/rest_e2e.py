#!/usr/bin/python3
"""End to end: the real `suiji serve --http-port 0` on one backend, called over loopback by a real HTTP
client (urllib), with every response checked against docs/openapi.yaml's schemas (python3-jsonschema)
and /metrics parsed by python3-prometheus-client's own parser.

Set-up: a generated register of province 51, the officers and items, the 成都 org-unit hierarchy
(data/examples/registers/org_units.csv), three draws (the city's, 锦江区's 510104-SAMR, 青羊区's
510105-SAMR), one paired and one left committed; one client per role without an org unit, and planners
of the city and of 锦江区.

Checks: health, readiness, metrics; the route table equals the OpenAPI document (both ways, with each
operation's x-action); the authorization matrix (every role x every route, generated from the role and
route tables: allowed, or 403; no token 401); org-unit isolation (锦江区 sees its own draw and region
only: the city's and 青羊区's draws and entities are 404, not 403); keyset paging over a whole city;
bad input (paging, unknown parameters, bad codes, SQL and path-traversal strings, oversized values,
invalid UTF-8: 4xx problem+json, never 500, the database unchanged); the bundle download verifies
with `suiji verify`; a revoked token stops working within a second; failed authentication is
rate-limited (429 with Retry-After); SIGTERM stops the server with exit status 0.

    /usr/bin/python3 rest_e2e.py --suiji BIN --root SOURCE_DIR --work DIR [--db URL]
"""
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml
from prometheus_client.parser import text_string_to_metric_families
from restlib import FAILURES, Api, check, plan_for, run, setup, start_server


def body_limits(s, db, token, doc):
    """--max-body: a body of exactly the limit is read (and refused as a bad CSV), one byte more is a 413
    problem; far past the limit Pistache cuts the request off itself (413, plain text)."""
    proc, port = start_server(s, db, ('--max-body', '4096'))
    try:
        api = Api(port, doc)
        for size, want in ((4096, 'read'), (4097, 413), (30000, 413)):
            st, h, body = api.get('/api/v1/items', token, method='POST', raw=True, data=b'x' * size,
                                  headers={'Content-Type': 'text/csv'})
            if want == 'read':
                check(st in (400, 422), 'a body of exactly --max-body: %d' % st)
            else:
                check(st == 413 and h.get('Content-Type', '').startswith('application/problem+json')
                      and json.loads(body)['type'] == 'urn:suiji:problem:too-large', '%d bytes over 4096: %d %s' % (size, st, body[:100]))
        try:
            st, _, _ = api.get('/api/v1/items', token, method='POST', raw=True, data=b'x' * 200000,
                               headers={'Content-Type': 'text/csv'})
        except (ConnectionError, urllib.error.URLError) as e:
            # Pistache may answer 413 and close before the client has sent everything: the client then
            # sees the reset first. Either way the body was refused unread.
            st = 413 if 'reset' in str(e).lower() or 'broken pipe' in str(e).lower() else str(e)
        check(st == 413, '200 KB against --max-body 4096: %s' % st)
    finally:
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the --max-body server did not stop cleanly')


def sigterm_in_flight(s, db, bundle_path, token):
    """SIGTERM with requests in flight, on a fresh server: bundle downloads (each recomputes a draw) from 4
    clients; the signal lands while some run. Every request a handler took completes (a whole tar that opens
    as an archive); one arriving during the drain gets a 503 problem or finds the door closed (refused, or
    reset before any byte of an answer: nothing was done, a retry is safe); none is cut off. Exit 0.
    On a loaded machine the requests in flight at the signal may all still be queued before any handler
    (then reset, harmlessly): the run is repeated, up to 5 times, until one spans the signal."""
    for attempt in range(5):
        proc, port = start_server(s, db)
        base = 'http://127.0.0.1:%d' % port
        outcomes, stop_at = [], []

        def hammer():
            while True:
                t0 = time.monotonic()
                req = urllib.request.Request(base + bundle_path)
                req.add_header('Authorization', 'Bearer ' + token)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        body = r.read()
                    with tarfile.open(fileobj=io.BytesIO(body)) as t:
                        kind = 'ok' if len(t.getnames()) > 3 else 'short'
                except urllib.error.HTTPError as e:
                    kind = str(e.code)
                except (urllib.error.URLError, ConnectionError) as e:
                    reason = getattr(e, 'reason', e)
                    kind = 'refused' if isinstance(reason, ConnectionRefusedError) else 'reset'
                except Exception as e:  # a truncated body, a bad archive
                    kind = 'cut: %r' % e
                outcomes.append((kind, t0, time.monotonic()))
                if kind not in ('ok', '503'):
                    return
        workers = [threading.Thread(target=hammer) for _ in range(4)]
        [w.start() for w in workers]
        time.sleep(0.5)
        stop_at.append(time.monotonic())
        proc.send_signal(signal.SIGTERM)
        [w.join(60) for w in workers]
        code = proc.wait(timeout=30)
        kinds = {}
        for k, _, _ in outcomes:
            kinds[k] = kinds.get(k, 0) + 1
        spanning = [o for o in outcomes if o[0] == 'ok' and o[1] < stop_at[0] < o[2]]
        check(all(o[0] in ('ok', '503', 'refused', 'reset') for o in outcomes), 'SIGTERM outcomes: %s' % kinds)
        check(code == 0, 'exit code after SIGTERM in flight: %s' % code)
        if spanning:
            break
    check(spanning, 'no download was in flight across the signal in 5 runs: %s' % kinds)
    print('SIGTERM in flight: %s; %d downloads spanned the signal and completed (run %d)' % (kinds, len(spanning), attempt + 1))


def main():
    a, s, db = setup('rest.db', 2026, 8000)
    rows = list(csv.DictReader(open(os.path.join(a.work, 'entities.csv'), encoding='utf-8-sig')))
    city_ids = sorted(r['统一社会信用代码'] for r in rows if r['登记机关区划'].startswith('5101'))
    in_104 = next(r['统一社会信用代码'] for r in rows if r['登记机关区划'] == '510104')
    in_105 = next(r['统一社会信用代码'] for r in rows if r['登记机关区划'] == '510105')

    flagged = next(r['统一社会信用代码'] for r in rows if r['登记机关区划'] == '510106')
    open(os.path.join(a.work, 'lists.csv'), 'w', encoding='utf-8').write(
        '决定书文号,统一社会信用代码,名录类别,列入事由,列入日期,作出决定机关,事由消除日期,移出日期,移出事由,移出机关\n'
        '成市监严列〔2025〕9号,%s,严重违法失信名单,被吊销营业执照,2025-09-20,成都市市场监督管理局,,,,\n' % flagged)
    run(s, db, 'import', 'lists', os.path.join(a.work, 'lists.csv'))
    run(s, db, 'credit', 'flags', '--as-of', '2026-11-30')
    run(s, db, 'credit', 'score', '--as-of', '2026-11-30')
    draws = {}
    for unit, region, pid in (('510100-SAMR', '510100', '510100-SAMR-2026-FOOD-T'),
                              ('510104-SAMR', '510104', '510104-SAMR-2026-FOOD-T'),
                              ('510105-SAMR', '510105', '510105-SAMR-2026-FOOD-T')):
        run(s, db, 'draw', 'commit', plan_for(a.root, a.work, unit, region, pid), '--as-of', '2026-11-30')
        draws[unit] = run(s, db, 'draw', 'list').stdout.strip().splitlines()[-1].split()[0]
        run(s, db, 'draw', 'reveal', draws[unit], '--entropy', '3141 5926 5358 9793 2384')
    run(s, db, 'pair', 'commit', draws['510100-SAMR'])
    run(s, db, 'pair', 'reveal', draws['510100-SAMR'] + '-P1', '--entropy', '2718 2818 2845 9045 2353')
    # A committed, not yet revealed draw (a second plan of the city): it has no bundle.
    run(s, db, 'draw', 'commit', plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-FOOD-U'),
        '--as-of', '2026-11-30')
    unrevealed = run(s, db, 'draw', 'list').stdout.strip().splitlines()[-1].split()[0]

    table = json.loads(run(s, db, 'serve', '--list-routes').stdout)
    tokens = {}

    def client(cid, role, unit='', extra=()):
        args = ['client', 'add', cid, '--department', 'SAMR', '--role', role, *extra]
        if unit:
            args += ['--org-unit', unit]
        out = run(s, db, *args).stdout
        return re.search(r'token \(shown once, store it now\): (\S+)', out).group(1)

    officer_cert = next(csv.DictReader(open(os.path.join(a.work, 'officers.csv'), encoding='utf-8-sig')))['执法证号']
    for r in table['roles']:
        extra = ('--officer', officer_cert) if r['role'] == 'officer' else ()
        tokens[r['role']] = client('t-' + r['role'], r['role'], extra=extra)
    city = client('city-planner', 'planner', '510100-SAMR')
    county = client('jinjiang-planner', 'planner', '510104-SAMR')
    doomed = client('doomed', 'auditor')

    doc_before = run(s, db, 'audit', 'list', '--limit', '1').stdout
    proc, port = start_server(s, db)
    try:
        doc = yaml.safe_load(urllib.request.urlopen('http://127.0.0.1:%d/api/v1/openapi.yaml' % port, timeout=10).read())
        api = Api(port, doc)

        # Operations.
        st, h, body = api.get('/healthz')
        check(st == 200 and h.get('X-Request-Id'), 'healthz: %d %s' % (st, h))
        api.validate('Health', body, '/healthz')
        st, _, body = api.get('/readyz')
        check(st == 200, 'readyz: %d %s' % (st, body))
        api.validate('Ready', body, '/readyz')
        st, h, _ = api.get('/healthz', headers={'X-Request-Id': 'trace-42'})
        check(h.get('X-Request-Id') == 'trace-42', 'a client request id is echoed: %s' % h.get('X-Request-Id'))

        # The route table and the document describe the same API.
        documented = {}
        for path, ops in doc['paths'].items():
            for method, op in ops.items():
                documented[(method.upper(), path)] = op.get('x-action', '')
        served = {(r['method'], r['path']): r['action'] for r in table['routes']}
        check(set(documented) == set(served), 'routes vs openapi: only served %s, only documented %s' % (
            sorted(set(served) - set(documented)), sorted(set(documented) - set(served))))
        for k in set(documented) & set(served):
            check(documented[k] == served[k], '%s %s: x-action %r, served %r' % (k[0], k[1], documented[k], served[k]))

        # The authorization matrix: every role x every route.

        def concrete(path):
            if path.startswith('/api/v1/entities/') or path.startswith('/api/v1/credit/entities/'):
                return path.replace('{id}', in_104)
            return path.replace('{id}', draws['510100-SAMR'])

        allowed = {r['role']: set(r['actions']) for r in table['roles']}
        # docs/api.md's role table is the code's table, row for row.
        doc_roles = {}
        for line in open(os.path.join(a.root, 'docs/api.md'), encoding='utf-8'):
            m = re.match(r'^\| (\w+) \| .* \| ([a-z_.]+(?:, [a-z_.]+)*) \|$', line)
            if m and m.group(1) in allowed:
                doc_roles[m.group(1)] = set(m.group(2).split(', '))
        check(doc_roles == allowed, 'docs/api.md role table differs from the code for %s' %
              [k for k in allowed if doc_roles.get(k) != allowed[k]])
        cells = 0
        for route in table['routes']:
            path = concrete(route['path'])
            # POSTs carry a body no handler accepts: an allowed role gets 400, so the matrix writes nothing.
            send = (lambda tok: api.post(path, tok, b'not json')) if route['method'] == 'POST' else (lambda tok: api.get(path, tok))
            if route['action']:
                st, h, _ = send(None)
                check(st == 401 and 'Bearer' in h.get('WWW-Authenticate', ''), 'no token on %s: %d' % (path, st))
            for role, token in tokens.items():
                st, _, body = send(token)
                cells += 1
                if not route['action'] or route['action'] in allowed[role]:
                    # (an anonymous route may refuse for its content, e.g. a bundle that would disclose
                    # classes — never for the role)
                    refused = st == 401 or (st == 403 and (route['action'] or 'may not' in body.get('detail', '')))
                    check(not refused, '%s on %s %s: %d (allowed by the role table)' % (role, route['method'], path, st))
                else:
                    check(st == 403, '%s on %s %s: %d, expected 403' % (role, route['method'], path, st))
        print('authorization matrix: %d routes x %d roles = %d cells' % (len(table['routes']), len(tokens), cells))

        admin = tokens['admin']
        # Responses match their schemas.
        st, _, body = api.get('/api/v1/org-units', admin)
        api.validate('OrgUnitList', body, 'org-units')
        check(st == 200 and len(body['items']) >= 20, 'org-units as admin: %d, %d units' % (st, len(body.get('items', []))))
        st, _, body = api.get('/api/v1/draws', admin)
        api.validate('DrawList', body, 'draws')
        check(len(body['items']) == 4, 'admin sees 4 draws: %d' % len(body['items']))
        st, _, body = api.get('/api/v1/draws/' + draws['510100-SAMR'], admin)
        api.validate('Draw', body, 'draw')
        check(st == 200 and body.get('strata') and body['pairings'], 'a revealed, paired draw shows strata and pairings')
        st, _, body = api.get('/api/v1/entities/' + in_104, admin)
        api.validate('Entity', body, 'entity')
        check(st == 200 and body['id'] == in_104, 'entity by id: %d' % st)

        # Keyset paging over the whole city.
        seen, after, pages = [], '', 0
        while True:
            st, _, body = api.get('/api/v1/entities?region=510100&limit=97' + ('&after=' + after if after else ''), admin)
            api.validate('EntityPage', body, 'entities page')
            pages += 1
            seen += [e['id'] for e in body['items']]
            check(all(e['region'].startswith('5101') for e in body['items']), 'page %d: an entity outside 5101' % pages)
            if not body['next_after']:
                break
            after = urllib.parse.quote(body['next_after'])
        check(seen == city_ids, 'paging over 510100: %d ids in %d pages, %d expected' % (len(seen), pages, len(city_ids)))

        # Org-unit isolation: 锦江区 sees itself only; 404 for what it may not know exists.
        st, _, body = api.get('/api/v1/draws', county)
        check([d['draw_id'] for d in body['items']] == [draws['510104-SAMR']], '锦江区 lists only its draw: %s' % body)
        for unit in ('510100-SAMR', '510105-SAMR'):
            st, _, _ = api.get('/api/v1/draws/' + draws[unit], county)
            check(st == 404, '锦江区 reading the draw of %s: %d, expected 404' % (unit, st))
            st, _, _ = api.get('/api/v1/draws/%s/bundle' % draws[unit], county)
            check(st == 404, '锦江区 downloading the bundle of %s: %d' % (unit, st))
        st, _, _ = api.get('/api/v1/draws/' + draws['510104-SAMR'], county)
        check(st == 200, '锦江区 reads its own draw: %d' % st)
        st, _, body = api.get('/api/v1/entities?limit=500', county)
        check(body['items'] and all(e['region'] == '510104' for e in body['items']), '锦江区 lists only 510104 entities')
        st, _, body = api.get('/api/v1/entities?region=510105', county)
        check(st == 200 and body['items'] == [], '锦江区 filtering on 青羊区 gets nothing: %s' % body)
        st, _, _ = api.get('/api/v1/entities/' + in_105, county)
        check(st == 404, '锦江区 reading a 青羊区 entity: %d' % st)
        st, _, body = api.get('/api/v1/org-units', county)
        check(body['items'] and all(u['code'] == '510104-SAMR' or u['parent'] == '510104-SAMR' for u in body['items']),
              '锦江区 sees its unit and those below: %s' % [u['code'] for u in body['items']])
        st, _, body = api.get('/api/v1/draws', city)
        check(len(body['items']) == 4, 'the city sees its draws and its districts\': %d' % len(body['items']))

        # Bad input: 4xx problem+json (checked in Api.get), never 500, nothing changed.
        bad = ['/api/v1/entities?limit=0', '/api/v1/entities?limit=501', '/api/v1/entities?limit=abc',
               '/api/v1/entities?limt=5', '/api/v1/entities?region=5101', "/api/v1/entities?region=510104'%20OR%20'1'='1",
               '/api/v1/entities?industry=Z99', '/api/v1/entities?status=gone', '/api/v1/entities?entity_type=x',
               '/api/v1/entities?name=' + 'x' * 300, '/api/v1/entities?after=' + 'a' * 300, '/api/v1/entities?name=%FF',
               '/api/v1/entities?name=%E6%88', '/api/v1/draws?state=open', '/api/v1/entities/%2E%2E',
               '/api/v1/entities/..%2F..%2Fetc%2Fpasswd', '/api/v1/draws/%00', '/api/v1/nothing', '/nothing',
               '/api/v1/entities/' + 'A' * 5000, '/api/v1/draws/x/bundle/y']
        for path in bad:
            st, _, body = api.get(path, admin)
            check(400 <= st < 500, '%s: %d, expected 4xx' % (path, st))
        for path in ("/api/v1/entities?name='%20OR%201=1%20--", '/api/v1/entities?name=%25', '/api/v1/entities?name=_',
                     "/api/v1/entities/1'%20OR%20'1'='1", '/api/v1/draws?plan_id=%27%3B%20DROP%20TABLE%20draws%3B--'):
            st, _, body = api.get(path, admin)
            check(st in (200, 404) and (st == 404 or body['items'] == []), '%s: %d %s' % (path, st, str(body)[:200]))
        st, h, _ = api.get('/api/v1/entities', admin, method='DELETE')
        check(st == 405 and h.get('Allow') == 'GET, POST', 'DELETE on the register: %d Allow=%s' % (st, h.get('Allow')))
        st, h, _ = api.get('/api/v1/draws/%s/bundle' % draws['510100-SAMR'], admin, method='PUT')
        check(st == 405 and h.get('Allow') == 'GET', 'PUT on a bundle: %d Allow=%s' % (st, h.get('Allow')))
        st, _, body = api.get('/api/v1/draws/%s/bundle' % unrevealed, admin)
        check(st == 409, 'the bundle of an unrevealed draw: %d' % st)

        # The bundle verifies offline.
        st, h, raw = api.get('/api/v1/draws/%s/bundle' % draws['510100-SAMR'], admin, raw=True)
        check(st == 200 and h.get('Content-Type', '').startswith('application/x-tar'), 'bundle: %d %s' % (st, h.get('Content-Type')))
        with tarfile.open(fileobj=io.BytesIO(raw)) as t:
            t.extractall(a.work)
        v = subprocess.run([s, 'verify', os.path.join(a.work, draws['510100-SAMR'])], capture_output=True, text=True)
        check(v.returncode == 0 and 'MATCH' in v.stdout, 'the downloaded bundle verifies: %s %s' % (v.stdout, v.stderr))

        # Metrics, parsed by the Prometheus client library's own parser.
        st, _, text = api.get('/metrics')
        families = {f.name: f for f in text_string_to_metric_families(text)}
        reqs = families.get('suiji_http_requests')
        check(reqs is not None, 'metrics: no suiji_http_requests family: %s' % sorted(families))
        if reqs:
            routes = {smp.labels['route'] for smp in reqs.samples}
            check('/api/v1/entities/{id}' in routes and '/healthz' in routes, 'metrics routes are templates: %s' % routes)
            check(all('/api/v1/entities/9' not in r for r in routes), 'a raw path leaked into a label')
        check('suiji_http_request_duration_seconds' in families and 'suiji_db_leases_in_use' in families
              and 'suiji_build_info' in families, 'metrics families: %s' % sorted(families))

        # Every request so far was a read: the audit chain's head is where it was before the server started.
        check(run(s, db, 'audit', 'list', '--limit', '1').stdout == doc_before, 'the requests above wrote to the database')

        # Writes, as the city's planner: commit with an Idempotency-Key (a retry gets the same draw), reveal
        # (two at once: one wins, one 409), substitute, pair, recusal; the county may not commit for the city.
        plan_text = open(plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-FOOD-API'), encoding='utf-8').read()
        st, _, body = api.post('/api/v1/plans/validate', city, {'plan': plan_text})
        api.validate('PlanValidation', body, 'plan validate')
        check(st == 200 and len(body.get('digest', '')) == 64, 'plan validate: %d %s' % (st, body))
        st, _, body = api.post('/api/v1/plans/validate', city, {'plan': plan_text.replace('ratio: 10%', 'ratio: 110%')})
        check(st == 422 and any(e['field'].startswith('plan:') for e in body.get('errors', [])),
              'a bad plan names its line: %d %s' % (st, body))
        st, _, body = api.post('/api/v1/draws', county, {'plan': plan_text, 'as_of': '2026-11-30'})
        check(st == 403, '锦江区 committing the city\'s plan: %d' % st)
        key = {'Idempotency-Key': 'commit-api-1'}
        st1, h1, first = api.post('/api/v1/draws', city, {'plan': plan_text, 'as_of': '2026-11-30'}, key)
        st2, h2, again = api.post('/api/v1/draws', city, {'plan': plan_text, 'as_of': '2026-11-30'}, key)
        api.validate('Draw', first, 'commit')
        check(st1 == 201 and st2 == 201 and first['draw_id'] == again['draw_id'] and h2.get('Idempotency-Replayed') == 'true',
              'an idempotent retry returns the first draw: %d %d %s %s' % (st1, st2, first.get('draw_id'), again.get('draw_id')))
        check(h1.get('Location') == '/api/v1/draws/' + first['draw_id'], 'Location of a commit: %s' % h1.get('Location'))
        st, _, body = api.post('/api/v1/draws', city, {'plan': plan_text, 'as_of': '2026-12-01'}, key)
        check(st == 422, 'the same key for another body: %d' % st)
        st, _, body = api.post('/api/v1/draws', city, {'plan': plan_text, 'as_of': '2026-11-30'})
        check(st == 409 or st == 422, 'a second live draw of one plan without a re-draw reason: %d %s' % (st, body))
        events = [e for e in api.get('/api/v1/audit/events?limit=500', tokens['auditor'])[2]['items'] if e['action'] == 'draw.commit']
        check(sum(1 for e in events if e['subject'] == 'draws/' + first['draw_id']) == 1, 'one draw.commit event for the retried commit')
        new = first['draw_id']
        results = []
        def reveal():
            results.append(api.post('/api/v1/draws/%s/reveal' % new, city, {'entropy': '1618 0339 8874 9894 8482'}))
        threads = [threading.Thread(target=reveal) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        codes = sorted(r[0] for r in results)
        check(codes == [200, 409], 'two concurrent reveals: %s' % codes)
        revealed = next(r[2] for r in results if r[0] == 200)
        api.validate('Draw', revealed, 'reveal')
        drawn = [t['entity_id'] for s in revealed['strata'] for t in s['drawn']]
        check(drawn, 'the revealed draw drew entities')
        st, _, body = api.post('/api/v1/draws/%s/substitutions' % new, city,
                               {'entity_id': drawn[0], 'reason': '已注销，不在抽查范围（测试）'})
        check(st == 201 and any(x['out'] == drawn[0] for s in body['strata'] for x in s['substitutions']),
              'substitution: %d %s' % (st, str(body)[:300]))
        st, _, body = api.post('/api/v1/recusals', city, {'entity_id': drawn[1], 'cert_no': officer_cert, 'reason': '亲属关系'})
        api.validate('Recusal', body, 'recusal')
        check(st == 201, 'recusal: %d %s' % (st, body))
        st, _, body = api.post('/api/v1/recusals', county, {'entity_id': in_105, 'cert_no': officer_cert, 'reason': 'x'})
        check(st == 404, '锦江区 recording a recusal for a 青羊区 entity: %d' % st)
        st, h, pairing = api.post('/api/v1/draws/%s/pairings' % new, city)
        api.validate('Pairing', pairing, 'pair commit')
        check(st == 201 and pairing['state'] == 'committed', 'pair commit: %d %s' % (st, pairing))
        st, _, teams = api.post('/api/v1/pairings/%s/reveal' % pairing['pairing_id'], city, {'entropy': '2718 2818 2845 9045 2353'})
        api.validate('PairingReveal', teams, 'pair reveal')
        check(st == 200 and teams['status'] in ('ok', 'infeasible'), 'pair reveal: %d %s' % (st, str(teams)[:300]))
        st, _, _ = api.post('/api/v1/pairings/%s/reveal' % pairing['pairing_id'], county, {'entropy': '2718 2818 2845 9045 2353'})
        check(st == 404, '锦江区 revealing the city\'s pairing: %d' % st)
        st, _, report = api.post('/api/v1/audit/verify', tokens['auditor'])
        api.validate('ChainReport', report, 'audit verify')
        check(st == 200 and report['ok'], 'the audit chain after API writes: %s' % report)
        st, _, page = api.get('/api/v1/audit/events?limit=5', tokens['auditor'])
        api.validate('AuditPage', page, 'audit events')
        st, _, page = api.get('/api/v1/officers?limit=20', county)
        api.validate('OfficerPage', page, 'officers')
        check(all(o['org_unit'].startswith('510104') for o in page['items']), '锦江区 sees only its officers: %s' %
              sorted({o['org_unit'] for o in page['items']}))
        st, _, items = api.get('/api/v1/items', tokens['officer'])
        api.validate('ItemList', items, 'items')
        check(st == 200 and items['items'], 'items: %d' % st)

        # Credit, regulators only: the run, an entity's class explained and checked against the stored score.
        st, _, runs = api.get('/api/v1/credit/runs', tokens['auditor'])
        api.validate('CreditRunList', runs, 'credit runs')
        check(st == 200 and len(runs['items']) == 1 and runs['items'][0]['as_of'] == '2026-11-30', 'credit runs: %s' % runs)
        st, _, ex = api.get('/api/v1/credit/entities/%s?as_of=2026-11-30' % in_104, city)
        api.validate('CreditExplanation', ex, 'credit explanation')
        check(st == 200 and ex['matches_stored'] and ex['contributions'], 'explanation: %d %s' % (st, str(ex)[:300]))
        check(api.get('/api/v1/credit/entities/%s' % in_105, county)[0] == 404, '锦江区 reading a 青羊区 class')
        st, _, fl = api.get('/api/v1/credit/entities/%s/flags' % flagged, tokens['auditor'])
        api.validate('FlagList', fl, 'flags')
        check(st == 200 and fl['items'] and all(f['legal_basis'] and f['start_on'] for f in fl['items']),
              'flags of a serious-listed entity: %d %s' % (st, str(fl)[:300]))
        check(api.get('/api/v1/credit/entities/%s/flags' % in_105, county)[0] == 404, '锦江区 reading 青羊区 flags')
        check(api.get('/api/v1/credit/entities/%s?as_of=2026-13-01' % in_104, city)[0] == 422, 'a bad as_of')

        # Register-wide credit classes and flags: keyset pages bounded by the caller's region.
        seen, after = [], ''
        while True:
            st, _, page = api.get('/api/v1/credit/classes?as_of=2026-11-30&region=510100&limit=113' +
                                  ('&after=' + urllib.parse.quote(after) if after else ''), city)
            api.validate('ClassPage', page, 'credit classes')
            seen += [x['entity_id'] for x in page['items']]
            if not page['next_after']:
                break
            after = page['next_after']
        check(seen == city_ids, 'classes over 510100: %d of %d entities' % (len(seen), len(city_ids)))
        st, _, page = api.get('/api/v1/credit/classes?limit=500', county)
        check(st == 200 and page['items'] and all(x['region'] == '510104' for x in page['items']),
              '锦江区 lists only 510104 classes')
        st, _, page = api.get('/api/v1/credit/classes?region=510105', county)
        check(st == 200 and page['items'] == [], '锦江区 asking for 青羊区 classes gets nothing')
        for cls in 'ABCD':
            st, _, page = api.get('/api/v1/credit/classes?class=%s&limit=500' % cls, city)
            check(st == 200 and all(x['class'] == cls for x in page['items']), 'class filter %s' % cls)
        for q in ('class=E', 'region=51', 'as_of=2026-02-30', 'as_of=2026-01-01&run_id=x', 'limit=0'):
            st, _, _ = api.get('/api/v1/credit/classes?' + q, city)
            check(400 <= st < 500, 'credit classes ?%s: %d' % (q, st))
        check(api.get('/api/v1/credit/classes?as_of=2020-01-01', city)[0] == 404, 'no run as of 2020')
        st, _, fl = api.get('/api/v1/credit/flags?on=2026-11-30', city)
        check(st == 200 and fl['items'] and all(f['entity_id'] == flagged for f in fl['items']),
              'the city lists the flags in force: %s' % str(fl)[:300])
        st, _, fl2 = api.get('/api/v1/credit/flags?limit=1', city)
        check(st == 200 and len(fl2['items']) == 1 and (fl2['next_after'] is not None) == (len(fl['items']) > 1), 'flag paging')
        check(api.get('/api/v1/credit/flags', county)[2]['items'] == [], '锦江区 sees no 成华区 flags')
        check(api.get('/api/v1/credit/flags?on=2025-01-01', city)[2]['items'] == [], 'no flag in force before the listing')
        check(api.get('/api/v1/credit/flags?on=yesterday', city)[0] == 422, 'a bad ?on')

        # Stored plans: versions, scoped by unit; a draw committed from a stored plan.
        stored_text = open(plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-FOOD-STO'), encoding='utf-8').read()
        st, _, sp = api.post('/api/v1/plans', city, {'plan': stored_text})
        api.validate('StoredPlan', sp, 'plan store')
        check(st == 201 and sp['version'] == 1 and sp['created'], 'plan store: %d %s' % (st, sp))
        st, _, sp2 = api.post('/api/v1/plans', city, {'plan': stored_text})
        check(st == 200 and not sp2['created'] and sp2['version'] == 1, 'the same plan again stores nothing: %d %s' % (st, sp2))
        st, _, sp3 = api.post('/api/v1/plans', city, {'plan': stored_text + '\n# 第二版\n'})
        check(st == 201 and sp3['version'] == 2, 'a changed text is version 2: %d %s' % (st, sp3))
        check(api.post('/api/v1/plans', county, {'plan': stored_text})[0] == 403, '锦江区 storing the city\'s plan')
        check(api.post('/api/v1/plans', city, {'plan': stored_text.replace('ratio: 10%', 'ratio: 110%')})[0] == 422, 'a bad plan is not stored')
        st, _, lst = api.get('/api/v1/plans', city)
        check(st == 200 and [p['plan_id'] for p in lst['items']] == ['510100-SAMR-2026-FOOD-STO'] and lst['items'][0]['version'] == 2,
              'plan list: %s' % lst)
        check(api.get('/api/v1/plans', county)[2]['items'] == [], '锦江区 lists none of the city\'s plans')
        st, _, pd = api.get('/api/v1/plans/510100-SAMR-2026-FOOD-STO?version=1', tokens['auditor'])
        api.validate('PlanDocument', pd, 'plan show')
        check(st == 200 and pd['plan'] == stored_text and len(pd['versions']) == 2, 'plan version 1: %d' % st)
        check(api.get('/api/v1/plans/510100-SAMR-2026-FOOD-STO', county)[0] == 404, '锦江区 reading the city\'s plan')
        check(api.get('/api/v1/plans/510100-SAMR-2026-FOOD-STO?version=9', city)[0] == 404, 'no version 9')
        check(api.get('/api/v1/plans/510100-SAMR-2026-FOOD-STO?version=x', city)[0] == 400, 'a bad version')
        st, _, d = api.post('/api/v1/draws', city, {'plan_id': '510100-SAMR-2026-FOOD-STO', 'as_of': '2026-11-30'})
        check(st == 201 and d['plan_id'] == '510100-SAMR-2026-FOOD-STO', 'commit from a stored plan: %d %s' % (st, str(d)[:200]))
        check(api.post('/api/v1/draws', county, {'plan_id': '510100-SAMR-2026-FOOD-STO'})[0] == 404, '锦江区 committing a hidden plan')
        check(api.post('/api/v1/draws', city, {'plan_id': 'x', 'plan': stored_text})[0] == 400, 'plan and plan_id both')
        check(api.post('/api/v1/draws', city, {'plan_id': 'NO-SUCH-PLAN'})[0] == 404, 'an unknown stored plan')

        # Register uploads: the CLI's report as JSON; all or nothing by default; scoped by unit.
        up = os.path.join(a.work, 'up')
        subprocess.run([s, 'gen', '--seed', '9', '--entities', '300', '--officers', '5', '--items', '2', '--messy',
                        '--out', up], check=True, capture_output=True)
        messy = open(os.path.join(up, 'entities_messy.csv'), 'rb').read()
        head_before = api.get('/api/v1/audit/events?limit=1', tokens['auditor'])[2]
        st, _, body = api.post('/api/v1/entities', admin, messy, {'Content-Type': 'text/csv'})
        check(st == 422 and body.get('errors') and body['detail'].startswith('nothing imported'),
              'a messy file all or nothing: %d %s' % (st, str(body)[:200]))
        check(api.get('/api/v1/audit/events?limit=1', tokens['auditor'])[2] == head_before, 'a refused upload wrote something')
        st, _, rep = api.post('/api/v1/entities?skip_invalid=true', admin, messy, {'Content-Type': 'text/csv'})
        api.validate('ImportReport', rep, 'upload report')
        check(st == 200 and rep['rows_read'] == rep['rows_valid'] + rep['rows_rejected'] and rep['rows_rejected'] > 0
              and len(rep['rejected_rows']) == rep['rows_rejected'] and rep['inserted'] > 0,
              'skip_invalid upload: %d %s' % (st, {k: rep.get(k) for k in ('rows_read', 'rows_valid', 'rows_rejected', 'inserted')}))
        st, _, again = api.post('/api/v1/entities?skip_invalid=true', admin, messy, {'Content-Type': 'text/csv'})
        check(st == 200 and again['inserted'] == 0 and again['unchanged'] == rep['rows_valid'],
              'the same upload again changes nothing: %s' % {k: again.get(k) for k in ('inserted', 'updated', 'unchanged')})
        gbk = open(os.path.join(a.root, 'tests/data/gsxt_export_gbk.csv'), 'rb').read()
        st, _, rep = api.post('/api/v1/entities?skip_invalid=true', admin, gbk, {'Content-Type': 'text/csv'})
        check(st == 200 and rep['encoding'] == 'gb18030' and rep['rows_valid'] == 13 and rep['rows_rejected'] == 1,
              'a GBK export upload: %d %s' % (st, {k: rep.get(k) for k in ('encoding', 'rows_valid', 'rows_rejected')}))
        clean = open(os.path.join(up, 'entities.csv'), 'rb').read()
        st, _, body = api.post('/api/v1/entities', county, clean, {'Content-Type': 'text/csv'})
        check(st == 403 and 'outside org unit 510104-SAMR' in body.get('detail', ''), '锦江区 uploading the province: %d %s' % (st, body))
        st, _, body = api.post('/api/v1/items', county, open(os.path.join(up, 'items.csv'), 'rb').read(), {'Content-Type': 'text/csv'})
        check(st == 403, '锦江区 uploading the national item list: %d' % st)
        mine = [l for l in clean.decode('utf-8-sig').splitlines()]
        own = '\n'.join([mine[0]] + [l for l in mine[1:] if ',510104,' in l]).encode()
        st, _, rep = api.post('/api/v1/entities', county, own, {'Content-Type': 'text/csv'})
        check(st == 200 and rep['rows_read'] >= 0, '锦江区 uploading its own entities: %d %s' % (st, str(rep)[:200]))
        st, _, body = api.post('/api/v1/entities', admin, b'', {'Content-Type': 'text/csv'})
        check(st == 400, 'an empty upload: %d' % st)

        # Revocation bites within a second.
        check(api.get('/api/v1/draws', doomed)[0] == 200, 'the auditor token works before revocation')
        run(s, db, 'client', 'revoke', 'doomed')
        time.sleep(1.0)
        check(api.get('/api/v1/draws', doomed)[0] == 401, 'a revoked token is refused within a second')

        # Failed authentication is rate-limited per address: the 10th failure in a minute closes the door.
        codes = [api.get('/api/v1/draws', 'sjt_wrong%02d' % i)[0] for i in range(12)]
        st, h, _ = api.get('/api/v1/draws', admin)
        check(codes[-1] == 429 and st == 429 and int(h.get('Retry-After', '0')) > 0,
              'rate limit: codes %s, then %d Retry-After %s' % (codes, st, h.get('Retry-After')))
        check(api.get('/healthz')[0] == 200, 'anonymous routes are not rate-limited')
        print('%d requests' % api.calls)

    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            check(False, 'the server did not stop on SIGTERM')
        out = proc.stdout.read()
        proc.log_reader.join(10)
        err = ''.join(proc.log)
    check(proc.returncode == 0 and 'http stopped (SIGTERM)' in out, 'SIGTERM: exit %s, %r' % (proc.returncode, out))
    log = [json.loads(line) for line in err.splitlines() if line.startswith('{')]
    check(log and all({'time', 'request_id', 'method', 'route', 'status', 'bytes', 'duration_ms', 'client'} <= set(l)
                      for l in log), 'one JSON log line per request with every field (%d lines)' % len(log))
    check(not any('sjt_' in line for line in err.splitlines()), 'a token appeared in the log')
    body_limits(s, db, tokens['admin'], doc)
    sigterm_in_flight(s, db, '/api/v1/draws/%s/bundle' % draws['510100-SAMR'], tokens['auditor'])
    if FAILURES:
        print('%d failure(s)' % len(FAILURES), file=sys.stderr)
        return 1
    print('rest end to end OK on %s' % db.split(':')[0])
    return 0


if __name__ == '__main__':
    sys.exit(main())
