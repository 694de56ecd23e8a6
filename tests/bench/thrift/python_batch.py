#!/usr/bin/python3
"""Latency of batchFlags with 10,000 codes from a Python client (Debian's python3-thrift).

Starts suiji_thrift_test_server with 100,000 synthetic entities (one in ten with two flags in force),
calls batchFlags N times with the same 10,000 codes, prints median and p95 in milliseconds.

    /usr/bin/python3 python_batch.py --server BUILD/tests/integration/thrift/suiji_thrift_test_server \
        --stubs BUILD/tests/integration/thrift/gen-py [--calls 30] [--all-flagged]
"""
import argparse
import json
import math
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True)
    ap.add_argument('--stubs', required=True)
    ap.add_argument('--calls', type=int, default=30)
    ap.add_argument('--all-flagged', action='store_true', help='every code has flags (stride 10)')
    args = ap.parse_args()
    sys.path.insert(0, args.stubs)
    from suiji_rpc import SuijiCredit
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TTransport

    server = subprocess.Popen([args.server, '--many', '100000', '--timeout', '600'], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(server.stdout.readline())
        # Rebuild the synthetic codes the way the fixture makes them (ManyCode): ask the server for one
        # to check, then derive the others from the check-character rule.
        codes = [many_code(i * (10 if args.all_flagged else 1)) for i in range(10000)]
        assert codes[0] == info['many_first'], (codes[0], info['many_first'])
        sock = TSocket.TSocket('127.0.0.1', info['port'])
        sock.setTimeout(60000)
        transport = TTransport.TFramedTransport(sock)
        client = SuijiCredit.Client(TBinaryProtocol.TBinaryProtocolAccelerated(transport)
                                    if hasattr(TBinaryProtocol, 'TBinaryProtocolAccelerated')
                                    else TBinaryProtocol.TBinaryProtocol(transport))
        transport.open()
        times, flags = [], 0
        for _ in range(args.calls):
            t0 = time.perf_counter()
            out = client.batchFlags(info['tokens']['reader'], codes)
            times.append((time.perf_counter() - t0) * 1000)
            flags = sum(len(e.flags) for e in out)
        transport.close()
        times.sort()
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        print('python batchFlags 10000 codes, %d flags in the answer, %d calls: median %.1f ms, p95 %.1f ms'
              % (flags, args.calls, times[len(times) // 2], p95))
    finally:
        server.stdin.close()
        server.wait(timeout=30)


# GB 32100-2015 check character, as core/identifiers.cpp computes it.
CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def many_code(i):
    first17 = '91510100MA%07d' % ((100000 + i) % 10000000)
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + CHARSET[(31 - total % 31) % 31]


if __name__ == '__main__':
    main()
