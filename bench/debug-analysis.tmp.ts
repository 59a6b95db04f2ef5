import {assess} from '../source/analysis/index.js';
import {SeriesStore} from '../source/series.js';
import {buildGrid, generate} from './traces.js';
const MIB = 1048576;
const wanted = process.argv[2] ?? '';
for (const spec of buildGrid('small', 4)) {
	if (!spec.identifiable || (wanted && !spec.family.startsWith(wanted))) continue;
	const {t, rss} = generate(spec);
	const store = new SeriesStore({baseWidth: spec.interval});
	for (let i = 0; i < t.length; i++) store.add({t: t[i]!, rss: rss[i]!});
	const g = assess(store).growth;
	const v = g.verdict;
	const leaky = v === 'warning' || v === 'failure' || v === 'leak';
	const wrong = v !== 'undecided' && (v === 'leak' ? spec.gtRate < 1 : (spec.boundary ? false : v !== spec.gtBand));
	if (wrong) console.log(spec.id.padEnd(48), v.padEnd(10), ((g.rate ?? NaN) / MIB).toFixed(2), ((g.low ?? NaN) / MIB).toFixed(2), ((g.high ?? NaN) / MIB).toFixed(2), 'wu', g.warmupEnd?.toFixed(0), g.pattern, leaky ? 'FALSE-LEAK' : '');
}
