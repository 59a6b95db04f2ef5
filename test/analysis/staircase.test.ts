/**
A leak that grows in steps is bounded, not left "not yet bounded". The recording: a Python HTTP
server leaking 3 MiB/h (calibrated) through its allocator's arenas, 90 minutes at 1 s, made by the
real-process corpus's recorder (bench/real/, py-http-leak-3).
*/
import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {analyzeSamples} from '../../source/commands/analyze.js';
import {parseSamples} from '../../source/record/samples-reader.js';
import {MIB} from '../../source/units.js';
import {fixture} from '../helpers/cli.js';

describe('a real leak in steps', () => {
	const file = fixture('real/python-leak-in-steps.csv');
	const samples = parseSamples(fs.readFileSync(file, 'utf8'), file);

	test('after 90 minutes: finite bounds around what it did, and a leak called', () => {
		const {growth} = analyzeSamples(samples, DEFAULT_ANALYSIS).assessment;
		// Before, the autocorrelation correction left both bounds infinite and the verdict undecided.
		expect(Number.isFinite(growth.low)).toBe(true);
		expect(Number.isFinite(growth.high)).toBe(true);
		// What it did: 3.0 MiB/h calibrated, 3.4 by least squares over its last hour.
		expect(growth.low).toBeGreaterThan(1 * MIB);
		expect(growth.low).toBeLessThan(3.4 * MIB);
		expect(growth.high).toBeGreaterThan(3.4 * MIB);
		expect(['warning', 'leak']).toContain(growth.verdict);
	});

});

describe('a real leak as clean as a tight loop\'s', () => {
	// memmon's own 11-min recording of test/fixtures/py-heap-leak.py: ~240 MB a minute, the same
	// every minute to 0.05%, its only noise the allocation's rhythm.
	const file = fixture('real/python-clean-leak.csv');
	const samples = parseSamples(fs.readFileSync(file, 'utf8'), file);

	test('the bounds stay finite: the block medians bound what the autocorrelation correction cannot', () => {
		const {growth} = analyzeSamples(samples, DEFAULT_ANALYSIS).assessment;
		// Before, the last third's bounds (the warm-up cut at its cap) took the lower bound to −∞,
		// and a leak this plain read "can't tell yet" for as long as it ran.
		expect(Number.isFinite(growth.low)).toBe(true);
		// ~14 GiB/h, within a tenth and a little more either side (RATE_DRIFT).
		expect(growth.low).toBeGreaterThan(12.4 * 1024 * MIB);
		expect(growth.high).toBeLessThan(15.6 * 1024 * MIB);
		// Eleven minutes of growth is still too short to call (15 minutes after the warm-up's end).
		expect(growth.reason).toBe('young');
	});
});
