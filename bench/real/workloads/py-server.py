"""A threaded Python HTTP server with a bounded LRU; optionally a leak retained per second.
python3 py-server.py --port P [--cap N] [--leak-mib-h L]"""
import argparse, json, os, threading, time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

p = argparse.ArgumentParser()
p.add_argument('--port', type=int)
p.add_argument('--cap', type=int, default=20000)
p.add_argument('--leak-mib-h', type=float, default=0)
a = p.parse_args()
cache, lock, leak = OrderedDict(), threading.Lock(), []

class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *args):
        pass
    def do_GET(self):
        key = parse_qs(urlparse(self.path).query).get('k', ['0'])[0]
        with lock:
            value = cache.pop(key, None) or {'body': os.urandom(256).hex(), 'hits': 0}
            value['hits'] += 1
            cache[key] = value
            if len(cache) > a.cap:
                cache.popitem(last=False)
        body = json.dumps({'k': key, 'hits': value['hits'], 'n': len(cache)}).encode()
        self.send_response(200)
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

def leaker():
    per_second = a.leak_mib_h * 1024 * 1024 / 3600
    while per_second > 0:
        leak.append(os.urandom(int(per_second) // 2).hex())
        time.sleep(1)

threading.Thread(target=leaker, daemon=True).start()
ThreadingHTTPServer(('127.0.0.1', a.port), Handler).serve_forever()
