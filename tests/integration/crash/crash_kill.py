#!/usr/bin/env python3
"""Crash consistency under kill -9 (issue 14 item 2), on one backend.

For each operation -- a large entity import, a draw commit, a draw reveal, a pairing commit and reveal, a
result publication and a bulk export -- a baseline database is saved once (SQLite: a file copy;
PostgreSQL: a template database), the operation is run once unkilled (its reference end state and its
duration), and then RUNS times: the baseline is restored, `suiji` is started and killed with SIGKILL
after a delay drawn (seeded) between 0 and the measured duration. After each kill:

- `suiji audit verify --rows` passes;
- the database is either unchanged (row counts of every table and the audit head equal the baseline's)
  or complete (row counts and audit seq equal the reference run's); an import is one transaction
  (api/app/registers.cpp: one Transaction around every batch), so "complete" is all rows or none;
- bulk export: no file with a final name is partial (each gzip decompresses whole), and the manifest, if
  any, lists only files present with its SHA-256 and size;
- a rerun of the same command (when the state is unchanged, or always for the idempotent import and bulk
  export) finishes the job: the end state equals the reference run's, and the audit chain verifies.

Kills are counted as: the process had already exited (after commit), the state was unchanged (before
the commit: at start or mid-transaction; on SQLite a hot rollback journal or WAL left behind tells
mid-transaction) or complete although killed (between the commit and exit).

    crash_kill.py --suiji BIN --root SRC --work DIR [--db URL] [--runs N] [--seed S] [--rows N] [--ops a,b]
                  [--fault kill|cut] [--disk-full MOUNTPOINT]

--runs defaults to $SUIJI_CRASH_RUNS or 8, --fault to $SUIJI_CRASH_FAULT or kill (so that CTest runs the
full round: SUIJI_CRASH_RUNS=50 ctest -R crash). --fault cut (PostgreSQL) cuts the database connection
(pg_terminate_backend) at the drawn moment instead of killing the process. --disk-full runs the disk-full
round too, on an already mounted small file system (see disk_full_round).
"""
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
import restlib  # noqa: E402
from restlib import FAILURES, check, draw_of, plan_for, run  # noqa: E402

TODAY = '2026-12-07'
os.environ['SUIJI_CLOCK_START'] = TODAY + 'T09:00:00Z'
OPS = ('import', 'draw-commit', 'draw-reveal', 'pair-commit', 'pair-reveal', 'publish', 'bulk')
# Operations a second run of would do the work again (a second draw, ...) rather than finish it: rerun
# only when the kill left the database unchanged.
IDEMPOTENT = ('import', 'bulk')
# The installation's officer pseudonym secret is made once, on first use, in a transaction of its own
# (api/app/draws.cpp PseudonymSecret: read paths -- reports, the public record -- create it too); it is
# no part of the pairing that first needs it, and a rerun uses it. Not counted in the snapshot.
SECRET = 'officer_pseudonym_secret'
SETTINGS_FILTER = " WHERE name <> '%s'" % SECRET


def extra_args():
    """restlib.setup parses --suiji/--root/--work/--db; the harness's own options are taken out first."""
    own = {'--runs': os.environ.get('SUIJI_CRASH_RUNS', '8'), '--seed': '14', '--rows': '30000', '--ops': ','.join(OPS),
           '--fault': os.environ.get('SUIJI_CRASH_FAULT', 'kill'), '--disk-full': ''}
    rest = []
    it = iter(sys.argv[1:])
    for arg in it:
        if arg in own:
            own[arg] = next(it)
        else:
            rest.append(arg)
    sys.argv[1:] = rest
    if own['--fault'] not in ('kill', 'cut'):
        raise SystemExit('--fault kill|cut')
    return (int(own['--runs']), int(own['--seed']), int(own['--rows']), own['--ops'].split(','), own['--fault'],
            own['--disk-full'])


