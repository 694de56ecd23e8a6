#!/usr/bin/env python3
"""Bundles bound to the audit chain (docs/draw-protocol.md section 6), end to end on one backend: real
bundles made by `suiji draw export` and by the public REST route, each tamper case of the independent
audit's kind (issue 14) checked with both verifiers (`suiji verify`, docs/verify_draw.py), without and
with `--head`, against the expected table; the draw heads of the public draw answer and of the daily
bulk manifest; a bundle without events (older format) and a head published before the last event.

A class-stratified plan is drawn, three substitutions made (the middle one in another stratum, so the
reserve order alone cannot see it go; reasons with tab and newline, so the events' hashes exercise the
escape rules), then paired; a flat plan is drawn, substituted (once over REST) and paired, and its public
bundle must carry only the draw stage's events. Other audited writes (API clients) are interleaved, as
on a busy system, so a draw's events are not neighbours in the chain.

    verify_e2e.py --suiji BIN --root SRC --work DIR [--db URL]
"""
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from restlib import FAILURES, Api, check, draw_of, flat_plan_for, plan_for, run, setup, start_server  # noqa: E402

TODAY = '2026-12-07'
os.environ['SUIJI_CLOCK_START'] = TODAY + 'T09:00:00Z'
REASON_1 = 'deregistered\tsince 2026-03-01\nsee notice 7/2026 "closed"'
REASON_2 = 'outside the plan: no food licence\x1b'
REASON_3 = 'moved out of 510100\r\n(checked at the visit)'


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def busy(s, db, n=[0]):
    """An unrelated audited write between a draw's steps."""
    n[0] += 1
    run(s, db, 'client', 'add', 'busy-%d' % n[0], '--department', 'SAMR', '--role', 'auditor')


