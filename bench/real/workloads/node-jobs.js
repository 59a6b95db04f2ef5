// An in-process batch worker: JSON in and out, sorts and aggregates (a GC sawtooth);
// optionally a leak through event listeners or a retained array, from a given second.
// node node-jobs.js [--batch N] [--leak-mib-h R] [--leak-start-s S] [--leak-kind listeners|array]
import {EventEmitter} from 'node:events';
import crypto from 'node:crypto';
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	batch: {type: 'string', default: '600'},
	'leak-mib-h': {type: 'string', default: '0'}, 'leak-start-s': {type: 'string', default: '0'},
	'leak-kind': {type: 'string', default: 'array'},
}});
const batch = Number(a.batch);
const bus = new EventEmitter();
bus.setMaxListeners(0);
const kept = [];
let totals = {};

setInterval(() => {
	const rows = [];
	for (let i = 0; i < batch; i++) {
		rows.push({id: i, user: `u${i % 97}`, amount: Math.random() * 100, tags: ['a', 'b', String(i % 7)]});
	}

	const parsed = JSON.parse(JSON.stringify(rows));
	parsed.sort((x, y) => x.amount - y.amount);
	totals = {};
	for (const row of parsed) {
		totals[row.user] = (totals[row.user] ?? 0) + row.amount;
	}

	bus.emit('batch', parsed.length);
}, 100);

const perSecond = Number(a['leak-mib-h']) * 1024 * 1024 / 3600;
if (perSecond > 0) {
	setTimeout(() => setInterval(() => {
		const payload = crypto.randomBytes(Math.round(perSecond / 2)).toString('hex');
		if (a['leak-kind'] === 'listeners') {
			bus.on('batch', () => payload.length);
		} else {
			kept.push(payload);
		}
	}, 1000), Number(a['leak-start-s']) * 1000);
}
