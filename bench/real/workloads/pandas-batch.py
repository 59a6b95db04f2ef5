"""A pandas batch job, as analytics workers run: every few seconds a frame of 200,000 rows is built,
grouped and joined, and a summary kept (the last 500); optionally a leak: a slice of each batch's
frame kept in a list that nothing clears (results "kept for later").
python pandas-batch.py [--rows N] [--every S] [--leak-mib-h L]"""
import argparse, collections, time
import numpy as np, pandas as pd

p = argparse.ArgumentParser()
p.add_argument('--rows', type=int, default=200000)
p.add_argument('--every', type=float, default=3)
p.add_argument('--leak-mib-h', type=float, default=0)
a = p.parse_args()
rng = np.random.default_rng(1)
summaries = collections.deque(maxlen=500)
kept = []
# Bytes a kept row holds: three float64 columns and an int64 index.
ROW_BYTES = 32
carry = 0.0
last = time.monotonic()
while True:
    frame = pd.DataFrame({'user': rng.integers(0, 5000, a.rows), 'amount': rng.exponential(20, a.rows),
                          'score': rng.normal(0, 1, a.rows), 'region': rng.integers(0, 50, a.rows)})
    by_user = frame.groupby('user').agg(total=('amount', 'sum'), mean=('score', 'mean'), n=('amount', 'size'))
    regions = frame.groupby('region')['amount'].describe()
    joined = frame.join(by_user, on='user', rsuffix='_u')
    summaries.append((float(joined['total'].mean()), regions.shape[0], len(by_user)))
    now = time.monotonic()
    carry += (now - last) * a.leak_mib_h * 1024 * 1024 / 3600
    last = now
    rows = int(carry // ROW_BYTES)
    if rows > 0:
        kept.append(frame[['amount', 'score', 'user']].iloc[:rows].copy())
        carry -= rows * ROW_BYTES
    del frame, by_user, regions, joined
    time.sleep(a.every)
