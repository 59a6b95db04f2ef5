"""Feeds the sqlite3 shell a steady stream of statements on its stdin (the recorded process is
the sqlite3 shell itself). python3 sqlite-feed.py | sqlite3 DB"""
import os, random, sys, time
out = sys.stdout
out.write("pragma cache_size = -32768;\ncreate table if not exists t (id integer primary key, k text, v text);\n")
n, next_at = 0, time.monotonic()
while True:
    out.write("begin;\n")
    for _ in range(20):
        out.write("insert into t values (%d, 'k%d', '%s');\n" % (n, random.randrange(1000), os.urandom(100).hex()))
        n += 1
    out.write("delete from t where id < %d;\ncommit;\n" % (n - 200000))
    out.write("select count(*) from t where k = 'k%d';\n" % random.randrange(1000))
    out.flush()
    next_at += 0.1
    time.sleep(max(0.0, next_at - time.monotonic()))