class Backend:
    """Saves and restores whole databases: SQLite by file copy, PostgreSQL by template databases."""

    def __init__(self, db, work):
        self.db, self.work = db, work
        self.pg = db.startswith('postgresql:')

    def url_of(self, name):
        if self.pg:
            return re.sub(r'/[^/?]*\?', '/%s?' % name, self.db, count=1)
        return 'sqlite:' + os.path.join(self.work, name + '.db')

    def psql(self, sql, db=None):
        p = subprocess.run(['psql', '-q', '-At', '-v', 'ON_ERROR_STOP=1', db or self.url_of('postgres'), '-c', sql],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit('psql failed: %s\n%s' % (sql, p.stderr))
        return p.stdout

    def save(self, name):
        """The main database as baseline NAME."""
        name = name.replace('-', '_')
        if self.pg:
            src = re.search(r'/([^/?]+)\?', self.db).group(1)
            self.psql('DROP DATABASE IF EXISTS crash_%s WITH (FORCE)' % name)
            self.psql('CREATE DATABASE crash_%s TEMPLATE %s' % (name, src))
        else:
            shutil.copyfile(self.db[len('sqlite:'):], os.path.join(self.work, 'base-%s.db' % name))

    def restore(self, name):
        """A fresh copy of baseline NAME as the run database; returns its URL."""
        name = name.replace('-', '_')
        if self.pg:
            self.psql('DROP DATABASE IF EXISTS crash_run WITH (FORCE)')
            self.psql('CREATE DATABASE crash_run TEMPLATE crash_%s' % name)
            return self.url_of('crash_run')
        path = os.path.join(self.work, 'run.db')
        for suffix in ('', '-journal', '-wal', '-shm'):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        shutil.copyfile(os.path.join(self.work, 'base-%s.db' % name), path)
        return 'sqlite:' + path

    def hot_journal(self, url):
        if self.pg:
            return None
        path = url[len('sqlite:'):]
        return any(os.path.exists(path + s) and os.path.getsize(path + s) > 0 for s in ('-journal', '-wal'))

    def snapshot(self, url):
        """Row counts of every table and the audit head (seq, hash, action)."""
        if self.pg:
            tables = self.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", url).split()
            q = ' UNION ALL '.join("SELECT '%s', count(*) FROM %s%s" % (t, t, SETTINGS_FILTER if t == 'settings' else '')
                                   for t in tables)
            counts = dict((k, int(v)) for k, v in (line.split('|') for line in self.psql(q, url).splitlines()))
            head = self.psql('SELECT seq, hash, action FROM audit_log ORDER BY seq DESC LIMIT 1', url).strip()
            head = tuple(head.split('|')) if head else None
        else:
            con = sqlite3.connect(url[len('sqlite:'):])
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                "AND name NOT LIKE 'sqlite_%' ORDER BY 1")]
            counts = {t: con.execute('SELECT count(*) FROM "%s"%s' % (t, SETTINGS_FILTER if t == 'settings' else ''))
                      .fetchone()[0] for t in tables}
            head = con.execute('SELECT seq, hash, action FROM audit_log ORDER BY seq DESC LIMIT 1').fetchone()
            head = tuple(str(x) for x in head) if head else None
            con.close()
        return {'counts': counts, 'head': head}


def same_work(a, b):
    """Two end states of the same operation: equal row counts and audit seq and action (hashes hold times)."""
    return a['counts'] == b['counts'] and (a['head'] or ())[:1] + (a['head'] or ())[2:] == \
        (b['head'] or ())[:1] + (b['head'] or ())[2:]


def bulk_state(out):
    """Checks a bulk directory; returns (problems, {final name: decompressed sha256})."""
    problems, content = [], {}
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    for n in names:
        if re.match(r'^results-\d{4}-\d{2}-\d{2}\.(csv|jsonl)\.gz$', n):
            try:
                content[n] = hashlib.sha256(gzip.decompress(open(os.path.join(out, n), 'rb').read())).hexdigest()
            except (OSError, EOFError) as e:
                problems.append('%s under its final name is not a whole gzip: %s' % (n, e))
    for n in names:
        if re.match(r'^manifest-\d{4}-\d{2}-\d{2}\.json$', n):
            try:
                m = json.load(open(os.path.join(out, n), encoding='utf-8'))
            except ValueError as e:
                problems.append('%s is not whole JSON: %s' % (n, e))
                continue
            for f in m.get('files', []):
                path = os.path.join(out, f['name'])
                if not os.path.exists(path):
                    problems.append('%s lists %s, which is missing' % (n, f['name']))
                    continue
                data = open(path, 'rb').read()
                if hashlib.sha256(data).hexdigest() != f['sha256'] or len(data) != f['bytes']:
                    problems.append('%s lists %s with a SHA-256 or size it does not have' % (n, f['name']))
    return problems, content


