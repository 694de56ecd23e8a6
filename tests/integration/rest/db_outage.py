#!/usr/bin/env python3
"""PostgreSQL stopped under load and started again, with the server left running: on a private
PostgreSQL (scripts/pg.sh on its own port), 4 clients hammer an uncached listing and /readyz while the
database goes away for 3 s. During the outage every answer is a 503 problem+json (never a 500, a 401 or
a hang) within the request timeout and /readyz is red; when the database is back the server recovers
by itself (no restart, same process) and every answer is 200 again; nothing half-written (a commit
attempted during the outage leaves no draw, and the audit chain verifies).

    db_outage.py --suiji BIN --root SRC --work DIR --pg-port PORT
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from restlib import check, exit_status, plan_for, run, start_server  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--suiji', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--pg-port', required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    pg = os.path.join(a.root, 'scripts/pg.sh')
    subprocess.run([pg, 'start', a.pg_port], check=True)
    try:
        db = subprocess.run([pg, 'url', a.pg_port], check=True, capture_output=True, text=True).stdout.strip()
        s = a.suiji
        run(s, db, 'gen', '--seed', '7', '--entities', '3000', '--officers', '100', '--out', a.work)
        run(s, db, 'init')
        for kind in ('entities', 'officers', 'items'):
            run(s, db, 'import', kind, os.path.join(a.work, kind + '.csv'))
        token = re.search(r'(sjt_[0-9a-f]+)', run(s, db, 'client', 'add', 'load', '--department', 'SAMR', '--role',
                                                 'admin').stdout).group(1)
        proc, port = start_server(s, db, ('--http-cache-ms', '0'))
        base = 'http://127.0.0.1:%d' % port
        log, stop = [], threading.Event()

        def get(path, auth=True, data=None):
            req = urllib.request.Request(base + path, data=data, method='POST' if data else 'GET')
            if auth:
                req.add_header('Authorization', 'Bearer ' + token)
            if data:
                req.add_header('Content-Type', 'application/json')
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    status, ctype = r.status, r.headers.get('Content-Type', '')
                    r.read()
            except urllib.error.HTTPError as e:
                status, ctype = e.code, e.headers.get('Content-Type', '')
                e.read()
            except Exception as e:  # a hang past the timeout, a reset
                status, ctype = 'error: %r' % e, ''
            return status, ctype, time.monotonic() - t0, t0

        def hammer(path):
            while not stop.is_set():
                log.append((path,) + get(path, auth=path.startswith('/api/')))
        workers = [threading.Thread(target=hammer, args=(p,)) for p in
                   ('/api/v1/entities?limit=20', '/api/v1/entities?limit=20&region=510100', '/api/v1/draws', '/readyz')]
        [w.start() for w in workers]
        time.sleep(1.0)
        t_down = time.monotonic()
        subprocess.run([pg, 'stop', a.pg_port], check=True)
        time.sleep(0.5)
        plan = plan_for(a.root, a.work, '510100-SAMR', '510100', 'OUTAGE-1')
        body = json.dumps({'plan': open(plan, encoding='utf-8').read(), 'as_of': '2026-11-30'}).encode()
        commit = get('/api/v1/draws', data=body)
        time.sleep(2.5)
        t_up = time.monotonic()
        subprocess.run([pg, 'resume', a.pg_port], check=True)
        t_back = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            st, _, _, _ = get('/api/v1/entities?limit=20')
            if st == 200:
                t_back = time.monotonic()
                break
            time.sleep(0.05)
        time.sleep(1.0)
        stop.set()
        [w.join(30) for w in workers]

        during = [e for e in log if t_down + 0.3 < e[4] < t_up]
        after = [e for e in log if t_back and e[4] > t_back + 0.2]
        kinds = {}
        for e in during:
            kinds[(e[0].split('?')[0], e[1])] = kinds.get((e[0].split('?')[0], e[1]), 0) + 1
        check(during and all(e[1] == 503 and e[2].startswith('application/problem+json') for e in during),
              'during the outage every answer is a 503 problem: %s' % kinds)
        check(all(e[3] < 2.0 for e in during), 'answers during the outage within 2 s: max %.2f s' %
              max([e[3] for e in during] or [0]))
        check(commit[0] == 503, 'a commit during the outage: %s' % (commit[:2],))
        check(t_back is not None, 'the server did not recover within 20 s of the database')
        check(after and all(e[1] == 200 for e in after), 'after recovery every answer is 200: %s' %
              sorted({str(e[1]) for e in after}))
        check(proc.poll() is None, 'the server is the same process')
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the server stopped cleanly')
        draws = run(s, db, 'draw', 'list').stdout
        check('OUTAGE-1' not in draws, 'the commit attempted during the outage left nothing')
        check('audit chain OK' in run(s, db, 'audit', 'verify').stdout, 'the audit chain after the outage')
        print('db outage: %d requests during %.1f s down (%s), recovered %.2f s after the database, %d requests after' % (
            len(during), t_up - t_down, kinds, (t_back or 0) - t_up, len(after)))
    finally:
        subprocess.run([pg, 'stop', a.pg_port])
    return exit_status('db outage')


if __name__ == '__main__':
    sys.exit(main())
