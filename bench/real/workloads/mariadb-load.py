#!/usr/bin/env python3
"""A steady client of a MariaDB server: point SELECTs by primary key over a table larger than the
buffer pool (its pages come into the pool as they are first touched: a slow, slowing warm-up), and
optionally a leak in the server: one session that keeps setting new user variables, each of them
held by the server until the session ends.

    python3 mariadb-load.py --socket S [--qps 20] [--rows 2000000] [--leak-mib-h R] [--value-bytes 2000]

Statements go to one `mariadb` client's standard input (no driver needed), a line each."""
import argparse, os, random, subprocess, time

p = argparse.ArgumentParser()
p.add_argument('--socket', required=True)
p.add_argument('--qps', type=float, default=20)
p.add_argument('--rows', type=int, default=2_000_000)
p.add_argument('--leak-mib-h', type=float, default=0)
p.add_argument('--value-bytes', type=int, default=2000)
a = p.parse_args()

# The server starts with this client: wait for its socket.
for _ in range(600):
    if os.path.exists(a.socket):
        break
    time.sleep(0.1)
client = subprocess.Popen(['mariadb', f'--socket={a.socket}', '-u', 'root', 't'], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
leak_per_s = a.leak_mib_h * 1024 * 1024 / 3600 / a.value_bytes
start = time.monotonic()
queries = 0
variables = 0
while True:
    elapsed = time.monotonic() - start
    lines = []
    while queries < elapsed * a.qps:
        lines.append(f'select v from items where id = {random.randint(1, a.rows)};')
        queries += 1
    while variables < elapsed * leak_per_s:
        lines.append(f"set @leak{variables} = repeat('x', {a.value_bytes});")
        variables += 1
    if lines:
        client.stdin.write('\n'.join(lines) + '\n')
        client.stdin.flush()
    time.sleep(0.05)
