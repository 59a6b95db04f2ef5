"""A pre-fork Python HTTP server, as gunicorn runs one: a master forks --workers workers that
accept on one listening socket; each keeps a bounded cache of its own. A worker may leak a little
per request (--leak-bytes: what --max-requests is there for) and is then replaced after
--max-requests requests (plus up to --jitter more, as gunicorn's --max-requests-jitter), or leak
by the hour (--leak-mib-h, each worker, kept a second at a time).
python3 py-prefork.py --port P [--workers N] [--cap N] [--leak-bytes B] [--max-requests N] [--jitter N] [--leak-mib-h L]"""
import argparse, json, os, random, signal, socket, sys, threading, time
from collections import OrderedDict
from urllib.parse import urlparse, parse_qs

p = argparse.ArgumentParser()
p.add_argument('--port', type=int)
p.add_argument('--workers', type=int, default=3)
p.add_argument('--cap', type=int, default=2000)
p.add_argument('--leak-bytes', type=int, default=0)
p.add_argument('--max-requests', type=int, default=0)
p.add_argument('--jitter', type=int, default=0)
p.add_argument('--leak-mib-h', type=float, default=0)
a = p.parse_args()

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(('127.0.0.1', a.port))
listener.listen(256)

def worker():
    random.seed(os.getpid())
    limit = a.max_requests + random.randint(0, a.jitter) if a.max_requests else float('inf')
    cache, kept = OrderedDict(), []
    def leaker():
        per_second = a.leak_mib_h * 1024 * 1024 / 3600
        while per_second > 0:
            kept.append(os.urandom(int(per_second) // 2).hex())
            time.sleep(1)
    threading.Thread(target=leaker, daemon=True).start()
    served = 0
    while served < limit:
        conn, _ = listener.accept()
        try:
            request = b''
            while b'\r\n\r\n' not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                request += chunk
            path = request.split(b' ', 2)[1].decode() if request.count(b' ') >= 2 else '/'
            key = parse_qs(urlparse(path).query).get('k', ['0'])[0]
            value = cache.pop(key, None) or {'body': os.urandom(256).hex(), 'hits': 0}
            value['hits'] += 1
            cache[key] = value
            if len(cache) > a.cap:
                cache.popitem(last=False)
            if a.leak_bytes:
                kept.append(os.urandom(a.leak_bytes // 2).hex())
            body = json.dumps({'k': key, 'hits': value['hits'], 'pid': os.getpid()}).encode()
            conn.sendall(b'HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s' % (len(body), body))
        except OSError:
            pass
        finally:
            conn.close()
        served += 1
    os._exit(0)

children = set()
def spawn():
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        worker()
    children.add(pid)

def stop(*_):
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
for _ in range(a.workers):
    spawn()
while True:
    pid, _ = os.wait()
    children.discard(pid)
    spawn()
