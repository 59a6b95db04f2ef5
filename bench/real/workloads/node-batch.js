// A periodic batch job: every --period seconds it builds --rows objects (a couple of hundred MiB
// of V8 heap), sorts and aggregates them and drops them; between batches it idles. Optionally a
// leak of --leak-mib-h, kept a second at a time as Buffers (outside the V8 heap).
// node node-batch.js [--period S] [--rows N] [--leak-mib-h R]
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	period: {type: 'string', default: '180'}, rows: {type: 'string', default: '800000'},
	'leak-mib-h': {type: 'string', default: '0'},
}});
const rows = Number(a.rows);
function batch() {
	let list = [];
	for (let i = 0; i < rows; i++) {
		list.push({id: i, user: `user${i % 9973}`, amount: Math.random() * 100});
	}

	list.sort((x, y) => x.amount - y.amount);
	const totals = new Map();
	for (const row of list) {
		totals.set(row.user, (totals.get(row.user) ?? 0) + row.amount);
	}

	list = undefined;
	return totals.size;
}

batch();
setInterval(batch, Number(a.period) * 1000);
const perSecond = Math.round(Number(a['leak-mib-h']) * 1024 * 1024 / 3600);
const kept = [];
if (perSecond > 0) {
	setInterval(() => kept.push(Buffer.alloc(perSecond, 1)), 1000);
}
