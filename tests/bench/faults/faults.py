#!/usr/bin/python3
"""Faults under load (issue 14 item 3), driven by faults.sh: a real `suiji serve` on loopback over a real
PostgreSQL, loaded with wrk, while one fault at a time is injected. Prints one summary table.

    faults.py run --suiji BIN --db URL --pg-sh scripts/pg.sh --pg-port PORT --token TOKEN [--phases a,b,...]
    faults.py hold --port P --idle N --slow M --secs S     (the connection holder phase 3 runs as a child)

Phases (all by default):
  outage  PostgreSQL stopped for 6 s under wrk load, then started again: the answers and errors by kind,
          /readyz, the time from PostgreSQL back to the first 200.
  slow    a psql session holds ACCESS EXCLUSIVE on entities for 10 s under wrk load: how long requests
          to the listing wait, what they get, and whether /healthz on the same workers still answers.
  conns   wrk (16 connections) on the listing alone, then beside 10^4 idle connections and slowloris
          clients (headers a byte a second): real clients' req/s and p99, how long the others survive.
  bodies  bodies at, just over and far over --max-body, many at once: statuses, server peak RSS.
  proxied the same floods through nginx with docs/deploy/nginx.conf in front (nginx-light).
"""
import argparse
import http.client
import json
import os
import re
import select
import selectors
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../..'))
sys.path.insert(0, os.path.join(ROOT, 'tests/integration/rest'))
import restlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTE = '/api/v1/entities?limit=20&region=510100'
ROWS = []  # (phase, metric, value) for the summary table


def row(phase, metric, value):
    ROWS.append((phase, metric, value))
    print('  %-7s %-58s %s' % (phase, metric, value), flush=True)


