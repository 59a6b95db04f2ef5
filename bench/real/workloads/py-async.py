"""An asyncio HTTP server (standard library only) with a bounded LRU cache, as small Python
services have; optionally a leak (records retained every tick).
python3 py-async.py --port P [--cap N] [--value-bytes B] [--leak-mib-h L] [--leak-start-s S]"""
import argparse, asyncio, collections, os, time
from urllib.parse import urlsplit, parse_qs

p = argparse.ArgumentParser()
p.add_argument('--port', type=int, required=True)
p.add_argument('--cap', type=int, default=20000)
p.add_argument('--value-bytes', type=int, default=1024)
p.add_argument('--leak-mib-h', type=float, default=0)
p.add_argument('--leak-start-s', type=float, default=0)
a = p.parse_args()
cache = collections.OrderedDict()
leaked = []

def lookup(key):
    value = cache.pop(key, None)
    if value is None:
        value = {'key': key, 'body': os.urandom(a.value_bytes // 2).hex(), 'at': time.time(), 'hits': 0}
        if len(cache) >= a.cap:
            cache.popitem(last=False)
    value['hits'] += 1
    cache[key] = value
    return value

async def serve(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            while (await reader.readline()) not in (b'\r\n', b'\n', b''):
                pass
            target = line.split()[1].decode() if len(line.split()) > 1 else '/'
            key = parse_qs(urlsplit(target).query).get('k', ['0'])[0]
            value = lookup(key)
            body = ('{"key":"%s","hits":%d,"size":%d,"n":%d}' % (key, value['hits'], len(value['body']), len(cache))).encode()
            writer.write(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s' % (len(body), body))
            await writer.drain()
    except (ConnectionError, IndexError):
        pass
    finally:
        writer.close()

async def leak():
    per_second = a.leak_mib_h * 1024 * 1024 / 3600
    await asyncio.sleep(a.leak_start_s)
    carry = 0.0
    while True:
        await asyncio.sleep(0.1)
        carry += per_second * 0.1
        while carry >= 256:
            leaked.append(os.urandom(96).hex() + 'x' * 63)  # a 256-byte str object
            carry -= 256

async def main():
    server = await asyncio.start_server(serve, '127.0.0.1', a.port)
    if a.leak_mib_h > 0:
        asyncio.ensure_future(leak())
    async with server:
        await server.serve_forever()

asyncio.run(main())
