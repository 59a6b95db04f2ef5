import stripAnsi from 'strip-ansi';
import {expect, test} from 'vitest';
import {chartLines, LABEL_WIDTH} from '../../source/ui/chart.js';
import {KIB, MIB} from '../../source/units.js';

const window = (values: number[]) => ({values, from: 0, to: values.length, marks: []});
const labels = (lines: string[]) => lines.slice(0, -2).map(line => stripAnsi(line).slice(0, LABEL_WIDTH));

test('a steady process that moves by a few pages keeps the same axis labels', () => {
	const base = 93.4 * MIB;
	const first = chartLines(window([base, base + (8 * KIB), base + (16 * KIB)]), 60, 10);
	const next = chartLines(window([base + (8 * KIB), base + (16 * KIB), base + (40 * KIB)]), 60, 10);
	expect(labels(next)).toEqual(labels(first));
	// Still at least 1 MiB tall, and every value inside it.
	const values = labels(first).map(label => Number.parseFloat(label));
	expect(values[0]! - values.at(-1)!).toBeGreaterThanOrEqual(0.99);
	expect(values.at(-1)!).toBeLessThanOrEqual(93.4);
	expect(values[0]!).toBeGreaterThanOrEqual(93.42);
});

test('a range near a grid edge still holds every value', () => {
	const lo = 50 * MIB;
	const lines = chartLines(window([lo, lo + (0.9 * MIB)]), 60, 10);
	const values = labels(lines).map(label => Number.parseFloat(label));
	expect(values.at(-1)!).toBeLessThanOrEqual(50);
	expect(values[0]!).toBeGreaterThanOrEqual(50.9);
});

test('a first column that drifts a little (start-up packed into it) leaves the plot as it was', () => {
	const flat = Array.from({length: 40}, () => 245 * MIB);
	const first = chartLines(window([43.2 * MIB, ...flat]), 60, 12);
	const next = chartLines(window([43.5 * MIB, ...flat]), 60, 12);
	expect(next).toEqual(first);
	// And the range still holds both ends.
	const values = labels(first).map(label => Number.parseFloat(label));
	expect(values.at(-1)!).toBeLessThanOrEqual(43.2);
	expect(values[0]!).toBeGreaterThanOrEqual(245);
});
