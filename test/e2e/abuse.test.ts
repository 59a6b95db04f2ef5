/**
memmon under abuse: workloads that leave a process holding their output, output without line
breaks at full speed, and targets that are not processes with memory.
*/
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {onlyRunDir, runCli, startCli, vmRss} from '../helpers/cli.js';
import {cleanupAfterEach} from '../helpers/cleanups.js';

const {cleanups, reportDir} = cleanupAfterEach();

/** A name for a process the test leaves behind outside the workload's group, killed after the test. */
function leftBehind(kind: string): string {
	const marker = `memmon-${kind}-${process.pid}-${Date.now()}`;
	cleanups.push(() => {
		try {
			execFileSync('pkill', ['-f', marker]);
		} catch {}
	});
	return marker;
}

test('a workload that leaves a process holding its output: the run ends at --duration, reports, and says so', async () => {
	const dir = reportDir();
	const marker = leftBehind('escaped');
	const started = Date.now();
	// setsid puts the sleep in a session of its own, out of reach of the group memmon stops; it
	// keeps the workload's stdout open.
	const result = await runCli(['--plain', '--duration', '2s', '--interval', '500ms', '--report-dir', dir, '--', 'bash', '-c', `setsid bash -c 'exec -a ${marker} sleep 1000' & sleep 100`]);
	expect(Date.now() - started).toBeLessThan(15_000);
	expect(result.code).toBe(0);
	expect(result.stderr).toContain('duration reached');
	expect(result.stderr).toMatch(/a process that left the workload's process group still writes to workload\.log \(PID (\d+) sleep\); memmon did not wait for it \(a server that daemonizes goes on there: watch it with memmon --pid \1\)/);
	const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {partial: boolean};
	expect(report.partial).toBe(false);
});

test('a workload that daemonizes (its output closed, out of its group): the run ends with it, and says what runs on and how to watch it', async () => {
	const dir = reportDir();
	const marker = leftBehind('daemon');
	// As `memcached -d` or nginx: a process in a session of its own, its output closed, and the command exits 0.
	const result = await runCli(['--plain', '--report-dir', dir, '--', 'bash', '-c', `setsid bash -c 'exec -a ${marker} sleep 1000' </dev/null >/dev/null 2>&1 & sleep 0.5`]);
	expect(result.code).toBe(0);
	expect(result.stderr).toContain('target exited (exit code 0)');
	const [, pid] = /a process the workload started runs on outside its process group \(PID (\d+) sleep\), not watched: a server that daemonizes goes on there — watch it with memmon --pid (\d+), or start it in the foreground/.exec(result.stderr) ?? [];
	expect(pid, result.stderr).toBeDefined();
	expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(marker);
});

test('output without line breaks at full speed: memmon stays small, lines are cut, the log is complete', async () => {
	const dir = reportDir();
	// 64 MiB of 'x' and no newline, then a progress bar that redraws with \r.
	const script = 'head -c 64M /dev/zero | tr "\\0" x; for i in 1 2 3; do printf "\\r%s%%" $((i * 33)); done; printf "\\ndone\\n"; sleep 2';
	const {child, result: finished} = startCli(['--plain', '--interval', '200ms', '--report-dir', dir, '--', 'bash', '-c', script]);
	let peak = 0;
	let watching = true;
	const watch = (): void => {
		try {
			peak = Math.max(peak, vmRss(child.pid!));
		} catch {}

		if (watching) {
			setTimeout(watch, 50);
		}
	};

	watch();
	const result = await finished;
	watching = false;
	expect(result.code).toBe(0);
	// memmon's own RSS stays near its usual size: no 64 MiB line is held, joined or split.
	expect(peak).toBeGreaterThan(20 * 1024 * 1024);
	expect(peak).toBeLessThan(160 * 1024 * 1024);
	const runDir = onlyRunDir(dir);
	expect(fs.statSync(path.join(runDir, 'workload.log')).size).toBe((64 * 1024 * 1024) + '\r33%\r66%\r99%\ndone\n'.length);
	// The samples kept coming (a 64 MiB line re-joined and re-split each chunk took seconds a sample).
	const samples = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n').slice(1);
	const times = samples.map(line => Number(line.split(',')[0]));
	const gaps = times.slice(1).map((t, i) => t - times[i]!);
	expect(Math.max(...gaps)).toBeLessThan(1.5);
});

test('--pid of a kernel thread, of a zombie, or in hex: one line, exit 2', async () => {
	const dir = reportDir();
	const kernel = await runCli(['--pid', '2', '--plain', '--report-dir', dir]);
	expect(kernel.code).toBe(2);
	expect(kernel.stderr).toMatch(/^memmon: PID 2 \(kthreadd\) is a kernel thread: it has no memory of its own to watch; give the PID of a user process\n$/);
	const hex = await runCli(['--pid', '0x10', '--plain', '--report-dir', dir]);
	expect(hex.code).toBe(2);
	expect(hex.stderr).toBe('memmon: --pid 0x10 is not a process ID: use its decimal number, e.g. --pid 1234\n');
	expect(fs.readdirSync(dir)).toEqual([]);
});

test('--resume of a damaged run.json: one line naming the field, exit 2, the folder untouched', async () => {
	const cases: Array<[Record<string, unknown>, RegExp]> = [
		[{started_at: 'garbage'}, /started_at is "garbage", not a time in the past/],
		[{interval_seconds: 0}, /interval_seconds is 0, not between 0\.1 and 3600/],
		[{interval_seconds: 1e12}, /interval_seconds is 1000000000000, not between/],
		[{pid: 'abc'}, /pid is "abc", not a process ID/],
		[{duration_seconds: -5}, /duration_seconds is -5, not null or seconds/],
		[{command: [1, 2]}, /command is \[1,2\], not a list of words/],
	];
	for (const [field, message] of cases) {
		const runDir = reportDir();
		const json = `${JSON.stringify({label: 'x', pid: process.pid, start_time_ticks: 1, started_at: new Date().toISOString(), interval_seconds: 1, host: 'h', ...field})}\n`;
		fs.writeFileSync(path.join(runDir, 'run.json'), json);
		fs.writeFileSync(path.join(runDir, 'samples.csv'), 't_seconds,rss_bytes\n0,1000\n');
		const started = Date.now();
		const result = await runCli(['--resume', runDir]);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('memmon analyze');
		expect(fs.readdirSync(runDir).sort()).toEqual(['run.json', 'samples.csv']);
		expect(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).toBe(json);
	}
});
