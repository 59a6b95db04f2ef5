import {expect, test} from 'vitest';
import {WorkloadOutput} from '../../source/commands/workload-output.js';

function read(opsPattern: RegExp, text: string): {counts: number[]; problem: string | undefined} {
	const counts: number[] = [];
	const output = new WorkloadOutput({opsPattern, onMark() {}, onOperations: value => counts.push(value)});
	output.add(Buffer.from(text));
	output.flush();
	return {counts, problem: output.operationsProblem()};
}

test('--ops-pattern: the count from its capture group, with separators; a pattern that reads none says why at the end', () => {
	expect(read(/done (\S+) ops/, 'starting\ndone 1,000 ops\ndone 2_000 ops\n')).toEqual({counts: [1000, 2000], problem: undefined});
	// A count alone needs no group.
	expect(read(/\d+/, 'x\n500\n')).toEqual({counts: [500], problem: undefined});
	// The last line, without its line break, at the end.
	expect(read(/done (\d+) ops/, 'done 1000 ops\ndone 2000 ops')).toEqual({counts: [1000, 2000], problem: undefined});
	// Matched, but no number where the count would be: a group is missing.
	expect(read(/done/, 'done 1000 ops\ndone 2000 ops\n')).toEqual({counts: [], problem: '--ops-pattern \'done\' matched "done 1000 ops" but read no count in it: put the count in a capture group, e.g. --ops-pattern \'done (\\d+) ops\''});
	// Matched nothing at all.
	expect(read(/finished (\d+)/, 'done 1000 ops\n')).toEqual({counts: [], problem: '--ops-pattern \'finished (\\d+)\' matched no line of the workload\'s output (workload.log has it): no growth per 100K operations'});
});

test('--mark-pattern that matched no line says so at the end; one that did, nothing', () => {
	const marks: string[] = [];
	const matched = new WorkloadOutput({markPattern: /PHASE (\w+)/, onMark: label => marks.push(label), onOperations() {}});
	matched.add(Buffer.from('PHASE used\nwork\nPHASE closed\n'));
	expect(marks).toEqual(['used', 'closed']);
	expect(matched.marksProblem()).toBeUndefined();
	const unmatched = new WorkloadOutput({markPattern: /PHASE (\w+)/, onMark() {}, onOperations() {}});
	unmatched.add(Buffer.from('phase used\n'));
	expect(unmatched.marksProblem()).toBe('--mark-pattern \'PHASE (\\w+)\' matched no line of the workload\'s output (workload.log has it): no phases from it');
	expect(new WorkloadOutput({onMark() {}, onOperations() {}}).marksProblem()).toBeUndefined();
});

/** A small deterministic generator, so a failing case can be read again. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

test('without a pattern, a chunk\'s last lines alone are cut: the tail is the one every line would give, wherever the chunks split', () => {
	const next = random(7);
	const breaks = ['\n', '\r\n', '\r', '\n\n'];
	for (let run = 0; run < 40; run++) {
		let text = '';
		const lines = Math.floor(next() * 400);
		for (let i = 0; i < lines; i++) {
			const long = next() < 0.02 ? 'x'.repeat(9000) : '';
			text += `line ${i} é ${long}${breaks[Math.floor(next() * breaks.length)]!}`;
		}

		text += next() < 0.5 ? 'unfinished' : '';
		const bytes = Buffer.from(text);
		// Every line read (a pattern that never matches) and only the last ones, fed the same chunks.
		const every = new WorkloadOutput({markPattern: /(?!)/, onMark() {}, onOperations() {}});
		const latest = new WorkloadOutput({onMark() {}, onOperations() {}});
		expect(latest.latestOnly).toBe(true);
		expect(every.latestOnly).toBe(false);
		let at = 0;
		while (at < bytes.length) {
			const end = Math.min(bytes.length, at + 1 + Math.floor(next() * 6000));
			every.add(bytes.subarray(at, end));
			latest.add(bytes.subarray(at, end));
			at = end;
		}

		every.flush();
		latest.flush();
		expect(latest.tail).toEqual(every.tail);
	}
});

test('output after a gap begins at the next line break: the line begun before it is not shown half', () => {
	const output = new WorkloadOutput({onMark() {}, onOperations() {}});
	output.add(Buffer.from('first\nsecond, begun'));
	output.add(Buffer.from('of a line whose start was passed over\nthird\n'), true);
	expect(output.tail).toEqual(['first', 'third']);
});
