#!/usr/bin/python3
"""A real Python Thrift client (Debian's python3-thrift) against the live SuijiCredit service.

Starts suiji_thrift_test_server (the C++ service over the test fixture), reads its JSON hello line
(port, fixture codes, tokens), runs the cases below over TCP, then closes the server's stdin and
checks that it stopped cleanly (exit status 0).

    /usr/bin/python3 client_test.py --server PATH/suiji_thrift_test_server --stubs BUILD/gen-py
"""
import argparse
import json
import subprocess
import sys
import threading
import unittest

INFO = {}
rpc = None  # the generated modules, imported once --stubs is known


def connect():
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TTransport
    sock = TSocket.TSocket('127.0.0.1', INFO['port'])
    sock.setTimeout(30000)
    transport = TTransport.TFramedTransport(sock)
    client = rpc.SuijiCredit.Client(TBinaryProtocol.TBinaryProtocol(transport))
    transport.open()
    return client, transport


class ServiceTest(unittest.TestCase):
    def setUp(self):
        self.client, self.transport = connect()
        self.codes = INFO['codes']
        self.tok = INFO['tokens']

    def tearDown(self):
        self.transport.close()

    def assertSuijiError(self, code, call, field=None):
        with self.assertRaises(rpc.ttypes.SuijiError) as ctx:
            call()
        err = ctx.exception
        self.assertEqual(err.code, code, '%s: %s' % (rpc.ttypes.ErrorCode._VALUES_TO_NAMES.get(err.code), err.message))
        if field is not None:
            self.assertEqual(err.field, field, err.message)
        self.assertTrue(err.message)
        return err

    # --- good calls -------------------------------------------------------------------------

    def test_ping(self):
        self.assertTrue(self.client.ping().startswith('suiji '))

    def test_get_entity(self):
        rec = self.client.getEntity(self.tok['reader'], '  ' + self.codes['listed'].lower())
        self.assertEqual(rec.code, self.codes['listed'])
        self.assertEqual(rec.name, '成都川味食品有限公司')
        self.assertEqual(len(rec.lists), 1)
        self.assertEqual(rec.lists[0].list_name, 'abnormal_operations')
        self.assertEqual(rec.lists[0].listed_on, '2023-07-01')
        self.assertIsNone(rec.lists[0].removed_on)
        self.assertEqual(len(rec.flags), 1)  # the expired 2020 flag is not in force
        self.assertEqual(rec.flags[0].measure, '限制参与政府采购活动')
        self.assertIsNone(rec.flags[0].ends_on)

        serious = self.client.getEntity(self.tok['reader'], self.codes['serious'])
        self.assertEqual([m.list_name for m in serious.lists], ['abnormal_operations', 'serious_violation'])
        self.assertEqual(serious.lists[0].removed_on, '2022-03-01')
        self.assertEqual(len(serious.flags), 2)

        legacy = self.client.getEntity(self.tok['reader'], self.codes['legacy'])
        self.assertEqual(legacy.code, self.codes['legacy'])

    def test_batch_flags(self):
        codes = [self.codes['serious'], self.codes['unknown'], self.codes['listed'], self.codes['regno'],
                 self.codes['clean']]
        out = self.client.batchFlags(self.tok['reader'], codes)
        self.assertEqual([e.code for e in out], codes)
        self.assertEqual([e.known for e in out], [True, False, True, True, True])
        self.assertEqual([len(e.flags) for e in out], [2, 0, 1, 1, 0])
        self.assertEqual(self.client.batchFlags(self.tok['reader'], []), [])

    def test_batch_at_the_limit(self):
        limit = INFO['max_batch']
        out = self.client.batchFlags(self.tok['reader'], [self.codes['listed']] * limit)
        self.assertEqual(len(out), limit)
        self.assertTrue(all(len(e.flags) == 1 for e in out))

    def test_classification_with_read_class(self):
        c = self.client.getClassification(self.tok['analyst'], self.codes['listed'])
        self.assertEqual(c.credit_class, 'C')
        self.assertAlmostEqual(c.score, 58.5)
        self.assertEqual(c.model_version, 'sc-credit-2024.1')
        self.assertEqual([k.indicator for k in c.contributions], ['abnormal_list', 'complaints_12m', 'tax_rating'])
        self.assertTrue(c.contributions[2].imputed)

    def test_push_penalty_and_duplicate(self):
        p = rpc.ttypes.Penalty(entity_code=self.codes['clean'], decision_no='川税罚〔2024〕77号',
                               authority='国家税务总局成都市税务局', decided_on='2024-05-20', category='fine',
                               fine_fen=200000, legal_basis='《税收征收管理法》第六十二条', description='逾期申报')
        first = self.client.pushPenalties(self.tok['pusher'], [p])
        self.assertEqual(len(first), 1)
        self.assertFalse(first[0].duplicate)
        again = self.client.pushPenalties(self.tok['pusher'], [p])
        self.assertTrue(again[0].duplicate)
        self.assertEqual(again[0].id, first[0].id)

    def test_push_list_decision_then_read(self):
        d = rpc.ttypes.ListDecision(entity_code=self.codes['regno'], list_name='abnormal_operations',
                                    action=rpc.ttypes.ListAction.ADD, decision_no='成市监异〔2024〕5号',
                                    authority='成都市市场监督管理局', decided_on='2024-06-10',
                                    reason='未按规定期限公示年度报告')
        self.client.pushListDecisions(self.tok['pusher'], [d])
        rec = self.client.getEntity(self.tok['reader'], self.codes['regno'])
        self.assertEqual([(m.list_name, m.listed_on) for m in rec.lists], [('abnormal_operations', '2024-06-10')])

    def test_push_indicator(self):
        x = rpc.ttypes.ExternalIndicator(entity_code=self.codes['clean'], indicator='tax_rating', value=1.0,
                                         as_of='2024-06-01', source_department='')
        r = self.client.pushIndicators(self.tok['pusher'], [x])
        self.assertEqual(len(r), 1)

    def test_push_repair_granted_refused_and_duplicate(self):
        granted = rpc.ttypes.RepairDecision(entity_code=self.codes['serious'], list_name='serious_violation',
                                            decision_no='成市监修〔2024〕3号', authority='成都市市场监督管理局',
                                            decided_on='2024-04-02', granted=True,
                                            reason='已履行行政处罚决定并公开作出信用承诺')
        refused = rpc.ttypes.RepairDecision(entity_code=self.codes['listed'], list_name='abnormal_operations',
                                            decision_no='成市监修〔2024〕4号', authority='成都市市场监督管理局',
                                            decided_on='2024-05-06', granted=False, reason='未补报年度报告')
        first = self.client.pushRepairs(self.tok['pusher'], [granted, refused])
        self.assertEqual([r.duplicate for r in first], [False, False])
        self.assertNotEqual(first[0].id, first[1].id)
        again = self.client.pushRepairs(self.tok['pusher'], [granted])
        self.assertTrue(again[0].duplicate)
        self.assertEqual(again[0].id, first[0].id)

    def test_bad_repairs(self):
        E = rpc.ttypes.ErrorCode
        ok = dict(entity_code=self.codes['serious'], list_name='serious_violation', decision_no='成市监修〔2024〕9号',
                  authority='成都市市场监督管理局', decided_on='2024-04-02', granted=True, reason='已纠正')
        R = rpc.ttypes.RepairDecision
        push = lambda *items: (lambda: self.client.pushRepairs(self.tok['pusher'], list(items)))
        self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**ok), R(**dict(ok, list_name='red_list'))),
                              'decisions[1].list_name')
        self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**dict(ok, reason=''))), 'decisions[0].reason')
        err = self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**dict(ok, decided_on='2099-01-01'))),
                                    'decisions[0].decided_on')
        self.assertIn('future', err.message)
        self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**dict(ok, entity_code='91510100MA6CGUD5X0'))),
                              'decisions[0].entity_code')
        self.assertSuijiError(E.NOT_FOUND, push(R(**dict(ok, entity_code=self.codes['unknown']))),
                              'decisions[0].entity_code')
        # No serious-list membership in force that day (listed 2022-03-01).
        err = self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**dict(ok, decided_on='2021-06-01'))))
        self.assertIn('no serious_violation membership in force on 2021-06-01', err.message)
        self.assertSuijiError(E.FORBIDDEN, lambda: self.client.pushRepairs(self.tok['reader'], [R(**ok)]))
        # Nothing of the rejected calls was recorded; a conflicting re-push is refused.
        self.assertFalse(self.client.pushRepairs(self.tok['pusher'], [R(**ok)])[0].duplicate)
        err = self.assertSuijiError(E.INVALID_ARGUMENT, push(R(**dict(ok, granted=False))), 'decisions[0].decision_no')
        self.assertIn('different content', err.message)

    # --- bad inputs ---------------------------------------------------------------------------

    def test_missing_and_wrong_token(self):
        E = rpc.ttypes.ErrorCode
        err = self.assertSuijiError(E.UNAUTHENTICATED, lambda: self.client.getEntity('', self.codes['listed']), 'token')
        self.assertIn('required', err.message)
        self.assertSuijiError(E.UNAUTHENTICATED,
                              lambda: self.client.getEntity('not-a-token', self.codes['listed']), 'token')
        self.assertSuijiError(E.UNAUTHENTICATED,
                              lambda: self.client.batchFlags(self.tok['reader'] + 'x', [self.codes['listed']]))

    def test_forbidden_scope(self):
        E = rpc.ttypes.ErrorCode
        err = self.assertSuijiError(E.FORBIDDEN,
                                    lambda: self.client.getClassification(self.tok['reader'], self.codes['listed']))
        self.assertIn('read_class', err.message)
        p = rpc.ttypes.Penalty(entity_code=self.codes['clean'], decision_no='X-1', authority='A',
                               decided_on='2024-01-01', category='fine', fine_fen=0, legal_basis='L', description='')
        err = self.assertSuijiError(E.FORBIDDEN, lambda: self.client.pushPenalties(self.tok['analyst'], [p]))
        self.assertIn('push', err.message)
        x = rpc.ttypes.ExternalIndicator(entity_code=self.codes['clean'], indicator='tax_rating', value=2.0,
                                         as_of='2024-06-01', source_department='SAMR')
        self.assertSuijiError(E.FORBIDDEN, lambda: self.client.pushIndicators(self.tok['pusher'], [x]),
                              'values[0].source_department')

    def test_unknown_code(self):
        E = rpc.ttypes.ErrorCode
        err = self.assertSuijiError(E.NOT_FOUND, lambda: self.client.getEntity(self.tok['reader'], self.codes['unknown']))
        self.assertIn(self.codes['unknown'], err.message)
        self.assertSuijiError(E.NOT_FOUND,
                              lambda: self.client.getClassification(self.tok['analyst'], self.codes['unknown']))
        # In a batch, unknown is an answer, not an error.
        out = self.client.batchFlags(self.tok['reader'], [self.codes['unknown']])
        self.assertFalse(out[0].known)

    def test_malformed_codes(self):
        E = rpc.ttypes.ErrorCode
        good = self.codes['listed']
        bad = good[:17] + ('1' if good[17] == '0' else '0')  # wrong check character
        err = self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.getEntity(self.tok['reader'], bad), 'code')
        self.assertIn(bad, err.message)
        self.assertIn('check', err.message)
        err = self.assertSuijiError(E.INVALID_ARGUMENT,
                                    lambda: self.client.getEntity(self.tok['reader'], '9.14690062012665e+17'), 'code')
        self.assertIn('excel', err.message.lower())
        self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.getEntity(self.tok['reader'], ''), 'code')
        self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.getEntity(self.tok['reader'], 'x' * 65), 'code')
        self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.getEntity(self.tok['reader'], 'ab\ncd'), 'code')
        codes = [good, self.codes['clean'], '510100000123450', good]  # a 15-digit number with a bad check digit
        err = self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.batchFlags(self.tok['reader'], codes),
                                    'codes[2]')
        self.assertIn('510100000123450', err.message)

    def test_oversized_batch(self):
        E = rpc.ttypes.ErrorCode
        limit = INFO['max_batch']
        err = self.assertSuijiError(
            E.BATCH_TOO_LARGE, lambda: self.client.batchFlags(self.tok['reader'], [self.codes['listed']] * (limit + 1)),
            'codes')
        self.assertIn(str(limit + 1), err.message)
        self.assertIn(str(limit), err.message)
        # The connection is still usable after an error.
        self.assertEqual(len(self.client.batchFlags(self.tok['reader'], [self.codes['listed']])), 1)

    def test_hugely_oversized_batch_closes_only_that_connection(self):
        from thrift.transport.TTransport import TTransportException
        huge = [self.codes['listed']] * (INFO['max_batch'] * 4 + 1)  # beyond the protocol's container limit
        with self.assertRaises(TTransportException):
            self.client.batchFlags(self.tok['reader'], huge)
        client, transport = connect()
        try:
            self.assertEqual(len(client.batchFlags(self.tok['reader'], [self.codes['clean']])), 1)
        finally:
            transport.close()

    def test_bad_push_fields(self):
        E = rpc.ttypes.ErrorCode
        ok = dict(entity_code=self.codes['clean'], decision_no='川税罚〔2024〕90号', authority='税务局',
                  decided_on='2024-05-20', category='fine', fine_fen=100, legal_basis='法', description='')
        future = rpc.ttypes.Penalty(**dict(ok, decided_on='2099-01-01'))
        err = self.assertSuijiError(E.INVALID_ARGUMENT,
                                    lambda: self.client.pushPenalties(self.tok['pusher'], [rpc.ttypes.Penalty(**ok), future]),
                                    'penalties[1].decided_on')
        self.assertIn('future', err.message)
        self.assertSuijiError(E.INVALID_ARGUMENT,
                              lambda: self.client.pushPenalties(self.tok['pusher'],
                                                                [rpc.ttypes.Penalty(**dict(ok, authority=' '))]),
                              'penalties[0].authority')
        self.assertSuijiError(E.NOT_FOUND,
                              lambda: self.client.pushPenalties(
                                  self.tok['pusher'], [rpc.ttypes.Penalty(**dict(ok, entity_code=self.codes['unknown']))]),
                              'penalties[0].entity_code')
        d = rpc.ttypes.ListDecision(entity_code=self.codes['clean'], list_name='blacklist',
                                    action=rpc.ttypes.ListAction.ADD, decision_no='N1', authority='A',
                                    decided_on='2024-06-01', reason='R')
        self.assertSuijiError(E.INVALID_ARGUMENT, lambda: self.client.pushListDecisions(self.tok['pusher'], [d]),
                              'decisions[0].list_name')
        d.list_name = 'serious_violation'
        d.action = 7  # not a ListAction: the wire carries any i32
        err = self.assertSuijiError(E.INVALID_ARGUMENT,
                                    lambda: self.client.pushListDecisions(self.tok['pusher'], [d]),
                                    'decisions[0].action')
        self.assertIn('7', err.message)
        # Nothing of the rejected calls was recorded: the good first penalty can still be pushed fresh.
        r = self.client.pushPenalties(self.tok['pusher'], [rpc.ttypes.Penalty(**ok)])
        self.assertFalse(r[0].duplicate)

    def test_concurrent_clients(self):
        errors = []

        def worker():
            try:
                client, transport = connect()
                for _ in range(20):
                    out = client.batchFlags(self.tok['reader'], [self.codes['serious'], self.codes['unknown']])
                    assert len(out[0].flags) == 2 and not out[1].known
                transport.close()
            except Exception as e:  # collected and reported by the main thread
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


def main():
    global rpc
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True)
    ap.add_argument('--stubs', required=True)
    args, rest = ap.parse_known_args()
    sys.path.insert(0, args.stubs)
    import suiji_rpc.SuijiCredit  # noqa: F401
    import suiji_rpc.ttypes  # noqa: F401
    rpc = sys.modules['suiji_rpc']

    server = subprocess.Popen([args.server, '--timeout', '100'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        hello = server.stdout.readline()
        if not hello:
            print('test server printed nothing; exit status %s' % server.wait(), file=sys.stderr)
            return 1
        INFO.update(json.loads(hello))
        result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
    finally:
        server.stdin.close()
        try:
            status = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            status = 'killed after not stopping within 20 s'
    if status != 0:
        print('test server did not stop cleanly: %s' % status, file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
