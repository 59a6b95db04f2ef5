import {expect, test} from 'vitest';
import {DEFAULT_ANALYSIS} from '../source/analysis/index.js';
import {FakeClock} from '../source/clock.js';
import {SeriesStore} from '../source/series.js';
import {ShownVerdict} from '../source/shown-verdict.js';
import {MIB} from '../source/units.js';

test('short of points, the verdict is recomputed with every sample, not every 10 s: its note counts down', () => {
	const shown = new ShownVerdict(DEFAULT_ANALYSIS, new FakeClock(), 10_000);
	const store = new SeriesStore({baseWidth: 1});
	const notes: string[] = [];
	for (let i = 0; i < 8; i++) {
		store.add({t: i, rss: (100 * MIB) + (i * MIB)});
		notes.push(shown.assess(store, i * 1000).growth.note ?? '');
	}

	expect(notes[0]).toMatch(/need \d+ more points? of data/);
	expect(new Set(notes).size).toBe(8);
	const missing = notes.map(note => Number(/need (\d+)/.exec(note)![1]));
	expect(missing.slice(1).every((value, i) => value < missing[i]!)).toBe(true);
});

test('once it has its points, the verdict waits its period (10 s here): the rate between stays', () => {
	const shown = new ShownVerdict(DEFAULT_ANALYSIS, new FakeClock(), 10_000);
	const store = new SeriesStore({baseWidth: 1});
	const rates: Array<number | undefined> = [];
	for (let i = 0; i < 60; i++) {
		store.add({t: i, rss: (100 * MIB) + (i * i * 10_000)});
		rates.push(shown.assess(store, i * 1000).growth.rate);
	}

	const firstRate = rates.findIndex(rate => rate !== undefined);
	expect(firstRate).toBeGreaterThan(0);
	// The next five after the first estimate repeat it; a new one comes by 10 s later.
	expect(new Set(rates.slice(firstRate, firstRate + 5)).size).toBe(1);
	expect(new Set(rates.slice(firstRate, firstRate + 11)).size).toBe(2);
});
