/** `memmon compare`: two implementations of one workload, side by side, with % differences. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fixture, onlyRunDir, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

async function run(label: string, mib: string, duration: string): Promise<string> {
	const reports = path.join(dir, label);
	await runCli(['--interval', '100ms', '--duration', duration, '--label', label, '--report-dir', reports, '--', process.execPath, fixture('steady.js'), mib]);
	return onlyRunDir(reports);
}

test('footprints with % differences, a verdict line, and the folders left untouched', async () => {
	const small = await run('small', '10', '2s');
	const big = await run('big', '60', '2s');
	const before = fs.readFileSync(path.join(big, 'report.json'), 'utf8');
	const result = await runCli(['compare', small, big]);
	expect(result.code).toBe(0);
	const lines = result.stdout.split('\n');
	expect(lines[0]).toMatch(/^run +duration +initial +under load +peak +growth +rate \(95% bounds\) +verdict$/);
	expect(lines[1]).not.toMatch(/%/);
	expect(lines[2]).toMatch(/^big +2(\.\d)?s .*MiB \+\d+% .*MiB \+\d+%/);
	expect(result.stdout).toMatch(/^big uses \d+% more memory at peak than small \(\+\d+% under load\)\.$/m);
	expect(result.stdout).toMatch(/^Growth rates (are indistinguishable|differ|cannot be compared yet)/m);
	expect(fs.readFileSync(path.join(big, 'report.json'), 'utf8')).toBe(before);

	const json = JSON.parse((await runCli(['compare', '--json', small, big])).stdout) as {runs: Array<{label: string; peak: number}>; summary: string[]};
	expect(json.runs.map(row => row.label)).toEqual(['small', 'big']);
	// 50 MiB more held: the peak difference is at least that.
	expect(json.runs[1]!.peak - json.runs[0]!.peak).toBeGreaterThan(45 * 1024 * 1024);
});

test('runs of different length are compared, but it says so first', async () => {
	const short = await run('short', '10', '1s');
	const long = await run('long', '10', '3s');
	const result = await runCli(['compare', short, long]);
	expect(result.stdout).toMatch(/^Note: the runs differ in length \(short 1(\.\d)?s, long 3(\.\d)?s\): growth and peak are not like for like\.$/m);
});

test('fewer than two runs, or a folder that is not a run: usage errors', async () => {
	expect((await runCli(['compare', dir])).stderr).toMatch(/^memmon: compare needs at least two run folders/);
	const notRun = await runCli(['compare', dir, dir]);
	expect(notRun.code).toBe(2);
	expect(notRun.stderr).toMatch(/is not a memmon run folder \(no samples\.csv\): give the folders of the runs to compare\n$/);
});
