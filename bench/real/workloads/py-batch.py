"""A periodic batch job: every --period seconds it builds --rows records (dicts and strings, a
couple of hundred MiB), aggregates them and drops them; between batches it sleeps. Optionally a
leak of --leak-mib-h, kept a second at a time as bytearrays.

    python3 py-batch.py [--period S] [--rows N] [--leak-mib-h R]"""
import argparse, random, time

p = argparse.ArgumentParser()
p.add_argument('--period', type=float, default=240)
p.add_argument('--rows', type=int, default=600000)
p.add_argument('--leak-mib-h', type=float, default=0)
a = p.parse_args()
per_second = int(a.leak_mib_h * 1024 * 1024 / 3600)
kept = []
next_batch = time.monotonic()
while True:
    now = time.monotonic()
    if now >= next_batch:
        rows = [{'id': i, 'user': 'user%d' % (i % 9973), 'amount': random.random() * 100} for i in range(a.rows)]
        totals = {}
        for row in rows:
            totals[row['user']] = totals.get(row['user'], 0) + row['amount']
        del rows
        next_batch += a.period
    if per_second:
        kept.append(bytearray(per_second))
    time.sleep(1)
