import {execFileSync} from 'node:child_process';
/** `memmon analyze` end to end: memmon's own run folders, foreign CSVs, damaged files, --json. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {fixture, onlyRunDir, root, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const traces = path.join(root, 'test/fixtures/traces');
const trace = (id: string): string => path.join(traces, `${id}.csv`);

describe('memmon analyze', () => {
	test('--json: one object per file per line, with the fields the issue names', async () => {
		const result = await runCli(['analyze', '--json', trace('linear_2__quiet__T14400_dt60__r0'), trace('step_at0.6__quiet__T86400_dt60__r0')]);
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		expect(lines).toHaveLength(2);
		for (const key of ['file', 'samples', 'verdict', 'rate_bytes_per_hour', 'rate_low_bytes_per_hour', 'rate_high_bytes_per_hour', 'warmup_end_seconds', 'pattern', 'need_more_seconds', 'need_more_least_seconds', 'quarters_bytes', 'growth_bytes', 'peak_bytes', 'thresholds']) {
			expect(lines[0]).toHaveProperty(key);
		}

		expect(lines[0]).toMatchObject({samples: 240, verdict: 'warning', pattern: 'linear growth'});
		expect(lines[1]).toMatchObject({samples: 1440, verdict: 'acceptable'});
		expect(lines[1]!.pattern).toMatch(/^one-off step/);
		expect((lines[0]!.quarters_bytes as number[]).length).toBe(4);
	});

	test('a CSV with samples alone: what was never recorded (PID, start) reads as such, not as PID 0 in 1970', async () => {
		const result = await runCli(['analyze', trace('linear_2__quiet__T14400_dt60__r0')]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ {2}Target +not recorded \(samples only\)$/m);
		expect(result.stdout).toMatch(/^ {2}PID +— +not recorded$/m);
		expect(result.stdout).toMatch(/^ {2}Started +— +not recorded$/m);
		expect(result.stdout).not.toContain('1970');
	});

	test('thresholds set the exit code', async () => {
		const failing = await runCli(['analyze', '--max-growth', '5MB', trace('linear_2__quiet__T14400_dt60__r0')]);
		expect(failing.code).toBe(1);
		expect(failing.stdout).toMatch(/growth\s+FAIL\s+[\d.]+ MiB since the first sample \(limit ≤ 5\.0 MiB\)/);
		// Explicit thresholds are the gates: the verdict is not among them unless asked for.
		expect(failing.stdout).not.toMatch(/^ {2}verdict /m);
		const passing = await runCli(['analyze', '--max-growth', '50MB', '--max-rate', '5MB/h', trace('linear_2__quiet__T14400_dt60__r0')]);
		expect(passing.code).toBe(0);
	});

	test('a FIFO, a negative RSS: one line each, exit 2, and analyze does not wait on the FIFO', async () => {
		const fifo = path.join(dir, 'samples.fifo');
		execFileSync('mkfifo', [fifo]);
		const started = Date.now();
		const waiting = await runCli(['analyze', fifo]);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(waiting.code).toBe(2);
		expect(waiting.stderr).toBe(`memmon: ${fifo}: not a regular file: give a samples CSV or a run folder\n`);
		const negative = path.join(dir, 'negative.csv');
		fs.writeFileSync(negative, 't_seconds,rss_bytes\n0,100\n1,-5\n');
		const rejected = await runCli(['analyze', negative]);
		expect(rejected.code).toBe(2);
		expect(rejected.stderr).toMatch(/negative\.csv:3: cannot read a sample from "1,-5": .*memory not negative/);
	});

	test('samples that all have one time: one line saying so, not "need more points"', async () => {
		const same = path.join(dir, 'same-time.csv');
		fs.writeFileSync(same, `t_seconds,rss_bytes\n${Array.from({length: 600}, (_, i) => `5,${100_000_000 + i}`).join('\n')}\n`);
		const result = await runCli(['analyze', same]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`memmon: ${same}: all 600 samples have the same time (5): a rate needs samples taken over time; check the time column\n`);
	});

	test('a file cut mid-line (kill -9) is analysed without its last line', async () => {
		const text = fs.readFileSync(trace('linear_2__quiet__T14400_dt60__r0'), 'utf8');
		const cut = path.join(dir, 'cut.csv');
		fs.writeFileSync(cut, text.slice(0, text.length - 7));
		const result = await runCli(['analyze', '--json', cut]);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('the last line was cut off');
		expect(JSON.parse(result.stdout)).toMatchObject({samples: 239, truncated: true, verdict: 'warning'});
	});

	test('garbage lines: one in a long file is skipped and said; more is an error naming the file and line; the other files are still analysed', async () => {
		const lines = fs.readFileSync(trace('flat__quiet__T3600_dt10__r0'), 'utf8').split('\n');
		lines.splice(42, 0, 'garbage,,here');
		const flawed = path.join(dir, 'flawed.csv');
		fs.writeFileSync(flawed, lines.join('\n'));
		lines.splice(100, 0, 'more,,garbage', '1,2', '3');
		const bad = path.join(dir, 'garbage.csv');
		fs.writeFileSync(bad, lines.join('\n'));
		const noHeader = path.join(dir, 'no-header.csv');
		fs.writeFileSync(noHeader, '1,2\n3,4\n');
		const result = await runCli(['analyze', '--json', flawed, bad, noHeader, trace('linear_2__quiet__T14400_dt60__r0'), path.join(dir, 'missing.csv')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(`memmon: ${flawed}: 1 unreadable line skipped (the first at line 43)`);
		expect(result.stderr).toContain(`memmon: ${bad}:43: cannot read a sample from "garbage,,here"`);
		expect(result.stderr).toContain(`memmon: ${noHeader}:1: the header must name a time column in seconds and a memory column in bytes`);
		expect(result.stderr).toContain(`memmon: ${path.join(dir, 'missing.csv')}: cannot read it (no such file)`);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.stdout.trim().split('\n')).toHaveLength(2);
		expect(result.stdout).toContain('"truncated":false');
	});

	test('a run folder: reports rebuilt from samples.csv alone, even after a kill -9 cut its last line', async () => {
		const reports = path.join(dir, 'runs');
		const run = await runCli(['--interval', '100ms', '--duration', '1.5s', '--report-dir', reports, '--', process.execPath, fixture('leaky.js'), '256', '50']);
		expect([0, 1]).toContain(run.code);
		const runDir = onlyRunDir(reports);
		// The same samples, the same pipeline: analyze comes to the run's own verdict.
		const again = await runCli(['analyze', '--json', runDir]);
		expect(again.code).toBe(run.code);
		const live = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {growth: {verdict: string; rate_bytes_per_hour: number | null}};
		expect(JSON.parse(again.stdout)).toMatchObject({verdict: live.growth.verdict});
		const csv = path.join(runDir, 'samples.csv');
		const text = fs.readFileSync(csv, 'utf8');
		fs.writeFileSync(csv, text.slice(0, text.length - 12));
		fs.rmSync(path.join(runDir, 'report.txt'));
		fs.rmSync(path.join(runDir, 'report.json'));
		const result = await runCli(['analyze', runDir]);
		expect([0, 1]).toContain(result.code);
		expect(result.stdout).toContain(`Reports rebuilt in ${runDir}`);
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {label: string; samples: number; end: {text: string}; command: string[]};
		expect(report.label).toBe('leaky');
		expect(report.command).toEqual([process.execPath, fixture('leaky.js'), '256', '50']);
		expect(report.samples).toBe(text.trim().split('\n').length - 2);
		expect(report.end.text).toContain('last line was cut, dropped');
		expect(fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8')).toContain('After 100%');
	});

	test('no files: a usage error', async () => {
		const result = await runCli(['analyze']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('memmon: analyze needs at least one file or run folder, e.g. memmon analyze memmon-reports/latest\n');
	});
});

describe('thresholds on a live run', () => {
	test('a leaky workload over --max-growth exits 1 and says which threshold failed', async () => {
		const reports = path.join(dir, 'gate');
		// memmon stops the workload at --duration, after its last sample: a workload that exits on
		// its own can be sampled while the kernel tears it down (RSS 70 → 41 MiB in one CI run).
		const result = await runCli(['--interval', '100ms', '--duration', '1500ms', '--max-growth', '5MB', '--report-dir', reports, '--', process.execPath, fixture('leaky.js'), '1024', '50']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/growth\s+FAIL/);
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(reports), 'report.json'), 'utf8')) as {thresholds: Array<{name: string; status: string}>};
		expect(report.thresholds.find(t => t.name === 'growth')!.status).toBe('fail');
	});

	test('a failing command\'s own exit code wins over thresholds', async () => {
		const reports = path.join(dir, 'gate2');
		const result = await runCli(['--interval', '100ms', '--max-growth', '1KB', '--report-dir', reports, '--', process.execPath, fixture('exit-early.js'), '4', '400']);
		expect(result.code).toBe(4);
	});
});
