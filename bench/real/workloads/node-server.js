// An HTTP server with a bounded LRU cache, as real services have; optionally a leak.
// node node-server.js --port P [--cap N] [--value-bytes B] [--leak-mib-h R] [--leak-start-s S]
import http from 'node:http';
import crypto from 'node:crypto';
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	port: {type: 'string'}, cap: {type: 'string', default: '20000'},
	'value-bytes': {type: 'string', default: '1024'},
	'leak-mib-h': {type: 'string', default: '0'}, 'leak-start-s': {type: 'string', default: '0'},
}});
const cap = Number(a.cap);
const valueBytes = Number(a['value-bytes']);
const cache = new Map();
const leaked = [];
let leakedBytes = 0;

function lookup(key) {
	let value = cache.get(key);
	if (value) {
		cache.delete(key);
	} else {
		value = {key, body: crypto.randomBytes(valueBytes / 2).toString('hex'), at: Date.now(), hits: 0};
		if (cache.size >= cap) {
			cache.delete(cache.keys().next().value);
		}
	}

	value.hits++;
	cache.set(key, value);
	return value;
}

http.createServer((request, response) => {
	const key = new URL(request.url, 'http://x').searchParams.get('k') ?? '0';
	const value = lookup(key);
	const body = JSON.stringify({key: value.key, hits: value.hits, size: value.body.length, n: cache.size});
	response.writeHead(200, {'content-type': 'application/json'});
	response.end(body);
}).listen(Number(a.port), '127.0.0.1');

// The leak: a record retained every second, sized for the designed rate (a V8 heap string).
const perSecond = Number(a['leak-mib-h']) * 1024 * 1024 / 3600;
if (perSecond > 0) {
	setTimeout(() => {
		setInterval(() => {
			leaked.push({at: Date.now(), note: crypto.randomBytes(Math.round(perSecond / 2)).toString('hex')});
			leakedBytes += perSecond;
		}, 1000);
	}, Number(a['leak-start-s']) * 1000);
}
