/** Marks from the workload's output and from SIGUSR2; phases; the cleanup threshold. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {fixture, onlyRunDir, readSamples, runCli, startCli, temporaryDir, waitFor} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

type Report = {phases: Array<{label: string; samples: number; end_level_bytes: number; max_bytes: number}>; thresholds: Array<{name: string; status: string; value: number}>};

async function cleanupRun(mode: 'release' | 'keep'): Promise<{code: number | null; runDir: string; report: Report}> {
	const reports = path.join(dir, mode);
	const result = await runCli(['--interval', '100ms', '--mark-pattern', 'PHASE (\\w+)', '--baseline-tolerance', '10MB', '--report-dir', reports, '--', process.execPath, '--expose-gc', fixture('phases.js'), mode, '1200']);
	const runDir = onlyRunDir(reports);
	return {code: result.code, runDir, report: JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as Report};
}

describe('cleanup check', () => {
	test('a workload that releases its memory passes: phases from --mark-pattern, back within 10 MB', async () => {
		const {code, runDir, report} = await cleanupRun('release');
		// `start` is the workload's start-up before it printed its first PHASE line.
		expect(report.phases.map(phase => phase.label)).toEqual(['start', 'before', 'used', 'closed']);
		const [, before, used] = report.phases;
		// 48 MiB allocated after the PHASE line: the output is read before every sample, so every
		// sample of the allocation is in `used`; the phases last 1.2 s, as an allocation slows on a
		// loaded machine.
		expect(used!.max_bytes - before!.end_level_bytes).toBeGreaterThan(20 * 1024 * 1024);
		const baseline = report.thresholds.find(threshold => threshold.name === 'baseline')!;
		expect(baseline.status).toBe('pass');
		expect(baseline.value).toBeLessThan(10 * 1024 * 1024);
		expect(readSamples(runDir).filter(row => row.mark).map(row => row.mark)).toEqual(['before', 'used', 'closed']);
		expect(fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8')).toMatch(/Phases \(between marks\)\n.*\n {2}start .*\n {2}before .*\n {2}used .*\n {2}closed /);
		expect(code).not.toBe(2);
		// analyze replays the marks: the same phases and the same threshold from samples.csv alone.
		const again = JSON.parse((await runCli(['analyze', '--json', '--baseline-tolerance', '10MB', runDir])).stdout) as {thresholds: Array<{name: string; status: string}>};
		expect(again.thresholds.find(threshold => threshold.name === 'baseline')!.status).toBe('pass');
	});

	test('a workload that keeps it fails the threshold and the run (exit 1), with the numbers', async () => {
		const {code, report} = await cleanupRun('keep');
		const baseline = report.thresholds.find(threshold => threshold.name === 'baseline')!;
		expect(baseline.status).toBe('fail');
		// 48 MiB kept, less what the start-up garbage in `before` had: far beyond the 10 MB tolerance.
		// (With the allocation before its PHASE line, a loaded machine once put half of it in the
		// baseline: 24.3 MiB.)
		expect(baseline.value).toBeGreaterThan(25 * 1024 * 1024);
		expect(code).toBe(1);
	});
});

test('SIGUSR2 to memmon marks the run', async () => {
	const reports = path.join(dir, 'usr2');
	const {child, result} = startCli(['--interval', '100ms', '--report-dir', reports, '--', process.execPath, fixture('steady.js'), '5']);
	const runDir = await waitFor(() => fs.existsSync(reports) && fs.readdirSync(reports).some(name => name.startsWith('steady-')) && onlyRunDir(reports), 10_000, 'run folder');
	await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= 3, 10_000, 'samples');
	child.kill('SIGUSR2');
	await waitFor(() => readSamples(runDir).some(row => row.mark === 'signal 1'), 10_000, 'the mark');
	child.kill('SIGTERM');
	await result;
	const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as Report;
	expect(report.phases.map(phase => phase.label)).toEqual(['start', 'signal 1']);
});

test('a --mark-pattern that is not a regular expression: a usage error', async () => {
	const result = await runCli(['--mark-pattern', 'PHASE (', '--', 'true']);
	expect(result.code).toBe(2);
	expect(result.stderr).toMatch(/^memmon: --mark-pattern "PHASE \(" is not a regular expression/);
});
