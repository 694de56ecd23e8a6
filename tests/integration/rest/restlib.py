"""Shared by the REST end-to-end tests (rest_e2e.py, results_e2e.py): failures collected by check(),
the suiji CLI, a JSON client that checks every 4xx/5xx is a problem+json matching docs/openapi.yaml, the
server started on a free port with its log drained, and a plan file for a unit and region (also with one
stratum), and the live draw of a plan."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import socket
import threading
import time
import urllib.error
import urllib.request

import jsonschema

FAILURES = []
NGINX_HOST = '127.0.0.2'


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL:', what, file=sys.stderr)
    return cond


def run(suiji, db, *args, ok=True, timeout=300):
    p = subprocess.run([suiji, '--db', db, *args], capture_output=True, text=True, timeout=timeout)
    if ok and p.returncode != 0:
        raise SystemExit('suiji %s failed (%d):\n%s%s' % (' '.join(args), p.returncode, p.stdout, p.stderr))
    return p


class Api:
    def __init__(self, port, doc):
        self.base = 'http://127.0.0.1:%d' % port
        self.doc = doc
        self.calls = 0

    def post(self, path, token=None, body=None, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body if body is not None else {}).encode()
        h = {'Content-Type': 'application/json', **(headers or {})}
        return self.get(path, token, method='POST', headers=h, data=data)

    def get(self, path, token=None, method='GET', headers=None, raw=False, data=None):
        req = urllib.request.Request(self.base + path, method=method, data=data)
        if token:
            req.add_header('Authorization', 'Bearer ' + token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        self.calls += 1
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, hdrs, body = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, body = e.code, dict(e.headers), e.read()
        if raw:
            return status, hdrs, body
        ctype = hdrs.get('Content-Type', '')
        data = json.loads(body) if 'json' in ctype else body.decode('utf-8', 'replace')
        if status >= 400:
            check(ctype.startswith('application/problem+json'), '%s %s: %d without problem+json (%s)' % (method, path, status, ctype))
            self.validate('Problem', data, '%s %s' % (method, path))
            check(status < 500, '%s %s: server error %d: %s' % (method, path, status, data))
        return status, hdrs, data

    def validate(self, schema_name, data, where):
        schema = {'$ref': '#/components/schemas/' + schema_name, 'components': self.doc['components']}
        try:
            jsonschema.Draft202012Validator(schema).validate(data)
        except jsonschema.ValidationError as e:
            check(False, '%s: response does not match %s: %s' % (where, schema_name, e.message))


def start_server(suiji, db, extra=()):
    proc = subprocess.Popen([suiji, '--db', db, 'serve', '--thrift-port', 'off', '--http-port', '0', '--for', '300',
                             '--token-refresh-ms', '200', '--http-threads', '4', *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = {}
    t = threading.Thread(target=lambda: first.setdefault('line', proc.stdout.readline()), daemon=True)
    t.start()
    t.join(30)
    m = re.match(r'http listening on (\S+):(\d+)', first.get('line', ''))
    if not m:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        raise SystemExit('suiji serve did not start: %r %s %s' % (first.get('line'), out, err))
    # The log (one line per request) is read as it comes: a full pipe would stall the server.
    proc.log = []
    proc.log_reader = threading.Thread(target=lambda: proc.log.extend(proc.stderr), daemon=True)
    proc.log_reader.start()
    return proc, int(m.group(2))


def plan_for(root, work, unit, region, plan_id):
    text = open(os.path.join(root, 'data/examples/demo/plan.yaml'), encoding='utf-8').read()
    text = re.sub(r'(?m)^id: .*$', 'id: ' + plan_id, text)
    text = re.sub(r'(?m)^org_unit: .*$', 'org_unit: ' + unit, text)
    text = re.sub(r'(?m)^  regions: \[510100\].*$', '  regions: [%s]' % region, text)
    path = os.path.join(work, plan_id + '.yaml')
    open(path, 'w', encoding='utf-8').write(text)
    return path


def flat_plan_for(root, work, unit, region, plan_id):
    """plan_for with one stratum, all (no credit classes): a plan whose bundle may be public."""
    path = plan_for(root, work, unit, region, plan_id)
    text = open(path, encoding='utf-8').read()
    text = re.sub(r'(?ms)^strata:.*?(?=^exclusions:)', 'strata:\n  - class: all\n    ratio: 2%\n\n', text)
    open(path, 'w', encoding='utf-8').write(text)
    return path


def draw_of(suiji, db, plan_id):
    """The live draw of a plan, from `suiji draw list` (DRAW PLAN STATE ...)."""
    return next(line.split()[0] for line in run(suiji, db, 'draw', 'list').stdout.splitlines()
                if len(line.split()) > 2 and line.split()[1] == plan_id and line.split()[2] != 'superseded')


def exit_status(name):
    """The script's exit status: 1 after printing the failure count when a check failed, else 0 after
    '<name> OK'."""
    if FAILURES:
        print('%d failure(s)' % len(FAILURES), file=sys.stderr)
        return 1
    print('%s OK' % name)
    return 0


def fresh_db(sqlite_name):
    """The command line (--suiji, --root, --work, --db), an emptied work folder and an empty database
    (a SQLite file there, or the PostgreSQL given with its schema dropped). Returns (args, db url)."""
    ap = argparse.ArgumentParser()
    ap.add_argument('--suiji', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--db', default='')
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    db = a.db or 'sqlite:' + os.path.join(a.work, sqlite_name)
    if db.startswith('postgresql:'):
        subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', db, '-c',
                        'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;'], check=True, capture_output=True)
    return a, db


def setup(sqlite_name, seed, entities):
    """fresh_db, then generated registers of province 51 (entities, officers, items) and the 成都 org
    units. Returns (args, suiji, db url)."""
    a, db = fresh_db(sqlite_name)
    s = a.suiji
    run(s, db, 'gen', '--seed', str(seed), '--entities', str(entities), '--officers', '300', '--out', a.work)
    run(s, db, 'init')
    for kind in ('entities', 'officers', 'items'):
        run(s, db, 'import', kind, os.path.join(a.work, kind + '.csv'))
    run(s, db, 'import', 'org-units', os.path.join(a.root, 'data/examples/registers/org_units.csv'))
    return a, s, db


def free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_nginx(root, work, upstream_port, max_body):
    """nginx with docs/deploy/nginx.conf in front of suiji's port, listening on NGINX_HOST (a loopback
    address of its own, so clients on others are told apart). Returns (process, port)."""
    prefix = os.path.join(work, 'nginx')
    shutil.rmtree(prefix, ignore_errors=True)
    os.makedirs(prefix)
    port = free_port(NGINX_HOST)
    conf = open(os.path.join(root, 'docs/deploy/nginx.conf'), encoding='utf-8').read()
    for k, v in (('@PREFIX@', prefix), ('@LISTEN@', '%s:%d' % (NGINX_HOST, port)),
                 ('@UPSTREAM@', '127.0.0.1:%d' % upstream_port), ('@MAX_BODY@', max_body)):
        conf = conf.replace(k, v)
    path = os.path.join(prefix, 'nginx.conf')
    open(path, 'w', encoding='utf-8').write(conf)
    # As root, nginx's workers would run as nobody, who may not write the prefix.
    main = 'daemon off;' + (' user root;' if os.geteuid() == 0 else '')
    proc = subprocess.Popen(['nginx', '-c', path, '-p', prefix, '-e', os.path.join(prefix, 'error.log'), '-g', main],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            socket.create_connection((NGINX_HOST, port), timeout=1).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit('nginx did not start: %s' % proc.stderr.read())
            time.sleep(0.05)
    raise SystemExit('nginx did not listen on %s:%d' % (NGINX_HOST, port))