def disk_full_round(be, s, work, small, commands, rng, runs, fresh_out, start):
    """The disk filling up: SMALL is a small file system of its own (e.g. `mount -t tmpfs -o size=8m tmpfs
    SMALL`, as root), filled with a filler file to a drawn free space before each run. The import runs on a
    SQLite database there (PostgreSQL's files are the server's); the bulk export writes there on either
    backend. A failed run must leave the database unchanged and no partial file under a final name;
    `audit verify --rows` passes; with the space back, a rerun finishes the job."""
    filler = os.path.join(small, 'filler')
    tally = {}

    def empty():
        for n in os.listdir(small):
            path = os.path.join(small, n)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)

    def fill(free):
        if os.path.exists(filler):
            os.remove(filler)
        st = os.statvfs(small)
        size = max(0, st.f_bavail * st.f_frsize - free)
        with open(filler, 'wb') as f:
            try:
                f.write(b'\0' * size)
            except OSError:
                pass
    ops = ['bulk'] + ([] if be.pg else ['import'])
    for op in ops:
        url = be.restore(op)
        ref_out = fresh_out(op, 'ref')
        p = start(op, url, ref_out)
        p.communicate(timeout=600)
        ref, ref_bulk = be.snapshot(url), bulk_state(ref_out)[1]
        t = {'runs': 0, 'failed_disk_full': 0, 'inconsistent': 0}
        for i in range(runs):
            url = be.restore(op)
            before = be.snapshot(url)
            empty()
            if op == 'import':
                small_db = os.path.join(small, 'run.db')
                shutil.copyfile(url[len('sqlite:'):], small_db)
                run_url, out = 'sqlite:' + small_db, None
                fill(rng.randrange(0, 24 << 20))
            else:
                run_url, out = url, os.path.join(small, 'bulk')
                shutil.copytree(fresh_out(op, 'run'), out)
                fill(rng.randrange(0, 12 << 10))
            p = start(op, run_url, out)
            pout, perr = p.communicate(timeout=600)
            t['runs'] += 1
            bad = []
            if p.returncode != 0:
                t['failed_disk_full'] += 1
                if 'full' not in (pout + perr) and 'space' not in (pout + perr) and 'cannot' not in (pout + perr):
                    bad.append('failed for another reason: %s%s' % (pout, perr))
            os.remove(filler)
            v = run(s, run_url, 'audit', 'verify', '--rows', ok=False)
            if v.returncode != 0:
                bad.append('audit verify --rows: %s%s' % (v.stdout, v.stderr))
            snap = be.snapshot(run_url)
            if p.returncode != 0 and snap != before:
                bad.append('a failed run changed the database')
            if op == 'bulk':
                bad += bulk_state(out)[0]
            # The space back (the database moved back to the work disk): the rerun finishes the job.
            if op == 'import':
                os.remove(url[len('sqlite:'):])
                shutil.move(small_db, url[len('sqlite:'):])
                run_url = url
            if p.returncode != 0 or op == 'bulk':
                p = start(op, run_url, out)
                rout, rerr = p.communicate(timeout=600)
                if p.returncode != 0:
                    bad.append('the rerun failed: %s%s' % (rout, rerr))
            end = be.snapshot(run_url)
            if not same_work(end, ref):
                bad.append('the end state is not the reference run\'s')
            if op == 'bulk' and bulk_state(out)[1] != ref_bulk:
                bad.append('the rerun\'s bulk files differ from the reference run\'s')
            if bad:
                t['inconsistent'] += 1
                for b in bad:
                    check(False, 'disk full, %s #%d: %s' % (op, i, b))
        empty()
        tally[op] = t
        print('disk-full %-6s %s' % (op, json.dumps(t)), flush=True)
    return tally


