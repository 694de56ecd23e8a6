#!/usr/bin/python3
"""Security probe of a live `suiji serve` (SQLite): what docs/security.md promises of the HTTP surface.

Checks:
  - headers: every answer (API JSON, problem+json, static page and script) has X-Content-Type-Options:
    nosniff and a Cache-Control; the static site's answers also Content-Security-Policy (no
    'unsafe-inline', no 'unsafe-eval', frame-ancestors 'none'), X-Frame-Options: DENY and
    Referrer-Policy: no-referrer;
  - CORS: a preflight (OPTIONS with Origin and Access-Control-Request-Method) from a foreign origin and a
    plain GET with that Origin get no Access-Control-Allow-* header, on public and on authenticated routes;
  - malformed requests (bad JSON, a body that is not UTF-8, %ff in a query, a 60 KB query value, path
    traversal in the API and the static site, a NUL, SQL in a parameter and in a path id, a bad token, a
    body over --max-body): never a 5xx, never a file from outside (no "root:" of /etc/passwd), and the
    error body -- after the request's own text is taken out of it -- names no SQL (SELECT, INSERT,
    UPDATE, DELETE, FROM, WHERE), no database engine or driver (sqlite, postgres, soci, syntax error), no
    stack trace or C++ exception text (std::, what(), terminate, Traceback);
  - a token past its --expires date is refused (401);
  - the token never comes back in an answer, and the request log holds neither the token nor query
    values nor the path's ids (it logs the route template);
  - register uploads by a county admin cannot re-parent a sibling unit or the province, take over a
    sibling's officer or move a sibling's entity into the county's region (403, nothing written), while
    adding a unit below itself works;
  - a county admin cannot list the audit log (one chain over all units), an unscoped auditor can;
  - 10 refused tokens from one address: the 11th request gets 429 with Retry-After;
  - X-Forwarded-For is ignored unless the peer is a --trusted-proxy (rotating it does not escape the
    limiter); behind a trusted proxy each forwarded client has its own limit and is the log's client.

    /usr/bin/python3 security_probe.py --suiji BIN --root SOURCE_DIR --work DIR
"""
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '../rest'))
from restlib import FAILURES, check, run, setup, start_server  # noqa: E402

SQL_UPPER = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b')
ENGINE = re.compile(r'sqlite|postgres|\bsoci\b|syntax error|std::|what\(\)|terminate called|Traceback|segmentation', re.I)
MAX_BODY = 65536


def request(port, method, path, body=None, headers=None):
    """A raw request (http.client sends the path as given: no normalisation of '..' or escapes)."""
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if body is not None:
        c.putheader('Content-Length', str(len(body)))
    c.endheaders()
    if body is not None:
        c.send(body)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def leaks(body, request_texts):
    """What in an error body looks like SQL, a driver or a stack trace, once the request's own text
    (echoed in a detail such as "no route /api/v1/...") is taken out."""
    text = body.decode('utf-8', 'replace')
    for t in sorted(request_texts, key=len, reverse=True):
        if t:
            text = text.replace(t, '')
    found = [m.group(0) for m in SQL_UPPER.finditer(text)] + [m.group(0) for m in ENGINE.finditer(text)]
    return found


def wrong_tokens(port, n, forwarded_for=None):
    hdrs = {'X-Forwarded-For': forwarded_for} if forwarded_for else {}
    return [request(port, 'GET', '/api/v1/org-units',
                    headers={**hdrs, 'Authorization': 'Bearer sjt_wrong%02d' % i})[0] for i in range(n)]


def forwarded_clients(s, db, auth):
    # No trusted proxy: a brute-forcer who writes a new X-Forwarded-For each time is still one address.
    proc, port = start_server(s, db, ('--public-rate', '0'))
    try:
        statuses = [request(port, 'GET', '/api/v1/org-units',
                            headers={'X-Forwarded-For': '203.0.113.%d' % i, 'Authorization': 'Bearer sjt_x%02d' % i})[0]
                    for i in range(11)]
        check(statuses == [401] * 10 + [429], 'rotating X-Forwarded-For without a trusted proxy: %s' % statuses)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # The test is the proxy (127.0.0.1): each forwarded client has its own failure count.
    proc, port = start_server(s, db, ('--public-rate', '0', '--trusted-proxy', '192.0.2.1,127.0.0.1'))
    try:
        attacker = '198.51.100.1, 203.0.113.66'  # the client wrote the first entry, our proxy the second
        check(wrong_tokens(port, 10, attacker) == [401] * 10, 'ten wrong tokens behind the proxy')
        st, h, _ = request(port, 'GET', '/api/v1/org-units', headers={**auth, 'X-Forwarded-For': '203.0.113.66'})
        check(st == 429 and int(h.get('retry-after', '0')) > 0, 'the forwarded brute-forcer, 11th try: %d' % st)
        st, _, _ = request(port, 'GET', '/api/v1/org-units', headers={**auth, 'X-Forwarded-For': '203.0.113.7'})
        check(st == 200, 'another client behind the same proxy is not locked out: %d' % st)
        st, _, _ = request(port, 'GET', '/api/v1/org-units', headers=auth)
        check(st == 200, 'the proxy itself (no X-Forwarded-For) is not locked out: %d' % st)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.log_reader.join(5)
    clients = {json.loads(line).get('client') for line in proc.log if line.startswith('{')}
    check(clients == {'203.0.113.66', '203.0.113.7', '127.0.0.1'}, 'the log names the forwarded clients: %s' % clients)
    bad = run(s, db, 'serve', '--http-port', '0', '--thrift-port', 'off', '--trusted-proxy', 'proxy.example', ok=False)
    check(bad.returncode != 0 and 'not an IP address' in bad.stderr, '--trusted-proxy with a name: %d %s' % (bad.returncode, bad.stderr))


