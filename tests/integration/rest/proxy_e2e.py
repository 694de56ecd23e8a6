"""suiji behind the shipped nginx configuration (docs/deploy/nginx.conf), both real, on loopback.

nginx listens on 127.0.0.2 and the test's clients connect from other loopback addresses (127.0.0.3...),
so the forwarded client differs from the proxy (127.0.0.1 as suiji sees it):
  - answers pass through with HSTS, and nginx's request id is the one suiji echoes and logs;
  - suiji (--trusted-proxy 127.0.0.1) logs and limits the real client: ten wrong tokens from one client
    lock it out (429), another client behind the same proxy still gets 200;
  - a body over client_max_body_size is refused by nginx with suiji's 413 problem+json;
  - a third body in flight from one client, or a fifth from all, is 503 problem+json with Retry-After
    (slow uploads holding the slots), while a client with a free slot gets through;
  - with suiji stopped, nginx answers 503 problem+json with Retry-After.
Every problem body is validated against docs/openapi.yaml's Problem schema.

    /usr/bin/python3 proxy_e2e.py --suiji BIN --root SOURCE_DIR --work DIR
"""
import http.client
import json
import os
import re
import socket
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from restlib import NGINX_HOST, Api, check, exit_status, run, setup, start_nginx, start_server  # noqa: E402

MAX_BODY = 65536


def request(port, method, path, client, headers=None, body=None):
    c = http.client.HTTPConnection(NGINX_HOST, port, timeout=30, source_address=(client, 0))
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def check_problem(api, status, hdrs, data, want_status, want_type, what):
    check(status == want_status, '%s: %d, expected %d (%r)' % (what, status, want_status, data[:200]))
    check(hdrs.get('content-type', '').startswith('application/problem+json'), '%s: type %r' % (what, hdrs.get('content-type')))
    try:
        doc = json.loads(data)
    except ValueError:
        check(False, '%s: not JSON: %r' % (what, data[:200]))
        return
    api.validate('Problem', doc, what)
    check(doc.get('type') == 'urn:suiji:problem:' + want_type, '%s: %s' % (what, doc.get('type')))


def slow_upload(port, client, token):
    """A POST whose headers are sent and whose body never finishes: it holds a body slot at nginx."""
    s = socket.create_connection((NGINX_HOST, port), timeout=30, source_address=(client, 0))
    s.sendall(('POST /api/v1/plans/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n'
               'Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"plan":"' % token).encode())
    return s