def main():
    runs, seed, rows, ops, fault, disk_full = extra_args()
    t_start = time.monotonic()
    a, s, db = restlib.setup('crash.db', 2014, 3000)
    be = Backend(db, a.work)
    if fault == 'cut' and not be.pg:
        raise SystemExit('--fault cut is for PostgreSQL')
    rng = random.Random(seed)
    env = dict(os.environ)

    # Baselines, each the one before plus the previous operation done.
    big = os.path.join(a.work, 'big')
    run(s, db, 'gen', '--seed', '7014', '--entities', str(rows), '--officers', '10', '--out', big)
    run(s, db, 'credit', 'score', '--as-of', '2026-11-30')
    plan = plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-CRASH')
    bulk_base = os.path.join(a.work, 'bulk-base')
    commands = {}
    commands['import'] = ['import', 'entities', os.path.join(big, 'entities.csv')]
    commands['draw-commit'] = ['draw', 'commit', plan, '--as-of', '2026-11-30']
    be.save('import')
    be.save('draw-commit')
    run(s, db, *commands['draw-commit'])
    draw = draw_of(s, db, '510100-SAMR-2026-CRASH')
    commands['draw-reveal'] = ['draw', 'reveal', draw, '--entropy', '3141 5926 5358 9793 2384']
    be.save('draw-reveal')
    run(s, db, *commands['draw-reveal'])
    commands['pair-commit'] = ['pair', 'commit', draw]
    be.save('pair-commit')
    run(s, db, *commands['pair-commit'])
    commands['pair-reveal'] = ['pair', 'reveal', draw + '-P1', '--entropy', '2718 2818 2845 9045 2353']
    be.save('pair-reveal')
    run(s, db, *commands['pair-reveal'])
    tasks = []
    for line in run(s, db, 'task', 'list', '--draw', draw).stdout.splitlines():
        m = re.match(r'(R-\w+)  (\S+)  (\S+)  (\S+)  team (\S+)$', line)
        if m:
            tasks.append((m.group(1), m.group(3), m.group(5).split(',')))
    check(len(tasks) >= 2, 'tasks of the paired draw: %d' % len(tasks))

    def approve(task):
        rid, entity, team = task
        run(s, db, 'result', 'enter', draw, entity, '--officer', team[0], '--result', '未发现问题',
            '--inspected-on', '2026-12-01', '--all-items', 'no_problem')
        run(s, db, 'result', 'sign', rid, '--officer', team[0])
        run(s, db, 'result', 'sign', rid, '--officer', team[1])
        run(s, db, 'result', 'approve', rid, '--actor', 'reviewer')
        return rid
    rid = approve(tasks[0])
    commands['publish'] = ['result', 'publish', rid, '--actor', 'reviewer']
    be.save('publish')
    run(s, db, *commands['publish'])
    # The bulk directory already holds the previous export when the next one is killed: a kill must not
    # leave the old manifest naming new files. Then more results are published.
    run(s, db, 'public', 'bulk', '--out', bulk_base, '--date', TODAY)
    for task in tasks[1:16]:
        run(s, db, 'result', 'publish', approve(task), '--actor', 'reviewer')
    commands['bulk'] = ['public', 'bulk', '--out', '@OUT', '--date', TODAY]
    be.save('bulk')
    print('setup: %.1f s' % (time.monotonic() - t_start))

    def start(op, url, out):
        args = [out if x == '@OUT' else x for x in commands[op]]
        return subprocess.Popen([s, '--db', url, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)

    def fresh_out(op, tag):
        out = os.path.join(a.work, 'bulk-' + tag)
        shutil.rmtree(out, ignore_errors=True)
        if op == 'bulk':
            shutil.copytree(bulk_base, out)
        return out

    summary = {}
    for op in ops:
        t_op = time.monotonic()
        # The reference: unkilled, timed.
        url = be.restore(op)
        before = be.snapshot(url)
        out = fresh_out(op, 'ref')
        t0 = time.monotonic()
        p = start(op, url, out)
        pout, perr = p.communicate(timeout=600)
        duration = time.monotonic() - t0
        if not check(p.returncode == 0, '%s: the reference run failed: %s%s' % (op, pout, perr)):
            continue
        ref = be.snapshot(url)
        ref_bulk = bulk_state(out)[1]
        ref_again = None
        if op == 'import':
            run(s, url, *commands[op])
            ref_again = be.snapshot(url)
        if op != 'bulk':
            check(not same_work(before, ref), '%s: the reference run changed nothing' % op)
        tally = {'runs': 0, 'exited_before_kill': 0, 'unchanged': 0, 'unchanged_mid_tx': 0,
                 'complete_killed': 0, 'inconsistent': 0, 'duration_s': round(duration, 3)}
        for i in range(runs):
            tag = '%s #%d' % (op, i)
            url = be.restore(op)
            out = fresh_out(op, 'run')
            delay = rng.uniform(0, duration)
            p = start(op, url, out)
            time.sleep(delay)
            exited = p.poll() is not None
            if not exited and fault == 'kill':
                p.send_signal(signal.SIGKILL)
            elif not exited:  # the database connection cut: the server ends the backend mid-transaction
                be.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'crash_run' "
                        "AND pid <> pg_backend_pid()")
            p.communicate(timeout=60)
            tally['runs'] += 1
            hot = be.hot_journal(url)
            bad = []
            v = run(s, url, 'audit', 'verify', '--rows', ok=False)
            if v.returncode != 0:
                bad.append('audit verify --rows after the kill: %s%s' % (v.stdout, v.stderr))
            snap = be.snapshot(url)
            if op == 'bulk':
                problems, _ = bulk_state(out)
                bad += problems
                names = os.listdir(out)
                tally['bulk_tmp_left'] = tally.get('bulk_tmp_left', 0) + any(n.endswith('.tmp') for n in names)
                tally['bulk_no_manifest'] = tally.get('bulk_no_manifest', 0) + (
                    not any(n.startswith('manifest-') and not n.endswith('.tmp') for n in names))
                state = 'unchanged' if snap == before else 'changed'
                if state != 'unchanged':
                    bad.append('a bulk export changed the database')
            elif snap == before:
                state = 'unchanged'
            elif same_work(snap, ref):
                state = 'complete'
            else:
                state = 'neither'
                bad.append('neither unchanged nor complete: rows (now, before, complete) %s, audit head %s, before %s' % (
                    {k: (v, before['counts'].get(k), ref['counts'].get(k)) for k, v in snap['counts'].items()
                     if v != ref['counts'].get(k) or v != before['counts'].get(k)}, snap['head'], before['head']))
            if exited:
                tally['exited_before_kill'] += 1
            elif state == 'unchanged':
                tally['unchanged'] += 1
                tally['unchanged_mid_tx'] += 1 if hot else 0
            elif state == 'complete':
                tally['complete_killed'] += 1
            # The rerun finishes the job.
            if state == 'unchanged' or op in IDEMPOTENT:
                p = start(op, url, out)
                rout, rerr = p.communicate(timeout=600)
                if p.returncode != 0:
                    bad.append('the rerun failed: %s%s' % (rout, rerr))
            end = be.snapshot(url)
            # A rerun of an import that had committed finds every row unchanged: one more import event, as
            # the reference's second run.
            ok_end = same_work(end, ref_again if op == 'import' and state == 'complete' else ref)
            if not ok_end:
                bad.append('the end state after the rerun is not the reference run\'s: %s' % (
                    {k: (v, ref['counts'].get(k)) for k, v in end['counts'].items() if v != ref['counts'].get(k)}))
            if op == 'bulk':
                problems, content = bulk_state(out)
                bad += problems
                if content != ref_bulk:
                    bad.append('the rerun\'s bulk files differ from the reference run\'s')
            v = run(s, url, 'audit', 'verify', '--rows', ok=False)
            if v.returncode != 0:
                bad.append('audit verify --rows after the rerun: %s%s' % (v.stdout, v.stderr))
            if bad:
                tally['inconsistent'] += 1
                for b in bad:
                    check(False, '%s (kill after %.3f s of %.3f): %s' % (tag, delay, duration, b))
        tally['time_s'] = round(time.monotonic() - t_op, 1)
        summary[op] = tally
        print('%-12s %s' % (op, json.dumps(tally)), flush=True)
    total = time.monotonic() - t_start
    if disk_full:
        summary['disk_full'] = disk_full_round(be, s, a.work, disk_full, commands, rng, runs, fresh_out, start)
    print(json.dumps({'backend': 'postgresql' if be.pg else 'sqlite', 'fault': fault, 'runs_per_op': runs, 'seed': seed,
                      'import_rows': rows, 'time_s': round(total, 1), 'ops': summary}))
    if be.pg:
        for name in list(ops) + ['run']:
            be.psql('DROP DATABASE IF EXISTS crash_%s WITH (FORCE)' % name.replace('-', '_'))
    if FAILURES:
        print('%d failure(s)' % len(FAILURES), file=sys.stderr)
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
