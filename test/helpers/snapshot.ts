/** A fixed snapshot and store for view tests. */
import {assess} from '../../source/analysis/index.js';
import {SeriesStore} from '../../source/series.js';
import type {Snapshot} from '../../source/snapshot.js';
import {MIB} from '../../source/units.js';

/** A store with `n` samples of a leak of 1 MiB per 10 samples over 100 MiB, at 1 s. */
export function leakStore(n = 60): SeriesStore {
	const store = new SeriesStore({baseWidth: 1});
	for (let i = 0; i < n; i++) {
		store.add({t: i, rss: (100 * MIB) + (Math.floor(i / 10) * MIB), hwm: (100 * MIB) + (Math.floor(i / 10) * MIB) + (512 * 1024)});
	}

	return store;
}

/** The snapshot of that store, as the run would publish it. */
export function leakSnapshot(store = leakStore(), overrides: Partial<Snapshot> = {}): Snapshot {
	const last = store.last!.rss;
	const assessment = overrides.assessment ?? assess(store);
	return {
		label: 'demo',
		target: 'node server.js',
		pid: 4242,
		mode: 'process',
		spawned: true,
		children: true,
		intervalMs: 1000,
		durationMs: 600_000,
		elapsedMs: store.last!.t * 1000,
		samples: store.count,
		failed: 0,
		now: {
			rss: last,
			swap: 0,
			cpu: 2.5,
			processes: [{pid: 4242, name: 'node', rss: last - (10 * MIB), cpu: 2}, {pid: 4243, name: 'worker', rss: 10 * MIB, cpu: 0.5}],
		},
		pss: {pss: 90 * MIB, uss: 80 * MIB, ageMs: 3000},
		first: store.first!.rss,
		min: store.min,
		peak: store.max!.value,
		hwm: store.hwm,
		system: {total: 24 * 1024 * MIB, available: 20 * 1024 * MIB, used: 4 * 1024 * MIB, free: 18 * 1024 * MIB, buffersCache: 2 * 1024 * MIB, swapTotal: 0, swapUsed: 0},
		assessment,
		quarters: assessment.quarters,
		logTail: ['listening on 127.0.0.1:4000', 'GET /items 200 3ms'],
		diskError: undefined,
		folderRecreated: 0,
		runDir: '/tmp/reports/demo-20260101-000000',
		ended: undefined,
		notice: undefined,
		...overrides,
	};
}
