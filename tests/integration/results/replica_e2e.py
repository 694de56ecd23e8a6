#!/usr/bin/env python3
"""The public API on a PostgreSQL hot standby (serve --public-db): a private primary and a streaming
replica (pg_basebackup -R, scripts/pg.sh replica), both throw-away on Unix sockets. A result published
on the primary shows on the replica-backed public API once replayed; with the primary stopped the
public routes still answer from the replica while the regulator routes and the objection (a write) are
503; a write straight to the replica is refused (read-only); with the primary back, the next
publication shows too.

    replica_e2e.py --suiji BIN --root SRC --work DIR --pg-port PORT   (uses PORT and PORT+1)
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from restlib import Api, check, exit_status, plan_for, run, start_server  # noqa: E402

T0 = 0
TODAY = '2026-12-07'
os.environ['SUIJI_CLOCK_START'] = TODAY + 'T09:00:00Z'


def publish(s, db, draw, entity, team):
    rid = None
    out = run(s, db, 'result', 'enter', draw, entity, '--officer', team[0], '--result', '未发现问题',
              '--inspected-on', '2026-12-01', '--all-items', 'no_problem').stdout
    rid = re.search(r'result (R-\w+)', out).group(1)
    run(s, db, 'result', 'sign', rid, '--officer', team[0])
    run(s, db, 'result', 'sign', rid, '--officer', team[1])
    run(s, db, 'result', 'approve', rid, '--actor', 'reviewer-1')
    run(s, db, 'result', 'publish', rid, '--actor', 'reviewer-1')
    return rid


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
    global T0
    T0 = time.monotonic()
    primary_port, replica_port = a.pg_port, str(int(a.pg_port) + 1)
    subprocess.run([pg, 'start', primary_port], check=True)
    proc = None
    try:
        primary = subprocess.run([pg, 'url', primary_port], check=True, capture_output=True, text=True).stdout.strip()
        replica = subprocess.run([pg, 'url', replica_port], check=True, capture_output=True, text=True).stdout.strip()
        s = a.suiji
        run(s, primary, 'init')
        subprocess.run([pg, 'replica', replica_port, primary_port], check=True)
        print('%.1f s: replica up' % (time.monotonic() - T0), flush=True)
        run(s, primary, 'gen', '--seed', '2027', '--entities', '6000', '--officers', '300', '--out', a.work)
        for kind in ('entities', 'officers', 'items'):
            run(s, primary, 'import', kind, os.path.join(a.work, kind + '.csv'))
        run(s, primary, 'draw', 'commit', plan_for(a.root, a.work, '510100-SAMR', '510100', 'REPLICA-1'), '--as-of', '2026-11-30')
        draw = run(s, primary, 'draw', 'list').stdout.strip().splitlines()[-1].split()[0]
        run(s, primary, 'draw', 'reveal', draw, '--entropy', '3141 5926 5358 9793 2384')
        run(s, primary, 'pair', 'commit', draw)
        run(s, primary, 'pair', 'reveal', draw + '-P1', '--entropy', '2718 2818 2845 9045 2353')
        tasks = [re.match(r'(R-\w+)  (\S+)  (\S+)  (\S+)  team (\S+)$', l) for l in
                 run(s, primary, 'task', 'list', '--draw', draw).stdout.splitlines()]
        tasks = [(m.group(3), m.group(5).split(',')) for m in tasks if m]
        print('%.1f s: paired' % (time.monotonic() - T0), flush=True)
        rid1 = publish(s, primary, draw, *tasks[0])
        token = re.search(r'(sjt_[0-9a-f]+)', run(s, primary, 'client', 'add', 'aud', '--department', 'SAMR', '--role',
                                                 'auditor').stdout).group(1)

        proc, port = start_server(s, primary, ('--public-db', replica, '--http-cache-ms', '0'))
        doc = yaml.safe_load(urllib.request.urlopen('http://127.0.0.1:%d/api/v1/openapi.yaml' % port, timeout=10).read())
        api = Api(port, doc)

        def shows(rid, timeout=15):
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                st, _, body = api.get('/api/v1/public/results/' + rid)
                if st == 200:
                    return body
                time.sleep(0.1)
            return None
        print('%.1f s: serving' % (time.monotonic() - T0), flush=True)
        rec = shows(rid1)
        if not rec:
            print('last answer:', api.get('/api/v1/public/results/' + rid1), file=sys.stderr)
        check(rec and rec['record_id'] == rid1, 'the result published on the primary shows from the replica')
        check(api.get('/api/v1/draws', token)[0] == 200, 'regulator routes read the primary')

        # The primary goes away: the replica still answers the public; the rest is 503.
        subprocess.run([pg, 'stop', primary_port], check=True)
        time.sleep(0.3)
        st, _, page = api.get('/api/v1/public/results?region=510100')
        check(st == 200 and page['total'] == 1, 'public search from the replica with the primary down: %d' % st)
        check(api.get('/api/v1/public/entities/' + tasks[0][0])[0] == 200, 'an entity page from the replica')
        check(api.get('/api/v1/draws', token, raw=True)[0] == 503, 'regulator routes are 503 without the primary')
        st, _, _ = api.get('/api/v1/public/objections', method='POST', raw=True, headers={'Content-Type': 'application/json'},
                           data=json.dumps({'result_id': rid1, 'code': 'x', 'reason': 'y'}).encode())
        check(st == 503, 'the objection (a write, to the primary) is 503: %d' % st)
        p = run(s, replica, 'client', 'add', 'intruder', '--department', 'SAMR', '--role', 'admin', ok=False)
        check(p.returncode != 0 and 'read-only' in (p.stdout + p.stderr), 'a write on the replica is refused: %s' %
              (p.stdout + p.stderr)[-200:])

        # The primary is back: the next publication reaches the public through the replica.
        subprocess.run([pg, 'resume', primary_port], check=True)
        rid2 = publish(s, primary, draw, *tasks[1])
        rec2 = shows(rid2)
        check(rec2 and rec2['record_id'] == rid2, 'a publication after the primary returned shows from the replica')
        st, _, page = api.get('/api/v1/public/results?region=510100')
        check(page['total'] == 2, 'both results public: %s' % page.get('total'))
        print('replica: published on the primary, read from the standby; primary down: public 200, regulator 503')
    finally:
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            check(proc.wait(timeout=30) == 0, 'the server stopped cleanly')
        subprocess.run([pg, 'stop', replica_port])
        subprocess.run([pg, 'stop', primary_port])
    return exit_status('replica')


if __name__ == '__main__':
    sys.exit(main())
