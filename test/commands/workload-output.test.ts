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
