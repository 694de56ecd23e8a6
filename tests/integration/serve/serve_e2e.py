#!/usr/bin/python3
"""End to end: the real `suiji` binary serving the Thrift API from a SQLite database, called by a real
Python Thrift client (Debian's python3-thrift).

init -> import the example registers and credit records -> credit flags / credit score -> client add
(and one revoked client) -> `suiji serve --thrift-port 0 --for 60` in the background -> getEntity /
batchFlags / getClassification with the token, and the errors (bad or revoked token, malformed code,
unknown code, missing scope) -> SIGTERM -> the server exits 0.

Every step has a timeout and the server is killed on any failure, so ctest cannot hang.

    /usr/bin/python3 serve_e2e.py --suiji BIN --stubs BUILD/.../gen-py --data data/examples --work DIR
    /usr/bin/python3 serve_e2e.py --suiji BIN --stubs DIR --db sqlite:x.db --token T --code C --once
      (--once: one getEntity call against a database already prepared, for scripts/demo.sh)
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

rpc = None
USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_CHARS[(31 - s % 31) % 31]


def run(suiji, env, *args, timeout=120, ok=True):
    p = subprocess.run([suiji, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if ok and p.returncode != 0:
        raise SystemExit('suiji %s failed (%d):\n%s%s' % (' '.join(args), p.returncode, p.stdout, p.stderr))
    return p


def start_server(suiji, env, seconds):
    """Starts `suiji serve` on an ephemeral port; returns (process, port) once it listens."""
    proc = subprocess.Popen([suiji, 'serve', '--thrift-port', '0', '--for', str(seconds), '--token-refresh-ms', '200'],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = {}
    t = threading.Thread(target=lambda: first.setdefault('line', proc.stdout.readline()), daemon=True)
    t.start()
    t.join(30)
    m = re.match(r'thrift listening on (\S+):(\d+)', first.get('line', ''))
    if not m:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        raise SystemExit('suiji serve did not start: %r %s %s' % (first.get('line'), out, err))
    return proc, int(m.group(2))


def connect(port):
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TTransport
    sock = TSocket.TSocket('127.0.0.1', port)
    sock.setTimeout(20000)
    transport = TTransport.TFramedTransport(sock)
    client = rpc.SuijiCredit.Client(TBinaryProtocol.TBinaryProtocol(transport))
    transport.open()
    return client, transport


def expect_error(code, call, what):
    try:
        call()
    except rpc.ttypes.SuijiError as e:
        name = rpc.ttypes.ErrorCode._VALUES_TO_NAMES.get(e.code)
        if name != code:
            raise SystemExit('%s: expected %s, got %s: %s' % (what, code, name, e.message))
        print('ok   %-40s -> %s (%s)' % (what, name, e.message))
        return e
    raise SystemExit('%s: expected %s, the call succeeded' % (what, code))


def check(cond, what):
    if not cond:
        raise SystemExit('FAILED: ' + what)
    print('ok   ' + what)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        raise SystemExit('suiji serve did not stop within 30 s of SIGTERM')
    return proc.returncode, out, err


def end_to_end(args):
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    env = dict(os.environ, SUIJI_DB='sqlite:' + os.path.join(args.work, 'suiji.db'))
    S, d = args.suiji, args.data
    run(S, env, 'init')
    run(S, env, 'import', 'entities', os.path.join(d, 'registers', 'entities.csv'))
    run(S, env, 'import', 'lists', os.path.join(d, 'credit', 'lists.csv'))
    run(S, env, 'import', 'penalties', os.path.join(d, 'credit', 'penalties.csv'))
    model, memo = os.path.join(d, 'credit', 'model.yaml'), os.path.join(d, 'credit', 'memoranda.yaml')
    run(S, env, 'credit', 'flags', '--as-of', '2026-03-01', '--memoranda', memo, '--model', model)
    run(S, env, 'credit', 'score', '--as-of', '2026-03-01', '--model', model)

    added = run(S, env, 'client', 'add', 'reader', '--department', 'SAMR', '--scopes', 'read_public,read_class').stdout
    token = re.search(r'(sjt_[0-9a-f]{64})', added).group(1)
    public = re.search(r'(sjt_[0-9a-f]{64})', run(S, env, 'client', 'add', 'public', '--department', 'NDRC').stdout).group(1)
    gone = re.search(r'(sjt_[0-9a-f]{64})', run(S, env, 'client', 'add', 'gone', '--department', 'X').stdout).group(1)
    run(S, env, 'client', 'revoke', 'gone')
    listing = run(S, env, 'client', 'list').stdout
    check('reader' in listing and token not in listing and 'sjt_' not in listing, 'client list shows no token')
    check(run(S, env, 'client', 'add', 'reader', '--department', 'SAMR', ok=False).returncode == 1,
          'client add refuses a taken id')

    listed = '91510112264773189E'  # on the serious list since 2025-09-20 (lists.csv)
    unknown = uscc('91510100MA6CXXXX0'.replace('X', '1'))
    proc, port = start_server(S, env, 60)
    try:
        client, transport = connect(port)
        try:
            check(client.ping().startswith('suiji'), 'ping')
            rec = client.getEntity(token, ' ' + listed.lower())
            check(rec.code == listed and rec.name, 'getEntity returns the normalised code and the name')
            check(any(m.list_name == 'serious_violation' and m.listed_on == '2025-09-20' for m in rec.lists),
                  'getEntity shows the serious_violation listing')
            check(len(rec.flags) > 0, 'getEntity shows %d flags in force' % len(rec.flags))
            out = client.batchFlags(public, [listed, unknown, '91510682252332503H'])
            check([e.known for e in out] == [True, False, True], 'batchFlags marks the unknown code')
            check(len(out[0].flags) == len(rec.flags) and out[1].flags == [], 'batchFlags flags match getEntity')
            cls = client.getClassification(token, listed)
            check(cls.credit_class in ('A', 'B', 'C', 'D') and cls.as_of == '2026-03-01',
                  'getClassification: class %s score %s' % (cls.credit_class, cls.score))
            expect_error('UNAUTHENTICATED', lambda: client.getEntity('sjt_' + '0' * 64, listed), 'unknown token')
            expect_error('UNAUTHENTICATED', lambda: client.getEntity(gone, listed), 'revoked token')
            expect_error('FORBIDDEN', lambda: client.getClassification(public, listed), 'getClassification without read_class')
            bad = listed[:17] + ('1' if listed[17] == '0' else '0')  # wrong check character
            expect_error('INVALID_ARGUMENT', lambda: client.getEntity(token, bad), 'malformed code (check character)')
            expect_error('INVALID_ARGUMENT', lambda: client.getEntity(token, 'ab\ncd'), 'malformed code (control char)')
            expect_error('NOT_FOUND', lambda: client.getEntity(token, unknown), 'unknown code')
            # Revoking while the server runs takes effect within the refresh interval (200 ms here).
            run(S, env, 'client', 'revoke', 'public')
            import time
            deadline = time.time() + 10
            while True:
                try:
                    client.batchFlags(public, [listed])
                except rpc.ttypes.SuijiError as e:
                    check(rpc.ttypes.ErrorCode._VALUES_TO_NAMES.get(e.code) == 'UNAUTHENTICATED',
                          'revocation takes effect on the running server')
                    break
                if time.time() > deadline:
                    raise SystemExit('FAILED: revoked token still accepted after 10 s')
                time.sleep(0.1)
        finally:
            transport.close()
    finally:
        rc, out, err = stop(proc)
    check(rc == 0 and 'thrift stopped' in out, 'suiji serve stopped cleanly on SIGTERM (exit %d)' % rc)
    run(S, env, 'audit', 'verify')
    print('serve end-to-end: all checks passed')


def once(args):
    """One getEntity call, printed: for scripts/demo.sh."""
    env = dict(os.environ, SUIJI_DB=args.db) if args.db else dict(os.environ)
    proc, port = start_server(args.suiji, env, args.seconds)
    try:
        client, transport = connect(port)
        try:
            rec = client.getEntity(args.token, args.code)
            print('getEntity(%s): %s' % (rec.code, rec.name))
            for m in rec.lists:
                print('  list %s since %s%s (%s)' % (m.list_name, m.listed_on,
                                                    ', removed ' + m.removed_on if m.removed_on else '', m.reason))
            for f in rec.flags:
                print('  flag %s: %s by %s from %s' % (f.memorandum, f.measure, f.implementing_department, f.starts_on))
        finally:
            transport.close()
    finally:
        rc, _, _ = stop(proc)
    print('server stopped (exit %d)' % rc)
    return rc


def main():
    global rpc
    ap = argparse.ArgumentParser()
    ap.add_argument('--suiji', required=True)
    ap.add_argument('--stubs', required=True)
    ap.add_argument('--data')
    ap.add_argument('--work')
    ap.add_argument('--once', action='store_true')
    ap.add_argument('--db')
    ap.add_argument('--token')
    ap.add_argument('--code')
    ap.add_argument('--seconds', type=int, default=30)
    args = ap.parse_args()
    sys.path.insert(0, args.stubs)
    import suiji_rpc.SuijiCredit  # noqa: F401
    import suiji_rpc.ttypes  # noqa: F401
    rpc = suiji_rpc
    if args.once:
        return once(args)
    end_to_end(args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
