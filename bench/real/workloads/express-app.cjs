// An Express 5 app as small Node services are written: JSON routes over an lru-cache of 20,000
// items; optionally express-session's MemoryStore holding a session for some requests, never
// expired (the store's documented leak: clients that send no cookie get a new session each time).
// NODE_PATH=<folder with express, express-session, lru-cache> node express-app.cjs --port P
//   [--cap N] [--value-bytes B] [--leak-mib-h L]
const crypto = require('node:crypto');
const {parseArgs} = require('node:util');
const express = require('express');
const session = require('express-session');
const {LRUCache} = require('lru-cache');

const {values: a} = parseArgs({options: {
	port: {type: 'string'}, cap: {type: 'string', default: '20000'},
	'value-bytes': {type: 'string', default: '1024'}, 'leak-mib-h': {type: 'string', default: '0'},
}});
const cache = new LRUCache({max: Number(a.cap)});
const app = express();
// What one session holds beyond the store's own bookkeeping (a cart, a user record).
const SESSION_BYTES = 2048;
const sessionsPerSecond = Number(a['leak-mib-h']) * 1024 * 1024 / 3600 / SESSION_BYTES;
let credit = 0;
let last = Date.now();
if (sessionsPerSecond > 0) {
	app.use(session({secret: 'memmon', resave: false, saveUninitialized: false}));
	app.use((request, _response, next) => {
		const now = Date.now();
		credit += (now - last) / 1000 * sessionsPerSecond;
		last = now;
		if (credit >= 1) {
			credit -= 1;
			request.session.cart = {items: [crypto.randomBytes(SESSION_BYTES / 2 - 64).toString('hex')], at: now};
		}

		next();
	});
}

app.get('/', (request, response) => {
	const key = String(request.query.k ?? '0');
	let value = cache.get(key);
	if (!value) {
		value = {key, body: crypto.randomBytes(Number(a['value-bytes']) / 2).toString('hex'), at: Date.now(), hits: 0};
		cache.set(key, value);
	}

	value.hits++;
	response.json({key, hits: value.hits, size: value.body.length, n: cache.size});
});
app.listen(Number(a.port), '127.0.0.1');