def main():
    a, s, db = setup('security.db', 2027, 400)
    out = run(s, db, 'client', 'add', 'probe-auditor', '--department', 'SAMR', '--role', 'auditor').stdout
    token = re.search(r'token \(shown once, store it now\): (\S+)', out).group(1)
    out = run(s, db, 'client', 'add', 'probe-county-admin', '--department', 'SAMR', '--role', 'admin',
              '--org-unit', '510104-SAMR').stdout
    county = re.search(r'token \(shown once, store it now\): (\S+)', out).group(1)
    out = run(s, db, 'client', 'add', 'probe-expired', '--department', 'SAMR', '--role', 'auditor',
              '--expires', '2020-01-01').stdout
    expired = re.search(r'token \(shown once, store it now\): (\S+)', out).group(1)
    proc, port = start_server(s, db, ('--max-body', str(MAX_BODY), '--public-rate', '0'))
    try:
        auth = {'Authorization': 'Bearer ' + token}

        # Headers on API, problem+json and static answers.
        st, h, _ = request(port, 'GET', '/api/v1/public/stats')
        check(st == 200, 'public stats: %d' % st)
        samples = {
            'api json': (st, h),
            'api problem': request(port, 'GET', '/api/v1/no-such-route')[:2],
            'authenticated json': request(port, 'GET', '/api/v1/org-units', headers=auth)[:2],
            'static page': request(port, 'GET', '/')[:2],
            'static view': request(port, 'GET', '/search')[:2],
            'static script': request(port, 'GET', '/js/app.js')[:2],
            'static traversal': request(port, 'GET', '/js/%2e%2e/%2e%2e/etc/passwd')[:2],
        }
        for name, (st, h) in samples.items():
            check(h.get('x-content-type-options') == 'nosniff', '%s (%d): X-Content-Type-Options %r' % (name, st, h.get('x-content-type-options')))
            check('cache-control' in h, '%s (%d): no Cache-Control' % (name, st))
            check(not any(k.startswith('access-control-') for k in h), '%s: a CORS header %s' % (name, h))
            if name.startswith('static'):
                csp = h.get('content-security-policy', '')
                check("frame-ancestors 'none'" in csp and "default-src 'none'" in csp and 'unsafe-inline' not in csp
                      and 'unsafe-eval' not in csp, '%s (%d): CSP %r' % (name, st, csp))
                check(h.get('x-frame-options') == 'DENY', '%s: X-Frame-Options %r' % (name, h.get('x-frame-options')))
                check(h.get('referrer-policy') == 'no-referrer', '%s: Referrer-Policy %r' % (name, h.get('referrer-policy')))
        check(samples['static page'][0] == 200 and samples['static script'][0] == 200, 'the static site answers: %s' %
              {k: v[0] for k, v in samples.items()})
        check(samples['authenticated json'][0] == 200, 'the auditor token works: %d' % samples['authenticated json'][0])
        check(samples['authenticated json'][1].get('cache-control') == 'no-store', 'an authenticated answer is not no-store')

        # CORS: a foreign origin gets no Access-Control-Allow-Origin, preflight or not.
        evil = {'Origin': 'https://evil.example', 'Access-Control-Request-Method': 'GET',
                'Access-Control-Request-Headers': 'authorization'}
        for path in ('/api/v1/public/stats', '/api/v1/entities', '/api/v1/public/objections', '/'):
            for method, hdrs in (('OPTIONS', evil), ('GET', {'Origin': 'https://evil.example'})):
                st, h, _ = request(port, method, path, headers=hdrs)
                check(not any(k.startswith('access-control-') for k in h),
                      'CORS %s %s from a foreign origin: %d with %s' % (method, path, st,
                                                                      {k: v for k, v in h.items() if k.startswith('access-control-')}))
                check(st < 500, 'CORS %s %s: %d' % (method, path, st))

        # Malformed requests: 4xx, no SQL, no driver text, no stack, no file from outside.
        big = 'x' * 60000
        json_h = {'Content-Type': 'application/json'}
        cases = [
            ('POST', '/api/v1/public/objections', b'{"receipt": ', json_h),
            ('POST', '/api/v1/public/objections', b'\xff\xfe{"a":"\xc3\x28"}', json_h),
            ('POST', '/api/v1/public/objections', b'{"result_id": "\' OR 1=1 --", "code": "x; DROP TABLE results"}', json_h),
            ('POST', '/api/v1/plans/validate', b'[1, 2', {**json_h, **auth}),
            ('POST', '/api/v1/audit/verify', b'{}' + b' ' * (MAX_BODY + 10), {**json_h, **auth}),
            ('GET', '/api/v1/public/results?name=%ff%fe', None, {}),
            ('GET', '/api/v1/public/results?name=' + big, None, {}),
            ('GET', "/api/v1/public/results?name=%27%20OR%201%3D1--&region=51'%3B--", None, {}),
            ('GET', '/api/v1/public/results?limit=99999999999999999999', None, {}),
            ('GET', "/api/v1/public/entities/1'%20OR%20'1'%3D'1", None, {}),
            ('GET', "/api/v1/entities/1'%20UNION%20SELECT%20token_sha256%20FROM%20api_clients--", None, auth),
            ('GET', '/api/v1/public/draws/%00', None, {}),
            ('GET', '/api/v1/public/draws/..', None, {}),
            ('GET', '/api/v1/public/bulk/..%2f..%2f..%2fetc%2fpasswd', None, {}),
            ('GET', '/api/v1/public/bulk/%2e%2e', None, {}),
            ('GET', '/../../../../etc/passwd', None, {}),
            ('GET', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', None, {}),
            ('GET', '/js/..%2f..%2f..%2fetc%2fpasswd', None, {}),
            ('GET', '/.git/config', None, {}),
            ('GET', '/api/v1/audit/events?after=1%20OR%201=1', None, auth),
            ('GET', '/api/v1/org-units', None, {'Authorization': 'Bearer sjt_' + 'a' * 64 + "' OR '1'='1"}),
            ('GET', '/api/v1/org-units', None, {'Authorization': 'Basic YWRtaW46YWRtaW4='}),
        ]
        for method, path, body, hdrs in cases:
            st, h, data = request(port, method, path, body, hdrs)
            where = '%s %s' % (method, path[:80])
            check(st < 500, '%s: %d %s' % (where, st, data[:200]))
            check(b'root:' not in data, '%s: a file from outside the site came back' % where)
            if st >= 400:
                check(h.get('content-type', '').startswith('application/problem+json') or st == 413,
                      '%s: %d without problem+json: %s' % (where, st, h.get('content-type')))
                texts = {path, urllib.parse.unquote(path), urllib.parse.unquote(path.split('?')[0])}
                texts.update(urllib.parse.unquote(seg) for seg in path.split('?')[0].split('/'))
                for part in path.split('?', 1)[1:]:
                    for kv in part.split('&'):
                        texts.update(urllib.parse.unquote_plus(x) for x in kv.split('=', 1))
                if body:
                    texts.add(body.decode('utf-8', 'replace'))
                found = leaks(data, texts)
                check(not found, '%s: the error body names %s: %s' % (where, found, data[:300]))
            check(token.encode() not in data, '%s: the token came back' % where)

        # The log: one line per request, route templates; never the token, a query value or an id.
        request(port, 'GET', '/api/v1/entities/PROBE-ID-4711?x=1', headers=auth)
        request(port, 'GET', '/api/v1/public/results?name=PROBE-QUERY-VALUE')
        # The log is drained by a thread and written by several workers: wait for both lines.
        for _ in range(50):
            tail = ''.join(proc.log[-10:])
            if '"route":"/api/v1/entities/{id}"' in tail and '"route":"/api/v1/public/results"' in tail:
                break
            time.sleep(0.1)
        log = ''.join(proc.log)
        check(log.count('"route":') >= len(cases), 'the request log has %d lines for %d+ requests' % (log.count('"route":'), len(cases)))
        for secret in (token, token[4:20], 'PROBE-ID-4711', 'PROBE-QUERY-VALUE', 'evil.example', 'etc/passwd'):
            check(secret not in log, 'the request log holds %r' % secret)
        check('"route":"/api/v1/entities/{id}"' in log, 'the request log names the route template')

        # An expired token is refused (and counts as a refused token).
        st, _, body = request(port, 'GET', '/api/v1/org-units', headers={'Authorization': 'Bearer ' + expired})
        check(st == 401 and b'expired' in body, 'an expired token: %d %s' % (st, body[:200]))

        # Register uploads cannot move a record of another unit under the caller (IDOR by re-parenting):
        # 锦江区's admin may add units below itself, but not re-parent its sibling 青羊区, take over one of
        # 青羊区's officers, or move a 青羊区 entity into its own region. Nothing of that is written.
        def upload(kind, text):
            return request(port, 'POST', '/api/v1/' + kind, text.encode('utf-8'),
                           {'Authorization': 'Bearer ' + county, 'Content-Type': 'text/csv'})
        unit_head = '单位编码,单位名称,层级,上级单位,行政区划,部门\n'
        st, _, body = upload('org-units', unit_head + '510105-SAMR,成都市青羊区市场监督管理局,所,510104-SAMR,510104,SAMR\n')
        check(st == 403, 'the county re-parents its sibling unit: %d %s' % (st, body[:300]))
        st, _, body = upload('org-units', unit_head + '510000-SAMR,四川省市场监督管理局,所,510104-SAMR,510104,SAMR\n')
        check(st in (403, 422), 'the county re-parents the province (its ancestor): %d %s' % (st, body[:300]))
        st, _, body = upload('org-units', unit_head + '510104-SAMR-09,成都市锦江区市场监督管理局测试所,所,510104-SAMR,510104,SAMR\n')
        check(st == 200, 'the county adds a unit below itself: %d %s' % (st, body[:300]))
        lines = open(os.path.join(a.work, 'officers.csv'), encoding='utf-8-sig').read().splitlines()
        theirs = next(line.split(',') for line in lines[1:] if line.split(',')[2].startswith('510105-SAMR'))
        theirs[2], theirs[4] = '510104-SAMR', '510104'
        st, _, body = upload('officers', lines[0] + '\n' + ','.join(theirs) + '\n')
        check(st == 403, "the county takes over a sibling's officer: %d %s" % (st, body[:300]))
        lines = open(os.path.join(a.work, 'entities.csv'), encoding='utf-8-sig').read().splitlines()
        theirs = next(line.split(',') for line in lines[1:] if line.split(',')[2] == '510105')
        theirs[2] = '510104'
        st, _, body = upload('entities', lines[0] + '\n' + ','.join(theirs) + '\n')
        check(st == 403, "the county moves a sibling's entity into its region: %d %s" % (st, body[:300]))
        time.sleep(1.2)  # the server's hierarchy is at most 1 s old (Services::Units)
        _, _, body = request(port, 'GET', '/api/v1/org-units', headers={'Authorization': 'Bearer ' + county})
        codes = [u['code'] for u in json.loads(body)['items']]
        check('510105-SAMR' not in codes and '510000-SAMR' not in codes and '510104-SAMR-09' in codes,
              'the county sees units %s' % codes)
        st, _, body = request(port, 'GET', '/api/v1/entities/' + theirs[0], headers={'Authorization': 'Bearer ' + county})
        check(st == 404, "the county reads the sibling's entity after the upload: %d" % st)
        # The audit log is one chain over all units: a county admin may not list it (R6); verifying it,
        # which discloses only the head and whether it holds, stays open to it.
        st, h, body = request(port, 'GET', '/api/v1/audit/events?limit=5', headers={'Authorization': 'Bearer ' + county})
        check(st == 403 and h.get('content-type', '').startswith('application/problem+json') and b'bundle' in body,
              'the county lists the audit log: %d %s' % (st, body[:200]))
        st, _, body = request(port, 'GET', '/api/v1/audit/events?limit=5', headers=auth)
        check(st == 200 and json.loads(body)['items'], 'the unscoped auditor lists the audit log: %d' % st)

        # Brute force: 10 refused tokens a minute (FailureLimiter::kMaxFailures), then 429 with Retry-After
        # for the address, the good token too. Three were refused above (the SQL token, the Basic header
        # and the expired token).
        statuses = [request(port, 'GET', '/api/v1/org-units', headers={'Authorization': 'Bearer sjt_guess%02d' % i})[0]
                    for i in range(7)]
        check(statuses == [401] * 7, 'seven more wrong tokens: %s' % statuses)
        st, h, _ = request(port, 'GET', '/api/v1/org-units', headers=auth)
        check(st == 429 and int(h.get('retry-after', '0')) > 0, 'the 11th try: %d Retry-After %r' % (st, h.get('retry-after')))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    forwarded_clients(s, db, auth)
    if FAILURES:
        print('%d failures' % len(FAILURES))
        return 1
    print('security probe: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
