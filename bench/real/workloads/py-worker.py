"""A Python worker: a cache of records (bounded, or filling), JSON work each tick, and
optionally a leak. python3 py-worker.py --mode cache|steps|frag [--cap N] [--keyspace K]
[--rate R] [--leak-mib-h L] [--leak-start-s S]"""
import argparse, json, os, random, time
from collections import OrderedDict

p = argparse.ArgumentParser()
p.add_argument('--mode', default='cache')
p.add_argument('--cap', type=int, default=50000)
p.add_argument('--keyspace', type=int, default=50000)
p.add_argument('--rate', type=float, default=200, help='cache touches a second')
p.add_argument('--value-bytes', type=int, default=400)
p.add_argument('--leak-mib-h', type=float, default=0)
p.add_argument('--leak-start-s', type=float, default=0)
a = p.parse_args()

cache = OrderedDict()
leak = []
frag = [None] * 20000
per_second = a.leak_mib_h * 1024 * 1024 / 3600
start = time.monotonic()
tick = 0.1
next_at = start
leak_carry = 0.0

def touch(key):
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = {'key': key, 'body': os.urandom(a.value_bytes // 2).hex(), 'at': time.time()}
    cache[key] = value
    if len(cache) > a.cap:
        cache.popitem(last=False)
    return value

while True:
    now = time.monotonic()
    for _ in range(int(a.rate * tick)):
        touch(random.randrange(a.keyspace))
    rows = [{'id': i, 'v': random.random(), 'name': 'n%d' % (i % 50)} for i in range(300)]
    json.loads(json.dumps(rows))
    if a.mode == 'frag':
        for _ in range(400):
            frag[random.randrange(len(frag))] = bytearray(random.choice((24, 100, 600, 3000, 20000)))
    if per_second > 0 and now - start >= a.leak_start_s:
        leak_carry += per_second * tick
        if a.mode == 'steps':
            # Many small records: the list grows by doublings, the dicts fill the arenas.
            while leak_carry >= 200:
                leak.append({'i': len(leak), 's': os.urandom(40).hex()})
                leak_carry -= 200
        elif leak_carry >= 4096:
            leak.append(os.urandom(int(leak_carry) // 2).hex())
            leak_carry = 0.0
    next_at += tick
    time.sleep(max(0.0, next_at - time.monotonic()))
