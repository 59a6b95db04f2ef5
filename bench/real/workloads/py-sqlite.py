"""Python with sqlite3: an on-disk table kept to a bounded number of rows (old rows deleted),
queried each tick; the page cache fills to its limit. python3 py-sqlite.py DB [--keep N]"""
import argparse, os, random, sqlite3, time

p = argparse.ArgumentParser()
p.add_argument('db')
p.add_argument('--keep', type=int, default=50000)
a = p.parse_args()
if os.path.exists(a.db):
    os.unlink(a.db)
db = sqlite3.connect(a.db)
db.execute('pragma cache_size = -65536')
db.execute('create table events (id integer primary key, kind text, body text, at real)')
db.execute('create index events_kind on events(kind)')
n, tick, next_at = 0, 0.1, time.monotonic()
while True:
    rows = [(n + i, 'k%d' % random.randrange(100), os.urandom(150).hex(), time.time()) for i in range(40)]
    n += len(rows)
    db.executemany('insert into events values (?, ?, ?, ?)', rows)
    db.execute('delete from events where id < ?', (n - a.keep,))
    db.execute('select kind, count(*), max(at) from events where kind = ? group by kind', ('k%d' % random.randrange(100),)).fetchall()
    db.commit()
    next_at += tick
    time.sleep(max(0.0, next_at - time.monotonic()))
