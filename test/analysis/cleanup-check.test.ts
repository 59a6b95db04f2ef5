import {expect, test} from 'vitest';
import {assess, DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {SeriesStore} from '../../source/series.js';
import {MIB} from '../../source/units.js';

/** before (50 MiB) → used (98 MiB) → closed (98 MiB: kept), at 100 ms; the `used` mark arrives `late` samples after the allocation. */
function keptClient(late: number, exitDip = false): SeriesStore {
	const store = new SeriesStore({baseWidth: 0.1});
	let t = 0;
	const add = (rss: number, mark?: string): void => {
		if (mark) {
			store.mark({t, label: mark});
		}

		store.add({t, rss});
		t += 0.1;
	};

	for (let i = 0; i < 5; i++) {
		add(40 * MIB);
	}

	add(50 * MIB, 'before');
	for (let i = 0; i < 10; i++) {
		add(50 * MIB);
	}

	// Allocated right after the workload printed "PHASE used"; memmon read the line `late` samples on.
	for (let i = 0; i < late; i++) {
		add(98 * MIB);
	}

	add(98 * MIB, 'used');
	for (let i = 0; i < 10; i++) {
		add(98 * MIB);
	}

	add(98 * MIB, 'closed');
	for (let i = 0; i < 10; i++) {
		add(98 * MIB);
	}

	if (exitDip) {
		// A program freeing its memory on its way out: the last sample or two far below.
		add(60 * MIB);
		add(45 * MIB);
	}

	return store;
}

const baseline = (store: SeriesStore) => assess(store, {...DEFAULT_ANALYSIS, baselineTolerance: 10 * MIB}).thresholds.find(threshold => threshold.name === 'baseline')!;

test('a mark read a few samples late: the memory kept is still the whole 48 MiB, not what is left after the late samples', () => {
	for (const late of [0, 1, 3, 4]) {
		const check = baseline(keptClient(late));
		expect(check.status).toBe('fail');
		expect(check.actualValue).toBe(48 * MIB);
	}
});

test('a program freeing memory on its way out does not pass a cleanup it failed', () => {
	const check = baseline(keptClient(0, true));
	expect(check.status).toBe('fail');
	expect(check.actualValue).toBe(48 * MIB);
});
