// A Node job pool: the main thread hands JSON jobs to two worker_threads, which parse, transform
// and answer them; one worker can keep part of every answer (a leak in a second V8 isolate).
// node node-workers.js [--rate R] [--leak-mib-h L]
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads';
import {fileURLToPath} from 'node:url';
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (isMainThread) {
	const rate = arg('rate', 200);
	const leak = arg('leak-mib-h', 0);
	const workers = [0, 1].map(i => new Worker(fileURLToPath(import.meta.url), {workerData: {leak: i === 0 ? leak : 0}}));
	let n = 0;
	setInterval(() => {
		for (let i = 0; i < rate / 10; i++) {
			const job = {id: n++, items: Array.from({length: 40}, (_, j) => ({j, name: `item-${j}`, v: Math.random()}))};
			workers[n % 2].postMessage(JSON.stringify(job));
		}
	}, 100);
	for (const w of workers) w.on('message', () => {});
} else {
	const kept = [];
	const perSecond = workerData.leak * 1024 * 1024 / 3600;
	let carry = 0;
	let last = Date.now();
	parentPort.on('message', text => {
		const job = JSON.parse(text);
		const out = job.items.map(item => ({...item, v: item.v * 2, tag: `${item.name}:${job.id}`}));
		parentPort.postMessage(out.length);
		const now = Date.now();
		carry += perSecond * (now - last) / 1000;
		last = now;
		if (carry >= 1024) {
			kept.push(Buffer.alloc(Math.floor(carry), 107).toString('latin1'));
			carry -= Math.floor(carry);
		}
	});
}