# ---- the server --------------------------------------------------------------------------------------------------
class Server:
    def __init__(self, a, extra=()):
        self.proc = subprocess.Popen([a.suiji, '--db', a.db, 'serve', '--thrift-port', 'off', '--http-port', '0',
                                      '--http-threads', '2', '--http-cache-ms', '0', '--public-rate', '0',
                                      '--token-refresh-ms', '1000', *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The request log is drained (a full pipe would stall the server); other lines are kept.
        self.errors = []
        threading.Thread(target=lambda: self.errors.extend(l.strip() for l in self.proc.stderr
                                                           if '"request_id"' not in l), daemon=True).start()
        line = self.proc.stdout.readline()
        m = re.match(r'http listening on \S+:(\d+)', line)
        if not m:
            self.proc.kill()
            raise SystemExit('suiji serve did not start: %r' % line)
        self.port = int(m.group(1))

    def rss_kb(self):
        try:
            with open('/proc/%d/status' % self.proc.pid) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def fate(self):
        """'yes' while it runs, else how it ended (and Pistache's last words, if any)."""
        if self.proc.poll() is None:
            return 'yes'
        time.sleep(0.2)
        said = [l for l in self.errors if 'terminate' in l or 'what()' in l or 'Assertion' in l]
        return 'NO: exit status %s%s' % (self.proc.returncode, (' (' + ' '.join(said)[:120] + ')') if said else '')

    def fds(self):
        try:
            return len(os.listdir('/proc/%d/fd' % self.proc.pid))
        except OSError:
            return -1

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def request(port, path, token=None, timeout=30.0, method='GET', body=None):
    """One request on a fresh connection: (status or 'error:...', content type, Retry-After, seconds)."""
    t0 = time.monotonic()
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        h = {'Authorization': 'Bearer ' + token} if token else {}
        if body is not None:
            h['Content-Type'] = 'application/json'
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        r.read()
        return r.status, r.getheader('Content-Type', ''), r.getheader('Retry-After'), time.monotonic() - t0
    except Exception as e:  # a timeout, a reset
        return 'error:' + type(e).__name__, '', None, time.monotonic() - t0
    finally:
        c.close()


class Probe(threading.Thread):
    """Polls a path sequentially every `every` seconds; log of (t_start, status, ctype, retry_after, secs)."""

    def __init__(self, port, path, token=None, every=0.05, timeout=30.0):
        super().__init__(daemon=True)
        self.args = (port, path, token, timeout)
        self.every, self.log, self.halt = every, [], threading.Event()

    def run(self):
        port, path, token, timeout = self.args
        while not self.halt.is_set():
            t = time.monotonic()
            st, ct, ra, secs = request(port, path, token, timeout)
            self.log.append((t, st, ct, ra, secs))
            self.halt.wait(max(0.0, self.every - secs))

    def stop(self):
        self.halt.set()
        self.join(60)


def wrk(port, conns, dur, token=None, path=ROUTE, timeout='30s'):
    """Starts wrk in the background; .result() waits and parses it."""
    cmd = ['wrk', '-t2', '-c%d' % conns, '-d%ds' % dur, '--timeout', timeout, '--latency', '-s',
           os.path.join(HERE, 'status.lua')]
    if token:
        cmd += ['-H', 'Authorization: Bearer ' + token]
    cmd.append('http://127.0.0.1:%d%s' % (port, path))
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def result():
        out = p.communicate()[0]
        r = {'counts': {}, 'raw': out}
        for line in out.splitlines():
            f = line.split()
            if line.startswith('Requests/sec:'):
                r['rps'] = float(f[1])
            elif f[:1] == ['count']:
                r['counts'][f[1]] = int(f[2])
            elif f[:1] == ['errors']:
                r['errors'] = dict(zip(f[1::2], map(int, f[2::2])))
            elif f[:1] == ['latency']:
                r['lat'] = dict(zip(f[1::2], map(float, f[2::2])))
        if 'rps' not in r:
            raise SystemExit('wrk failed:\n' + out)
        return r
    p.result = result
    return p


def fmt_counts(r):
    c = r['counts']
    parts = ['%s: %d' % (k, v) for k, v in sorted(c.items()) if k.isdigit()]
    e = {k: v for k, v in r.get('errors', {}).items() if v and k != 'status'}
    return ', '.join(parts) + ('; socket errors ' + ', '.join('%s %d' % kv for kv in e.items()) if e else
                               '; no socket errors')


def ms(s):
    return '%.0f ms' % (s * 1000)


def statuses(log):
    out = {}
    for e in log:
        out[str(e[1])] = out.get(str(e[1]), 0) + 1
    return ', '.join('%s: %d' % kv for kv in sorted(out.items())) or 'none'


# ---- phase 1: PostgreSQL stopped and started again -------------------------------------------------------------------
def phase_outage(a):
    print('== outage: PostgreSQL stopped 6 s under wrk -c32 -d18s', flush=True)
    s = Server(a)
    try:
        route = Probe(s.port, ROUTE, a.token, 0.05, 10)
        ready = Probe(s.port, '/readyz', None, 0.1, 10)
        w = wrk(s.port, 32, 18, a.token, timeout='10s')
        route.start(); ready.start()
        time.sleep(4)
        t_stop0 = time.monotonic()
        subprocess.run([a.pg_sh, 'stop', a.pg_port], check=True)
        t_down = time.monotonic()
        time.sleep(6)
        t_up0 = time.monotonic()
        subprocess.run([a.pg_sh, 'resume', a.pg_port], check=True)
        t_up = time.monotonic()
        r = w.result()
        route.stop(); ready.stop()
        during = [e for e in route.log if t_down + 0.2 < e[0] and e[0] + e[4] < t_up0]
        rd = [e for e in ready.log if t_down + 0.2 < e[0] and e[0] + e[4] < t_up0]
        first = next((e for e in route.log if e[0] > t_up0 and e[1] == 200), None)
        after = [e for e in route.log if first and e[0] > first[0]]
        row('outage', 'wrk -c32 -d18s: req/s over the whole run', '%.0f' % r['rps'])
        row('outage', 'wrk: answers by status', fmt_counts(r))
        row('outage', 'wrk: 503s that are problem+json / carry Retry-After',
            '%d / %d of %d' % (r['counts'].get('503problem', 0), r['counts'].get('503retry', 0),
                               r['counts'].get('503', 0)))
        row('outage', 'wrk: latency p50 / p99 / max', '%.1f / %.1f / %.1f ms' % (r['lat']['p50_ms'], r['lat']['p99_ms'],
                                                                              r['lat']['max_ms']))
        row('outage', 'connections held by wrk throughout', '32 (socket errors above: %d)' %
            sum(v for k, v in r.get('errors', {}).items() if k != 'status'))
        row('outage', 'probe during the outage (%.1f s): statuses' % (t_up0 - t_down), statuses(during))
        row('outage', 'probe during the outage: problem+json, max latency',
            '%d of %d, %s' % (sum(1 for e in during if e[2].startswith('application/problem+json')), len(during),
                              ms(max([e[4] for e in during] or [0]))))
        row('outage', '/readyz during the outage', statuses(rd))
        row('outage', 'pg_ctl stop took / pg_ctl start took', '%s / %s' % (ms(t_down - t_stop0), ms(t_up - t_up0)))
        row('outage', 'recovery: PostgreSQL ready -> first 200 (no restart)',
            ms(first[0] + first[4] - t_up) if first else 'NOT RECOVERED')
        row('outage', 'after recovery: statuses', statuses(after))
        row('outage', 'the server is the same process, still running', s.fate())
    finally:
        s.stop()
        subprocess.run([a.pg_sh, 'resume', a.pg_port], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


# ---- phase 2: a slow database (a table locked) -----------------------------------------------------------------------
def phase_slow(a):
    lock_s = 10
    print('== slow: entities locked ACCESS EXCLUSIVE for %d s under wrk -c32 -d16s' % lock_s, flush=True)
    extra = ['--db-timeout-ms', str(a.db_timeout_ms)] if a.db_timeout_ms is not None else []
    s = Server(a, extra)
    try:
        route = Probe(s.port, ROUTE, a.token, 0.2, 60)
        health = Probe(s.port, '/healthz', None, 0.2, 60)
        w = wrk(s.port, 32, 16, a.token, timeout='30s')
        route.start(); health.start()
        time.sleep(3)
        psql = subprocess.Popen(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', a.db], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, text=True)
        psql.stdin.write('BEGIN;\nLOCK TABLE entities IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(%d);\nCOMMIT;\n' % lock_s)
        psql.stdin.close()
        t_lock = time.monotonic()
        psql.wait()
        t_free = time.monotonic()
        r = w.result()
        time.sleep(1)
        route.stop(); health.stop()
        during = [e for e in route.log if t_lock + 0.3 < e[0] < t_free]
        hd = [e for e in health.log if t_lock + 0.3 < e[0] < t_free]
        first = next((e for e in route.log if e[0] > t_free and e[1] == 200), None)
        row('slow', 'wrk -c32 -d16s: answers by status', fmt_counts(r))
        row('slow', 'wrk: 503s that are problem+json / carry Retry-After',
            '%d / %d of %d' % (r['counts'].get('503problem', 0), r['counts'].get('503retry', 0),
                               r['counts'].get('503', 0)))
        row('slow', 'wrk: latency p50 / p99 / max', '%.1f / %.1f / %.1f ms' % (r['lat']['p50_ms'], r['lat']['p99_ms'],
                                                                            r['lat']['max_ms']))
        row('slow', 'listing probe while locked (%.1f s): statuses' % (t_free - t_lock), statuses(during))
        row('slow', 'listing probe while locked: max latency', ms(max([e[4] for e in during] or [0])))
        row('slow', '/healthz while locked: statuses, max latency', '%s, %s' % (statuses(hd),
                                                                              ms(max([e[4] for e in hd] or [0]))))
        row('slow', 'lock released -> first 200', ms(first[0] + first[4] - t_free) if first else 'none')
        row('slow', 'the server is still running afterwards', s.fate())
    finally:
        s.stop()


# ---- phase 3: idle connections and slowloris --------------------------------------------------------------------------
def hold(a):
    """Opens `idle` connections that send nothing and `slow` that dribble a header a byte a second; for `secs`
    seconds records when the server closes each. Prints one JSON line when every connection is open
    ("opened"), then the result."""
    sel = selectors.DefaultSelector()
    t0 = time.monotonic()
    socks, failed = [], 0
    for i in range(a.idle + a.slow):
        try:
            s = socket.create_connection(('127.0.0.1', a.port), timeout=5)
            s.setblocking(False)
            kind = 'slow' if i < a.slow else 'idle'
            if kind == 'slow':
                s.send(b'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ')
            socks.append([s, kind, time.monotonic(), None])
            sel.register(s, selectors.EVENT_READ, len(socks) - 1)
        except OSError:
            failed += 1
    print(json.dumps({'opened': len(socks), 'failed': failed, 'secs': round(time.monotonic() - t0, 2)}), flush=True)
    end = time.monotonic() + a.secs
    next_byte = time.monotonic() + 1
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.2):
            e = socks[key.data]
            try:
                data = e[0].recv(65536)
            except OSError:
                data = b''
            if not data:
                e[3] = time.monotonic()
                sel.unregister(e[0])
                e[0].close()
        if time.monotonic() >= next_byte:
            next_byte += 1
            for e in socks:
                if e[1] == 'slow' and e[3] is None:
                    try:
                        e[0].send(b'a')
                    except OSError:
                        pass
    out = {}
    for kind in ('idle', 'slow'):
        mine = [e for e in socks if e[1] == kind]
        closed = sorted(e[3] - e[2] for e in mine if e[3] is not None)
        out[kind] = {'n': len(mine), 'open_at_end': sum(1 for e in mine if e[3] is None), 'closed': len(closed),
                     'min_s': round(closed[0], 1) if closed else None,
                     'median_s': round(closed[len(closed) // 2], 1) if closed else None,
                     'max_s': round(closed[-1], 1) if closed else None}
    print(json.dumps(out), flush=True)


def phase_conns(a):
    n_idle, n_slow, secs = a.idle, 200, 40
    print('== conns: wrk -c16 -d10s alone, then beside %d idle + %d slowloris connections' % (n_idle, n_slow), flush=True)
    s = Server(a)
    try:
        base = wrk(s.port, 16, 10, a.token).result()
        row('conns', 'real clients alone (wrk -c16 -d10s): req/s, p99',
            '%.0f, %.1f ms (%s)' % (base['rps'], base['lat']['p99_ms'], fmt_counts(base)))
        rss0 = s.rss_kb()
        h = subprocess.Popen([sys.executable, __file__, 'hold', '--port', str(s.port), '--idle', str(n_idle),
                              '--slow', str(n_slow), '--secs', str(secs)], stdout=subprocess.PIPE, text=True)
        opened = json.loads(h.stdout.readline())
        t_open = time.monotonic()
        row('conns', 'connections opened by the holder (idle + slow), time to open',
            '%d of %d (%d refused/failed), %.1f s' % (opened['opened'], n_idle + n_slow, opened['failed'],
                                                      opened['secs']))
        row('conns', 'server fds / RSS with them open', '%d / %d MB (before: %d MB)' % (s.fds(), s.rss_kb() // 1024,
                                                                                     rss0 // 1024))
        probe = Probe(s.port, '/healthz', None, 0.1, 30)
        probe.start()
        loaded = wrk(s.port, 16, 10, a.token).result()
        probe.stop()
        row('conns', 'real clients beside them (wrk -c16 -d10s): req/s, p99',
            '%.0f, %.1f ms (%s)' % (loaded['rps'], loaded['lat']['p99_ms'], fmt_counts(loaded)))
        row('conns', 'a new client meanwhile (/healthz, fresh connection): max latency, statuses',
            '%s, %s' % (ms(max([e[4] for e in probe.log] or [0])), statuses(probe.log)))
        row('conns', 'server fds after the wrk run (%.0f s after opening)' % (time.monotonic() - t_open), str(s.fds()))
        row('conns', 'the server is still running', s.fate())
        res = json.loads(h.stdout.readline())
        h.wait()
        for kind, what in (('idle', 'idle connections (send nothing)'), ('slow', 'slowloris (1 header byte/s)')):
            k = res[kind]
            row('conns', '%s: closed by the server within %d s' % (what, secs),
                '%d of %d; survived min/median/max %s/%s/%s s; open at end %d' % (
                    k['closed'], k['n'], k['min_s'], k['median_s'], k['max_s'], k['open_at_end']))
    finally:
        s.stop()


# ---- phase 4: bodies at and over the limit ----------------------------------------------------------------------------
def post_raw(port, token, size, timeout=60, host='127.0.0.1'):
    """POST /api/v1/plans/validate with a JSON body of exactly `size` bytes, sent whole. (status, ctype, type)."""
    head = b'{"plan":"'
    body = head + b'a' * max(0, size - len(head) - 2) + b'"}'
    req = ('POST /api/v1/plans/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: '
           'application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' % (token, len(body))).encode()
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        # Sent while watching for an early answer: a server that refuses a large body answers before
        # reading it all, and then stops reading (a blocking sendall would wait for ever).
        data, off, deadline = memoryview(req + body), 0, time.monotonic() + timeout
        while off < len(data) and time.monotonic() < deadline:
            r, w, _ = select.select([s], [s], [], 1.0)
            if r:
                break
            if w:
                try:
                    off += s.send(data[off:off + (1 << 20)])
                except OSError:
                    break
        resp = b''
        while b'\r\n\r\n' not in resp:
            chunk = s.recv(65536)
            if not chunk:
                break
            resp += chunk
        if not resp:
            return 'reset', '', ''
        head, _, rest = resp.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        status = int(lines[0].split()[1])
        hdr = {l.split(':', 1)[0].lower(): l.split(':', 1)[1].strip() for l in lines[1:] if ':' in l}
        n = int(hdr.get('content-length', '0'))
        while len(rest) < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        ptype = ''
        if 'json' in hdr.get('content-type', ''):
            try:
                ptype = json.loads(rest[:n]).get('type', '')
            except ValueError:
                ptype = 'unparsable'
        return status, hdr.get('content-type', ''), ptype
    except OSError as e:
        return 'error:' + type(e).__name__, '', ''
    finally:
        s.close()


def phase_bodies(a, proxied=False):
    """The body floods, straight at suiji or (proxied) through docs/deploy/nginx.conf in front of it."""
    limit = 8 << 20
    phase = 'proxied' if proxied else 'bodies'
    print('== %s: --max-body %d (the default)%s' % (phase, limit, ' behind nginx' if proxied else ''), flush=True)
    s = Server(a, ('--trusted-proxy', '127.0.0.1') if proxied else ())
    nginx = None
    host, port = '127.0.0.1', s.port
    if proxied:
        nginx, port = restlib.start_nginx(ROOT, a.work, s.port, '8m')
        host = restlib.NGINX_HOST
    try:
        for label, size in (('at the limit (%d B)' % limit, limit), ('limit + 1 B', limit + 1),
                            ('limit + 1 MiB (past the header allowance)', limit + (1 << 20)),
                            ('64 MiB', 64 << 20)):
            st, ct, ptype = post_raw(port, a.token, size, timeout=20, host=host)
            row(phase, label, '%s %s %s' % (st, ct.split(';')[0], ptype.rsplit(':', 1)[-1]))
        rss0 = s.rss_kb()
        peak = [rss0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    peak[0] = max(peak[0], s.rss_kb())
                except OSError:
                    pass
                stop.wait(0.02)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for conc, size, rounds in ((32, limit + 1, 3), (8, 64 << 20, 1), (8, 1 << 20, 3), (32, limit, 3)):
            if s.proc.poll() is not None:
                row(phase, '%d clients x %d bodies of %d B' % (conc, rounds, size), 'not run: the server is gone')
                continue
            results = []
            lock = threading.Lock()
            peak[0] = s.rss_kb()
            t0 = time.monotonic()

            def client():
                for _ in range(rounds):
                    r = post_raw(port, a.token, size, timeout=20, host=host)
                    with lock:
                        results.append(r[0])
            ts = [threading.Thread(target=client) for _ in range(conc)]
            [t.start() for t in ts]
            [t.join() for t in ts]
            secs = time.monotonic() - t0
            time.sleep(0.5)
            counts = {}
            for r in results:
                counts[str(r)] = counts.get(str(r), 0) + 1
            row(phase, '%d clients x %d bodies of %d B: statuses, %.1f s' % (conc, rounds, size, secs),
                ', '.join('%s: %d' % kv for kv in sorted(counts.items())))
            alive = s.proc.poll() is None
            row(phase, '   server RSS before / peak / after', '%d / %d / %s' % (
                rss0 // 1024, peak[0] // 1024, '%d MB' % (s.rss_kb() // 1024) if alive else 'gone'))
            if not alive:
                row(phase, '   the server is still running', s.fate())
        stop.set()
        st, _, _, secs = request(s.port, '/healthz')
        row(phase, 'afterwards /healthz', '%s in %s' % (st, ms(secs)))
    finally:
        s.stop()
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--suiji', required=True)
    r.add_argument('--db', required=True)
    r.add_argument('--pg-sh', required=True)
    r.add_argument('--pg-port', required=True)
    r.add_argument('--token', required=True)
    r.add_argument('--phases', default='outage,slow,conns,bodies')
    r.add_argument('--idle', type=int, default=10000)
    r.add_argument('--db-timeout-ms', type=int, default=None, help='passed to serve in the slow phase')
    r.add_argument('--work', default='/tmp', help="nginx's prefix goes below it (proxied phase)")
    h = sub.add_parser('hold')
    h.add_argument('--port', type=int, required=True)
    h.add_argument('--idle', type=int, required=True)
    h.add_argument('--slow', type=int, required=True)
    h.add_argument('--secs', type=float, required=True)
    a = ap.parse_args()
    if a.cmd == 'hold':
        return hold(a)
    for p in a.phases.split(','):
        {'outage': phase_outage, 'slow': phase_slow, 'conns': phase_conns, 'bodies': phase_bodies,
         'proxied': lambda a: phase_bodies(a, proxied=True)}[p](a)
    print('\n== summary (faults under load)')
    print('| phase | measure | value |\n|---|---|---|')
    for p, m, v in ROWS:
        print('| %s | %s | %s |' % (p, m, v))


if __name__ == '__main__':
    sys.exit(main())
