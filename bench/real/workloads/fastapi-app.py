"""A FastAPI app under uvicorn, as small Python services are deployed: a JSON route over a bounded
cache (functools.lru_cache of 20,000); optionally a second, unbounded memo (lru_cache with
maxsize=None, the common leak) that a fraction of requests fill with a new key.
python fastapi-app.py --port P [--cap N] [--value-bytes B] [--leak-mib-h L]"""
import argparse, functools, os, time
import fastapi, uvicorn

p = argparse.ArgumentParser()
p.add_argument('--port', type=int, required=True)
p.add_argument('--cap', type=int, default=20000)
p.add_argument('--value-bytes', type=int, default=1024)
p.add_argument('--leak-mib-h', type=float, default=0)
a = p.parse_args()
app = fastapi.FastAPI()
# What one memoised result holds (its str and the cache's entry).
ENTRY_BYTES = 2048
per_second = a.leak_mib_h * 1024 * 1024 / 3600 / ENTRY_BYTES
state = {'credit': 0.0, 'last': time.monotonic(), 'n': 0}

@functools.lru_cache(maxsize=a.cap)
def lookup(key):
    return {'key': key, 'body': os.urandom(a.value_bytes // 2).hex(), 'at': time.time()}

@functools.lru_cache(maxsize=None)
def profile(user_id):
    return os.urandom(ENTRY_BYTES // 2 - 100).hex()

@app.get('/')
def root(k: str = '0'):
    value = lookup(k)
    if per_second > 0:
        now = time.monotonic()
        state['credit'] += (now - state['last']) * per_second
        state['last'] = now
        if state['credit'] >= 1:
            state['credit'] -= 1
            state['n'] += 1
            profile(state['n'])
    return {'key': k, 'size': len(value['body']), 'n': lookup.cache_info().currsize}

uvicorn.run(app, host='127.0.0.1', port=a.port, log_level='warning', access_log=False)
