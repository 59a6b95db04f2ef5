#!/usr/bin/env node
// The demo behind `npm start`: a small "cache" that forgets to evict, so memory climbs steadily
// (8 KiB a second by default: ~28 MiB/h of buffers, more with the Map around them) under a churn
// of short-lived garbage, like a server with a leak.
// Usage: node examples/demo-workload.js [--leak-kib-per-s N] [--seconds N]
const args = process.argv.slice(2);
const option = (name, fallback) => {
	const at = args.indexOf(name);
	return at === -1 ? fallback : Number(args[at + 1]);
};

const leakKibPerSecond = option('--leak-kib-per-s', 8);
const seconds = option('--seconds', Number.POSITIVE_INFINITY);
const tickMs = 100;
const requestsPerTick = 5;
const cache = new Map();
let requests = 0;
const started = Date.now();

function handleRequest() {
	requests++;
	// Garbage: a response body built and dropped.
	const body = JSON.stringify({id: requests, items: Array.from({length: 50}, (_, i) => ({i, name: `item-${i}`}))});
	// The leak: every response is "cached" under a unique key and never evicted.
	cache.set(`request-${requests}`, Buffer.alloc(Math.round(leakKibPerSecond * 1024 * tickMs / 1000 / requestsPerTick), body.length % 251));
}

function tick() {
	for (let i = 0; i < requestsPerTick; i++) {
		handleRequest();
	}

	if (requests % 100 === 0) {
		const rss = process.memoryUsage().rss / 1024 / 1024;
		console.log(`demo: ${requests} requests, cache ${cache.size} entries, rss ${rss.toFixed(1)} MiB`);
	}

	if ((Date.now() - started) / 1000 >= seconds) {
		console.log('demo: done');
		return;
	}

	setTimeout(tick, tickMs);
}

tick();

process.on('SIGTERM', () => {
	console.log('demo: SIGTERM, shutting down');
	process.exit(0);
});
