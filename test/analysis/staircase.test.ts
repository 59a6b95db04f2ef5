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
