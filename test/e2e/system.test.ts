/** `memmon --system`: the machine as the target; a valid run folder that `analyze` can rebuild. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {onlyRunDir, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

test('--system records used, available, cache and swap from /proc/meminfo; analyze rebuilds the same report', async () => {
	const reports = path.join(dir, 'reports');
	const result = await runCli(['--system', '--interval', '100ms', '--duration', '1500ms', '--report-dir', reports]);
	expect(result.code).toBe(0);
	expect(result.stderr).toMatch(/^memmon: watching system memory of .* every 100ms; reports in /);
	// The plain lines name the series: used memory, and what is still available.
	expect(result.stderr).toMatch(/^memmon +\S+ +used +[\d.]+ [KMG]iB {2}Δ +\S+ (B|[KMG]iB) {2}free [\d.]+ [KMG]iB {2}available [\d.]+ [KMG]iB {2}buff\/cache [\d.]+ [KMG]iB {2}swap [\d.]+ (B|[KMG]iB) of [\d.]+ (B|[KMG]iB) {2}used memory undecided: need \d+ more points? of data$/m);
	const run = onlyRunDir(reports);
	expect(path.basename(run)).toMatch(/^system-\d{8}-\d{6}$/);

	const runJson = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8')) as {system: boolean; pid: number | null; host: string};
	expect(runJson).toMatchObject({system: true, pid: null, host: os.hostname()});

	const [header, ...rows] = fs.readFileSync(path.join(run, 'samples.csv'), 'utf8').trimEnd().split('\n');
	expect(header).toBe('t_seconds,time,used_bytes,available_bytes,total_bytes,free_bytes,buffers_cache_bytes,swap_used_bytes,swap_total_bytes,mark');
	// 16 on an idle machine; a loaded one skips late ticks rather than bunching them up.
	expect(rows.length).toBeGreaterThanOrEqual(6);
	for (const row of rows) {
		const [, , used, available, total, free, cache] = row.split(',').map(Number);
		// used is what `free` calls used: total − available; every figure is the machine's, not 0.
		expect(used).toBe(total! - available!);
		expect(total).toBe(os.totalmem());
		expect(free).toBeGreaterThan(0);
		expect(cache).toBeGreaterThan(0);
	}

	const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8')) as {system: boolean; series: string; pid: null; samples: number; memory: {initial_bytes: number; growth_bytes: number}};
	expect(report).toMatchObject({system: true, series: 'used', pid: null, samples: rows.length});
	expect(report.memory.initial_bytes).toBe(Number(rows[0]!.split(',')[2]));
	const text = fs.readFileSync(path.join(run, 'report.txt'), 'utf8');
	expect(text).toMatch(/^ {2}Target +system memory of /m);
	expect(text).toContain('Memory (used: total − available)');
	expect(text).not.toMatch(/^ {2}PID /m);
	expect(fs.readFileSync(path.join(run, 'report.md'), 'utf8')).toContain('| | used memory | Δ |');

	const analyzed = await runCli(['analyze', '--json', path.join(run, 'samples.csv')]);
	expect(analyzed.code).toBe(0);
	// The same samples, the same analysis: analyze agrees with the run's own report.
	const json = JSON.parse(analyzed.stdout) as {samples: number; verdict: string; peak_bytes: number};
	expect(json.samples).toBe(rows.length);
	expect(json.peak_bytes).toBe(Math.max(...rows.map(row => Number(row.split(',')[2]))));
	expect(json.verdict).toBe((JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8')) as {growth: {verdict: string}}).growth.verdict);
});