def lists(bundle):
    """stratum -> (drawn ids, reserve ids), from tickets.csv."""
    out = {}
    with open(os.path.join(bundle, 'tickets.csv'), newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            out.setdefault(r['stratum'], ([], []))[0 if r['list'] == 'drawn' else 1].append(r['entity_id'])
    return out


def verifiers(s, root, bundle, head=None):
    """(C++ outcome, Python outcome, outputs): MATCH or caught for each."""
    extra = ['--head', head] if head else []
    cpp = subprocess.run([s, 'verify', bundle, *extra], capture_output=True, text=True)
    py = subprocess.run(['/usr/bin/python3', os.path.join(root, 'docs/verify_draw.py'), bundle, *extra],
                        capture_output=True, text=True)

    def outcome(p):
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ''
        if p.returncode == 0 and last == 'MATCH':
            return 'MATCH'
        if p.returncode == 1 and last.startswith('DIFFERENCE: '):
            return 'caught'
        return 'broken (%d: %s %s)' % (p.returncode, p.stdout[-300:], p.stderr[-300:])
    return outcome(cpp), outcome(py), cpp.stdout + py.stdout


# Editing a bundle copy ------------------------------------------------------------------------------

def load(d):
    info = json.load(open(os.path.join(d, 'bundle.json'), encoding='utf-8'))
    path = os.path.join(d, 'audit_events.jsonl')
    events = [json.loads(l) for l in open(path, encoding='utf-8').read().split('\n')[:-1]] if os.path.exists(path) else None
    return info, events


def save(d, info, events):
    with open(os.path.join(d, 'bundle.json'), 'w', encoding='utf-8') as f:
        json.dump(info, f, indent=2, ensure_ascii=False)
        f.write('\n')
    if events is not None:
        with open(os.path.join(d, 'audit_events.jsonl'), 'w', encoding='utf-8', newline='') as f:
            f.write(''.join(canonical(e) + '\n' for e in events))


def rehash(e):
    e['hash'] = hashlib.sha256(canonical({k: v for k, v in e.items() if k != 'hash'}).encode('utf-8')).hexdigest()
    return e


def sub_events(events):
    return [e for e in events if e['action'] == 'draw.substitute']


def chrono_index(info, events, n):
    """bundle.json's index of the n-th substitution in time (0-based)."""
    p = sub_events(events)[n]['payload']
    return next(i for i, x in enumerate(info['draw']['substitutions'])
                if (x['stratum'], x['out_id'], x['in_id']) == (p['stratum'], p['out'], p['in']))


def drop_sub(info, events, n, with_event):
    i = chrono_index(info, events, n)
    ev = sub_events(events)[n]
    del info['draw']['substitutions'][i]
    if with_event:
        events.remove(ev)
        # The bundle stays self-consistent: its index names the head the remaining events give.
        fix_index(info, events)


def fix_index(info, events):
    h = '0' * 64
    mine = [e for e in events if e['subject'].startswith('draws/')]
    for e in mine:
        h = hashlib.sha256((h + '|' + e['hash']).encode()).hexdigest()
    info['audit']['draw_head'] = {'events': len(mine), 'hash': mine[-1]['hash'], 'head': h, 'seq': mine[-1]['seq']}


def edit_reason(info, events, mode):
    i = chrono_index(info, events, 1)
    ev = sub_events(events)[1]
    info['draw']['substitutions'][i]['reason'] = 'edited reason'
    if mode != 'bundle':
        ev['payload']['reason'] = 'edited reason'
    if mode == 'rehashed':
        rehash(ev)
        fix_index(info, events)


def reorder_bundle(info, events):
    subs = info['draw']['substitutions']
    i = next(k for k in range(1, len(subs)) if subs[k]['stratum'] != subs[k - 1]['stratum'])
    subs[i - 1], subs[i] = subs[i], subs[i - 1]


def reorder_events(info, events):
    a, b = sub_events(events)[0], sub_events(events)[1]
    ia, ib = events.index(a), events.index(b)
    events[ia], events[ib] = b, a


def reorder_events_rehashed(info, events):
    a, b = sub_events(events)[0], sub_events(events)[1]
    a['payload'], b['payload'] = b['payload'], a['payload']
    rehash(a)
    rehash(b)
    fix_index(info, events)


def forge_extra(info, events, reserve_of):
    """A further substitution (the next reserve entity, so the draw recomputes) with a forged event."""
    last = sub_events(events)[-1]
    stratum = last['payload']['stratum']
    used = [x['in_id'] for x in info['draw']['substitutions'] if x['stratum'] == stratum]
    nxt = reserve_of[stratum][len(used)]
    out = used[-1]
    info['draw']['substitutions'].insert(max(i for i, x in enumerate(info['draw']['substitutions']) if x['stratum'] == stratum) + 1,
                                         {'stratum': stratum, 'out_id': out, 'in_id': nxt, 'reason': 'forged'})
    top = max(e['seq'] for e in events)
    events.append(rehash({'seq': top + 7, 'at': last['at'], 'actor': last['actor'], 'action': 'draw.substitute',
                          'subject': last['subject'], 'prev_hash': 'f' * 64, 'hash': '',
                          'payload': {'draw_id': last['payload']['draw_id'], 'stratum': stratum, 'out': out, 'in': nxt,
                                      'reason': 'forged'}}))
    info['audit']['chain_head'] = {'seq': top + 7, 'hash': events[-1]['hash']}
    fix_index(info, events)


def edit_commit(info, events):
    commit = next(x for x in events if x['action'] == 'draw.commit')
    commit['payload']['exclusions'] += 1
    rehash(commit)
    fix_index(info, events)


def downgrade(d, info, events):
    os.remove(os.path.join(d, 'audit_events.jsonl'))
    del info['audit']
    return None


def main():
    a, s, db = setup('verify.db', 2027, 6000)
    # Other departments' records (the demo's synthetic ones), so the credit classes differ.
    subprocess.run(['/usr/bin/python3', os.path.join(a.root, 'scripts/demo_records.py'), os.path.join(a.work, 'entities.csv'),
                    a.work], check=True, capture_output=True)
    for kind in ('results', 'penalties', 'lists'):
        run(s, db, 'import', kind, os.path.join(a.work, kind + '.csv'))
    run(s, db, 'credit', 'score', '--as-of', '2026-11-30')
    plan = plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-VERIFY')
    run(s, db, 'draw', 'commit', plan, '--as-of', '2026-11-30')
    draw = draw_of(s, db, '510100-SAMR-2026-VERIFY')
    busy(s, db)
    run(s, db, 'draw', 'reveal', draw, '--entropy', '3141 5926 5358 9793 2384')
    busy(s, db)
    first = os.path.join(a.work, 'first')
    run(s, db, 'draw', 'export', draw, first)
    lst = lists(first)
    reserve_of = {k: v[1] for k, v in lst.items()}
    # X: the stratum with the longest reserve (two substitutions), Y: another with a reserve.
    x = max(lst, key=lambda k: (len(lst[k][1]), k))
    y = next(k for k in sorted(lst) if k != x and lst[k][0] and lst[k][1])
    run(s, db, 'draw', 'substitute', draw, lst[x][0][0], '--reason', REASON_1)
    busy(s, db)
    run(s, db, 'draw', 'substitute', draw, lst[y][0][0], '--reason', REASON_2, '--actor', 'cli:张三')
    busy(s, db)
    mid = os.path.join(a.work, 'mid')
    run(s, db, 'draw', 'export', draw, mid)
    head_after_two = json.load(open(os.path.join(mid, 'bundle.json')))['audit']['draw_head']['head']
    run(s, db, 'draw', 'substitute', draw, lst[x][0][1], '--reason', REASON_3)
    busy(s, db)
    run(s, db, 'pair', 'commit', draw)
    busy(s, db)
    run(s, db, 'pair', 'reveal', draw + '-P1', '--entropy', '2718 2818 2845 9045 2353')
    busy(s, db)
    full = os.path.join(a.work, 'full')
    run(s, db, 'draw', 'export', draw, full)

    # A flat plan: its bundle is public (draw stage only).
    run(s, db, 'draw', 'commit', flat_plan_for(a.root, a.work, '510100-SAMR', '510100', '510100-SAMR-2026-VFLAT'),
        '--as-of', '2026-11-30')
    flat = draw_of(s, db, '510100-SAMR-2026-VFLAT')
    run(s, db, 'draw', 'reveal', flat, '--entropy', '1414 2135 6237 3095 0488')
    busy(s, db)
    flat_first = os.path.join(a.work, 'flat-first')
    run(s, db, 'draw', 'export', flat, flat_first)
    flat_lists = lists(flat_first)['all']
    run(s, db, 'draw', 'substitute', flat, flat_lists[0][0], '--reason', REASON_1)
    token = re.search(r'token \(shown once, store it now\): (\S+)',
                      run(s, db, 'client', 'add', 'planner', '--department', 'SAMR', '--role', 'planner',
                          '--org-unit', '510100-SAMR').stdout).group(1)

    bulk = os.path.join(a.work, 'bulk')
    proc, port = start_server(s, db, ('--bulk-dir', bulk, '--public-rate', '0'))
    try:
        import yaml
        doc = yaml.safe_load(urllib.request.urlopen('http://127.0.0.1:%d/api/v1/openapi.yaml' % port, timeout=10).read())
        api = Api(port, doc)
        st, _, body = api.post('/api/v1/draws/%s/substitutions' % flat, token,
                               {'entity_id': flat_lists[0][1],
                                'reason': REASON_2})
        check(st == 201, 'a substitution over REST: %d %s' % (st, body))
        run(s, db, 'pair', 'commit', flat)
        run(s, db, 'pair', 'reveal', flat + '-P1', '--entropy', '1732 0508 0756 8877 2935')
        heads = {}
        for d in (draw, flat):
            st, _, dr = api.get('/api/v1/public/draws/' + d)
            api.validate('PublicDraw', dr, 'public draw ' + d)
            check(st == 200 and re.fullmatch('[0-9a-f]{64}', dr.get('draw_head', {}).get('head', '')),
                  'the public draw answer has a draw head: %s' % dr.get('draw_head'))
            heads[d] = dr.get('draw_head', {})
        st, _, plan_page = api.get('/api/v1/public/plans/510100-SAMR-2026-VFLAT?include=draw')
        check(st == 200 and (plan_page.get('latest_draw') or {}).get('draw_head') == heads[flat],
              'the plan page\'s latest draw carries the same head')
        # The public bundle: draw stage only, nothing internal.
        st, h, tar = api.get('/api/v1/public/draws/%s/bundle' % flat, raw=True)
        check(st == 200, 'the public bundle: %d' % st)
        pub = os.path.join(a.work, 'public')
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            names = t.getnames()
            t.extractall(pub)
        pub = os.path.join(pub, flat)
        check(not any('pair' in n for n in names) and any(n.endswith('audit_events.jsonl') for n in names),
              'the public bundle has its events and no pairing files: %s' % names)
        _, pub_events = load(pub)
        check([e['action'] for e in pub_events] == ['draw.commit', 'draw.reveal', 'draw.substitute', 'draw.substitute'],
              'the public bundle carries only the draw stage\'s events: %s' % [e['action'] for e in pub_events])
        check({e['actor'] for e in pub_events} == {'cli', 'api:planner'}, 'actors: %s' % {e['actor'] for e in pub_events})
        allowed = {'draw.commit': {'commitment_digest', 'draw_id', 'exclusions', 'plan_digest', 'plan_id', 'reserve', 'strata'},
                   'draw.reveal': {'commitment_digest', 'draw_id', 'entropy', 'seed_hash', 'selected'},
                   'draw.substitute': {'draw_id', 'in', 'out', 'reason', 'stratum'}}
        for e in pub_events:
            check(set(e['payload']) == allowed[e['action']], 'public event %s fields: %s' % (e['action'], sorted(e['payload'])))
        text = open(os.path.join(pub, 'audit_events.jsonl'), encoding='utf-8').read()
        check('O-' not in text and 'cert' not in text and 'officer' not in text, 'no officer in the public events')
        # Both backends: a tab and a newline written as \t and \n in the hashed event.
        check('\\t' in text and '\\n' in text and '\\u001b' in text, 'the escapes in the event text')

        # The daily bulk manifest publishes the same heads.
        run(s, db, 'public', 'bulk', '--out', bulk, '--date', TODAY)
        manifest = json.load(open(os.path.join(bulk, 'manifest-%s.json' % TODAY), encoding='utf-8'))
        by_draw = {x['draw_id']: {k: v for k, v in x.items() if k != 'draw_id'} for x in manifest.get('draw_heads', [])}
        for d in (draw, flat):
            check(by_draw.get(d) == heads[d], 'the manifest\'s head of %s: %s, the API %s' % (d, by_draw.get(d), heads[d]))
        check(all(x['seq'] <= manifest['audit_chain_head']['seq'] for x in manifest.get('draw_heads', [])),
              'the chain head is at or after every draw head')
        st, _, idx = api.get('/api/v1/public/bulk')
        check(st == 200 and idx['items'][0].get('draw_heads') == manifest['draw_heads'], 'the bulk index serves them')
    finally:
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, 'the server stopped cleanly')

    import jsonschema
    schema = json.load(open(os.path.join(a.root, 'docs/bundle-schema.json'), encoding='utf-8'))
    for b in (full, pub, first):
        try:
            jsonschema.Draft202012Validator(schema).validate(json.load(open(os.path.join(b, 'bundle.json'), encoding='utf-8')))
        except jsonschema.ValidationError as e:
            check(False, '%s/bundle.json does not match docs/bundle-schema.json: %s' % (b, e.message))
    head = heads[draw]['head']
    for b, h, what in ((full, head, 'the regulator bundle'), (pub, heads[flat]['head'], 'the public bundle')):
        cpp, py, out = verifiers(s, a.root, b)
        check(cpp == py == 'MATCH' and 'not bound' not in out, '%s verifies: %s %s\n%s' % (what, cpp, py, out))
        cpp, py, out = verifiers(s, a.root, b, h)
        check(cpp == py == 'MATCH' and out.count('matches --head') == 2, '%s verifies against its published head: %s %s\n%s' % (what, cpp, py, out))
    # A head from before the third substitution does not cover the bundle exported after it.
    cpp, py, out = verifiers(s, a.root, full, head_after_two)
    check(cpp == py == 'caught' and out.count('after its first') == 2, 'an older head is not this bundle\'s: %s %s\n%s' % (cpp, py, out))
    # The head of the mid bundle is the one published at the time.
    cpp, py, out = verifiers(s, a.root, mid, head_after_two)
    check(cpp == py == 'MATCH', 'the earlier bundle against its head: %s %s' % (cpp, py))

    # The tamper table: case -> (outcome without --head, outcome with --head), for both verifiers.
    C, M = 'caught', 'MATCH'
    cases = [
        ('untouched', lambda d, i, e: None, M, M),
        ('drop last substitution (bundle.json only)', lambda d, i, e: drop_sub(i, e, 2, False), C, C),
        ('drop last substitution and its event', lambda d, i, e: drop_sub(i, e, 2, True), M, C),
        ('drop middle substitution (bundle.json only)', lambda d, i, e: drop_sub(i, e, 1, False), C, C),
        ('drop middle substitution and its event', lambda d, i, e: drop_sub(i, e, 1, True), M, C),
        ('edit a reason (bundle.json only)', lambda d, i, e: edit_reason(i, e, 'bundle'), C, C),
        ('edit a reason and its event (hash kept)', lambda d, i, e: edit_reason(i, e, 'event'), C, C),
        ('edit a reason and its event, re-hashed', lambda d, i, e: edit_reason(i, e, 'rehashed'), M, C),
        ('reorder substitutions (bundle.json)', lambda d, i, e: reorder_bundle(i, e), C, C),
        ('reorder substitution events (lines)', lambda d, i, e: reorder_events(i, e), C, C),
        ('reorder substitution events, re-hashed', lambda d, i, e: reorder_events_rehashed(i, e), M, C),
        ('add a forged substitution with its event', lambda d, i, e: forge_extra(i, e, reserve_of), M, C),
        ('drop the reveal event', lambda d, i, e: e.remove(next(x for x in e if x['action'] == 'draw.reveal')), C, C),
        ('drop the pair.reveal event', lambda d, i, e: e.remove(next(x for x in e if x['action'] == 'pair.reveal')), C, C),
        ('edit the commit event (exclusions), re-hashed', lambda d, i, e: edit_commit(i, e), C, C),
        ('drop the events file only', lambda d, i, e: os.remove(os.path.join(d, 'audit_events.jsonl')) and None, C, C),
        ('edit bundle.json audit.draw_head', lambda d, i, e: i['audit']['draw_head'].update(head='0' * 64), C, C),
        ('strip events and audit (an older bundle)', None, M, C),
    ]
    table = []
    for name, edit, want_plain, want_head in cases:
        d = os.path.join(a.work, 'tamper', re.sub(r'\W+', '_', name))
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(full, d)
        info, events = load(d)
        if edit is None:
            events = downgrade(d, info, events)
        else:
            edit(d, info, events)
            if not os.path.exists(os.path.join(d, 'audit_events.jsonl')):
                events = None
        save(d, info, events)
        plain = verifiers(s, a.root, d)
        with_head = verifiers(s, a.root, d, head)
        row = (name, plain[0], plain[1], with_head[0], with_head[1])
        table.append(row)
        check(plain[0] == plain[1] == want_plain and with_head[0] == with_head[1] == want_head,
              'tamper "%s": without --head C++ %s, Python %s (want %s); with --head C++ %s, Python %s (want %s)\n%s%s'
              % (name, plain[0], plain[1], want_plain, with_head[0], with_head[1], want_head, plain[2], with_head[2]))
        if edit is None:
            check(plain[2].count('not bound to the audit chain') == 2, 'an older bundle is said to be unbound:\n' + plain[2])
            check(with_head[2].count('--head given, but this bundle carries no audit events') == 2,
                  '--head on an older bundle is an error:\n' + with_head[2])
    w = max(len(r[0]) for r in table)
    print('%-*s  %-21s  %-21s' % (w, 'tamper case', 'no --head (C++/Py)', '--head (C++/Py)'))
    for r in table:
        print('%-*s  %-21s  %-21s' % (w, r[0], r[1] + '/' + r[2], r[3] + '/' + r[4]))

    v = run(s, db, 'audit', 'verify', ok=False)
    check(v.returncode == 0, 'the audit chain: %s' % v.stdout[-300:])
    if FAILURES:
        print('%d failure(s)' % len(FAILURES))
        return 1
    print('verify_e2e: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