def main():
    a, s, db = setup('proxy.db', 2031, 300)
    token = re.search(r'token \(shown once, store it now\): (\S+)',
                      run(s, db, 'client', 'add', 'proxy-auditor', '--department', 'SAMR', '--role', 'auditor').stdout).group(1)
    admin = re.search(r'token \(shown once, store it now\): (\S+)',
                      run(s, db, 'client', 'add', 'proxy-admin', '--department', 'SAMR', '--role', 'admin').stdout).group(1)
    doc = yaml.safe_load(open(os.path.join(a.root, 'docs/openapi.yaml'), encoding='utf-8'))
    server, upstream = start_server(s, db, ('--trusted-proxy', '127.0.0.1', '--max-body', str(MAX_BODY),
                                            '--public-rate', '0'))
    nginx, port = start_nginx(a.root, a.work, upstream, '64k')
    api = Api(port, doc)
    auth = {'Authorization': 'Bearer ' + token}
    try:
        st, h, _ = request(port, 'GET', '/healthz', '127.0.0.3')
        check(st == 200, 'healthz through nginx: %d' % st)
        check(h.get('strict-transport-security', '').startswith('max-age='), 'HSTS: %r' % h.get('strict-transport-security'))
        st, h, body = request(port, 'GET', '/api/v1/org-units', '127.0.0.3', auth)
        check(st == 200 and json.loads(body), 'org units through nginx: %d' % st)
        rid = h.get('x-request-id', '')
        check(re.fullmatch(r'[0-9a-f]{32}', rid) is not None, "nginx's request id echoed: %r" % rid)

        # Ten wrong tokens from 127.0.0.3: it is locked out; 127.0.0.4 is not.
        statuses = [request(port, 'GET', '/api/v1/org-units', '127.0.0.3', {'Authorization': 'Bearer sjt_w%02d' % i})[0]
                    for i in range(10)]
        check(statuses == [401] * 10, 'ten wrong tokens through nginx: %s' % statuses)
        st, h, data = request(port, 'GET', '/api/v1/org-units', '127.0.0.3', auth)
        check_problem(api, st, h, data, 429, 'too-many-requests', 'the brute-forcer, 11th try')
        st, _, _ = request(port, 'GET', '/api/v1/org-units', '127.0.0.4', auth)
        check(st == 200, 'another client behind the proxy: %d' % st)

        # A body over client_max_body_size (64k = suiji's --max-body) is nginx's 413, in suiji's shape.
        st, h, data = request(port, 'POST', '/api/v1/plans/validate', '127.0.0.4',
                              {**auth, 'Content-Type': 'application/json'}, b'{"plan":"' + b'a' * 200000 + b'"}')
        check_problem(api, st, h, data, 413, 'too-large', 'a 200 kB body through nginx')

        # Body slots: two per client, four in all.
        held = [slow_upload(port, '127.0.0.5', admin), slow_upload(port, '127.0.0.5', admin)]
        time.sleep(0.3)
        st, h, data = request(port, 'POST', '/api/v1/plans/validate', '127.0.0.5',
                              {**auth, 'Content-Type': 'application/json'}, b'{"plan":"x"}')
        check_problem(api, st, h, data, 503, 'unavailable', "a third body from one client")
        check(h.get('retry-after') == '1', 'Retry-After on the 503: %r' % h.get('retry-after'))
        st, h, data = request(port, 'POST', '/api/v1/plans/validate', '127.0.0.6',
                              {**auth, 'Content-Type': 'application/json'}, b'{"plan":"x"}')
        check(st == 422, 'a body from a client with free slots reaches suiji (422: not a plan): %d %r' % (st, data[:200]))
        held += [slow_upload(port, '127.0.0.6', admin), slow_upload(port, '127.0.0.7', admin)]
        time.sleep(0.3)
        st, h, data = request(port, 'POST', '/api/v1/plans/validate', '127.0.0.8',
                              {**auth, 'Content-Type': 'application/json'}, b'{"plan":"x"}')
        check_problem(api, st, h, data, 503, 'unavailable', 'a fifth body in flight')
        st, _, _ = request(port, 'GET', '/api/v1/org-units', '127.0.0.8', auth)
        check(st == 200, 'reads are not limited by the body slots: %d' % st)
        for c in held:
            c.close()
        time.sleep(0.3)
        st, _, _ = request(port, 'POST', '/api/v1/plans/validate', '127.0.0.8',
                           {**auth, 'Content-Type': 'application/json'}, b'{"plan":"x"}')
        check(st == 422, 'the slots are free again once the uploads end: %d' % st)
    finally:
        server.terminate()
        check(server.wait(timeout=30) == 0, 'suiji stopped cleanly')
        server.log_reader.join(5)
    lines = [json.loads(line) for line in server.log if line.startswith('{')]
    clients = {line.get('client') for line in lines}
    check(clients <= {'127.0.0.3', '127.0.0.4', '127.0.0.6', '127.0.0.8'} and '127.0.0.3' in clients,
          'suiji logs the forwarded clients, never the proxy: %s' % clients)
    check(any(line.get('request_id') == rid for line in lines), "suiji's log carries nginx's request id %s" % rid)
    try:
        st, h, data = request(port, 'GET', '/api/v1/org-units', '127.0.0.3', auth)
        check_problem(api, st, h, data, 503, 'unavailable', 'suiji stopped, nginx answers')
        check(h.get('retry-after') == '1', 'Retry-After while suiji is down: %r' % h.get('retry-after'))
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
    return exit_status('proxy')


if __name__ == '__main__':
    sys.exit(main())
