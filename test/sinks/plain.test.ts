import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {expect, test} from 'vitest';
import {descriptorWriter, PlainSink} from '../../source/sinks/plain.js';
import {assess, DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {MIB} from '../../source/units.js';
import {leakSnapshot, leakStore} from '../helpers/snapshot.js';

/** The elapsed times at which a sink printed, for samples every `intervalMs` off by `jitterMs`. */
function printedAt(everyMs: number, intervalMs: number, samples: number, jitter: (k: number) => number): number[] {
	const printed: number[] = [];
	let elapsed = 0;
	const sink = new PlainSink(() => {
		printed.push(elapsed);
	}, everyMs, intervalMs);
	for (let k = 0; k < samples; k++) {
		elapsed = (k * intervalMs) + jitter(k);
		sink.update(leakSnapshot(undefined, {elapsedMs: elapsed}));
	}

	return printed;
}

test('--print-every 5m at 1 s prints at 0, 5 and 10 minutes, whether samples come a little early or late', () => {
	const late = printedAt(300_000, 1000, 661, k => (k * 7) % 5);
	expect(late.map(ms => Math.round(ms / 1000))).toEqual([0, 300, 600]);
	const early = printedAt(300_000, 1000, 661, k => (k === 0 ? 0 : -((k * 3) % 4)));
	expect(early.map(ms => Math.round(ms / 1000))).toEqual([0, 300, 600]);
});

test('every sample prints by default, even when one comes a little early', () => {
	const printed = printedAt(1000, 1000, 10, k => (k % 2 === 0 ? 2 : -2));
	expect(printed).toHaveLength(10);
});

test('a line says elapsed, RSS, the change since the first sample (or start-up), and the verdict as the screen gives it', () => {
	let text = '';
	const sink = new PlainSink(line => {
		text += line;
	}, 1000);
	sink.update(leakSnapshot());
	// A minute of growth: why it is undecided, not a rate presented as a finding.
	expect(text).toBe('memmon      59s  rss    105 MiB  Δ    +5.0 MiB  procs 2  undecided: rising — warm-up or leak? can\'t tell yet, at least 24 min more if it keeps rising\n');
	text = '';
	const long = new PlainSink(line => {
		text += line;
	}, 1000);
	long.update(leakSnapshot(leakStore(1500)));
	expect(text).toMatch(/^memmon +24m 59s {2}rss +249 MiB {2}Δ +\+149 MiB {2}procs 2 {2}FAILURE \+\d+ MiB\/h \(95%: \+\d+ … \+\d+ MiB\/h\)\n$/);
});

test('the gates given come before the verdict, each with its status as the run would end now and its limit', () => {
	let text = '';
	const sink = new PlainSink(line => {
		text += line;
	}, 1000);
	const store = leakStore();
	sink.update(leakSnapshot(store, {assessment: assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 4 * MIB, maxRate: MIB})}));
	expect(text).toBe('memmon      59s  rss    105 MiB  Δ    +5.0 MiB  procs 2  growth FAIL (≤ 4.0 MiB)  rate UNDECIDED (≤ +1.00 MiB/h)  undecided: rising — warm-up or leak? can\'t tell yet, at least 24 min more if it keeps rising\n');
});

test('the direct writer puts each line on its descriptor, and hands the rest to the stream in order once the descriptor fails', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-plain-'));
	const file = path.join(dir, 'stderr');
	const fd = fs.openSync(file, 'w');
	const stream = new PassThrough();
	let streamed = '';
	stream.on('data', (chunk: Buffer) => {
		streamed += chunk.toString();
	});
	const write = descriptorWriter(fd, stream);
	write('one ✓\n');
	write('two\n');
	expect(fs.readFileSync(file, 'utf8')).toBe('one ✓\ntwo\n');
	expect(streamed).toBe('');
	fs.closeSync(fd);
	// A descriptor that refuses the line (read-only here; a full non-blocking pipe says EAGAIN):
	// this line and every later one go through the stream, none lost, none out of order.
	const readOnly = fs.openSync(file, 'r');
	const fallback = descriptorWriter(readOnly, stream);
	fallback('three\n');
	fallback('four\n');
	expect(streamed).toBe('three\nfour\n');
	expect(fs.readFileSync(file, 'utf8')).toBe('one ✓\ntwo\n');
	fs.closeSync(readOnly);
	fs.rmSync(dir, {recursive: true});
});
