import {describe, expect, test} from 'vitest';
import {count, formatBytes, formatBytesChange, formatDelta, formatDuration, formatMinutes, formatRate, formatRateRange, MIB, parseDuration, parseRate, parseSize} from '../source/units.js';

describe('parseDuration', () => {
	test.each([
		['500ms', 500], ['5s', 5000], ['10m', 600_000], ['24h', 86_400_000], ['1h30m', 5_400_000], ['2', 2000], ['1.5s', 1500], ['1d', 86_400_000],
	])('%s → %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	test('negative durations parse as negative (the options reject them)', () => {
		expect(parseDuration('-5m')).toBe(-300_000);
	});

	test.each(['10x', '', 'm', '5 s s', '1h-5m', 'abc', '1m1m', '30m1h', '5s5ms5s'])('rejects %j', text => {
		expect(parseDuration(text)).toBeUndefined();
	});
});

describe('parseSize', () => {
	test('MB and MiB are both binary', () => {
		expect(parseSize('50MB')).toBe(50 * MIB);
		expect(parseSize('50 MiB')).toBe(50 * MIB);
		expect(parseSize('1.5GiB')).toBe(1.5 * 1024 * MIB);
		expect(parseSize('512k')).toBe(512 * 1024);
		expect(parseSize('1048576')).toBe(MIB);
	});

	test('rejects unknown units', () => {
		expect(parseSize('5 parsecs')).toBeUndefined();
		expect(parseSize('MB')).toBeUndefined();
	});
});

describe('parseRate', () => {
	test('reads sizes per time, bare numbers as MiB/h', () => {
		expect(parseRate('1MB/h')).toBe(MIB);
		expect(parseRate('2 MiB/hour')).toBe(2 * MIB);
		expect(parseRate('1MB/min')).toBe(60 * MIB);
		expect(parseRate('5')).toBe(5 * MIB);
		expect(parseRate('fast')).toBeUndefined();
	});
});

describe('formatting', () => {
	test('bytes with binary units', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(50 * MIB)).toBe('50.0 MiB');
		expect(formatBytes(150 * MIB)).toBe('150 MiB');
		expect(formatBytes(3 * 1024 * MIB)).toBe('3.00 GiB');
		expect(formatBytes(undefined)).toBe('—');
	});

	test('deltas carry a sign', () => {
		expect(formatDelta(2 * MIB)).toBe('+2.0 MiB');
		expect(formatDelta(-2 * MIB)).toBe('−2.0 MiB');
		expect(formatDelta(0)).toBe('±0 B');
	});

	test('rates in MiB/h', () => {
		expect(formatRate(0.4 * MIB)).toBe('+0.40 MiB/h');
		expect(formatRate(-12.34 * MIB)).toBe('−12.3 MiB/h');
		expect(formatRate(0)).toBe('0.00 MiB/h');
		expect(formatRate(Number.NaN)).toBe('—');
		expect(formatRate(1023 * MIB)).toBe('+1023 MiB/h');
		expect(formatRate(39_102 * MIB)).toBe('+38.2 GiB/h');
		expect(formatRate(-2048 * MIB)).toBe('−2.00 GiB/h');
		// Bounds: the unit once when both ends share it, at each end when they do not.
		expect(formatRateRange(2.1 * MIB, 4.3 * MIB)).toBe('+2.10 … +4.30 MiB/h');
		expect(formatRateRange(-260 * MIB, 1290 * MIB)).toBe('−260 MiB/h … +1.26 GiB/h');
		expect(formatRateRange(1100 * MIB, 1300 * MIB)).toBe('+1.07 … +1.27 GiB/h');
		// A change in bytes, the same way.
		expect(formatBytesChange(8.3 * MIB, 24.4 * MIB)).toBe('8.3 → 24.4 MiB');
		expect(formatBytesChange(900 * 1024, 1.2 * MIB)).toBe('900 KiB → 1.2 MiB');
		// A bound that ran off every slope the data have: the other side alone, or none.
		expect(formatRateRange(undefined, 3 * MIB)).toBe('below +3.00 MiB/h');
		expect(formatRateRange(Number.NEGATIVE_INFINITY, 3 * MIB)).toBe('below +3.00 MiB/h');
		expect(formatRateRange(5 * MIB, Number.POSITIVE_INFINITY)).toBe('above +5.00 MiB/h');
		expect(formatRateRange(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe('not yet bounded: the rise is still curving');
	});

	test('durations', () => {
		expect(formatDuration(0)).toBe('0s');
		expect(formatDuration(450)).toBe('450ms');
		expect(formatDuration(1500)).toBe('1.5s');
		expect(formatDuration(2999.97)).toBe('3s');
		expect(formatDuration(3000)).toBe('3s');
		expect(formatDuration(9960)).toBe('9s');
		expect(formatDuration(42_000)).toBe('42s');
		expect(formatDuration(303_000)).toBe('5m 03s');
		expect(formatDuration(7_500_000)).toBe('2h 05m');
		expect(formatDuration(90_000_000)).toBe('1d 01h');
	});
});

test('count: the noun agrees with the number ("1 sample", not "1 samples")', () => {
	expect(count(1, 'sample')).toBe('1 sample');
	expect(count(0, 'sample')).toBe('0 samples');
	expect(count(2, 'gap')).toBe('2 gaps');
});

test('a wait in minutes, or between two: one figure where both round alike', () => {
	expect(formatMinutes(20)).toBe('1 min');
	expect(formatMinutes(19 * 60)).toBe('19 min');
	// A floor rounds down: 19.9 minutes is at least 19.
	expect(formatMinutes((19 * 60) + 54, true)).toBe('19 min');
	expect(formatMinutes(30, true)).toBe('1 min');
});
