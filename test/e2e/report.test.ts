/** `memmon report DIR`: every run, newest first, for people and (--json) machines. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fixture, root, runCli, startCli, temporaryDir, waitFor} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

test('lists finished, interrupted and report-less runs, newest first', async () => {
	await runCli(['--interval', '100ms', '--duration', '800ms', '--label', 'first', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
	await new Promise(resolve => {
		setTimeout(resolve, 1100);
	});
	const killed = startCli(['--interval', '100ms', '--label', 'killed', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
	await waitFor(() => fs.readdirSync(dir).some(name => name.startsWith('killed-') && fs.existsSync(path.join(dir, name, 'samples.csv')) && fs.readFileSync(path.join(dir, name, 'samples.csv'), 'utf8').split('\n').length > 4), 10_000, 'samples');
	// Before its first checkpoint a live run has no report yet: running, not "killed".
	const live = await runCli(['report', dir]);
	expect(live.stdout).toMatch(/^killed +\d{4}-\d\d-\d\d \d\d:\d\d +— +\d+ +— .* running$/m);
	expect(live.stdout).toMatch(/^1 run still running: its figures are from its last checkpoint/m);
	expect(live.stdout).not.toMatch(/without a report/);
	killed.child.kill('SIGKILL');
	await killed.result;
	const killedWorkload = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(name => name.startsWith('killed-'))!, 'run.json'), 'utf8')) as {pid: number};
	process.kill(killedWorkload.pid, 'SIGKILL');

	const table = await runCli(['report', dir]);
	expect(table.code).toBe(0);
	const lines = table.stdout.split('\n');
	expect(lines[0]).toMatch(/^label +started \(UTC\) +duration +samples +start +end +peak +growth +rate \(95% bounds\) +verdict +gates +status$/);
	expect(lines[1]).toMatch(/^killed +\d{4}-\d\d-\d\d \d\d:\d\d +— +\d+ +— .* no report$/);
	expect(lines[2]).toMatch(/^first +\d{4}-\d\d-\d\d \d\d:\d\d +\d.*MiB .* finished$/);
	expect(table.stdout).toMatch(/^1 run without a report \(memmon was killed\): memmon analyze .*killed-/m);
	expect(table.stdout).not.toMatch(/still running/);

	const json = JSON.parse((await runCli(['report', dir, '--json'])).stdout) as Array<{label: string; status: string; samples: number; peakBytes?: number}>;
	expect(json.map(run => [run.label, run.status])).toEqual([['killed', 'no report'], ['first', 'finished']]);
	// The run's own count (samples.csv), about nine at 100 ms for 800 ms (a fresh-clone CI run on a
	// loaded machine took five).
	const first = path.join(dir, fs.readdirSync(dir).find(name => name.startsWith('first-'))!, 'samples.csv');
	expect(json[1]!.samples).toBe(fs.readFileSync(first, 'utf8').trim().split('\n').length - 1);
	expect(json[1]!.samples).toBeGreaterThanOrEqual(3);
	expect(json[1]!.peakBytes).toBeGreaterThan(5 * 1024 * 1024);
});

test('several folders and nested ones: every run once, a gates column, exit 1 when a listed run failed a gate; --label and --since filter', async () => {
	const tree = path.join(dir, 'tree');
	const runs = path.join(root, 'test/fixtures/runs');
	fs.cpSync(path.join(runs, 'leaky'), path.join(tree, 'ci', 'nightly', 'leaky'), {recursive: true});
	fs.cpSync(path.join(runs, 'system'), path.join(tree, 'ci', 'system'), {recursive: true});
	fs.cpSync(path.join(runs, 'cleanup'), path.join(dir, 'other', 'cleanup'), {recursive: true});
	// A link loop and a dangling link are skipped, not followed.
	fs.symlinkSync(tree, path.join(tree, 'ci', 'loop'));
	fs.symlinkSync(path.join(dir, 'nowhere'), path.join(tree, 'dangling'));

	const all = await runCli(['report', tree, path.join(dir, 'other'), '--json']);
	expect(all.stderr).toBe('');
	expect(all.code).toBe(1);
	const listed = JSON.parse(all.stdout) as Array<{label: string; gates: string; failed: boolean}>;
	expect(listed.map(run => [run.label, run.gates, run.failed]).sort()).toEqual([['cleanup', 'undecided', false], ['leaky', 'FAIL verdict', true], ['system', 'pass', false]]);
	const table = await runCli(['report', tree]);
	expect(table.stdout).toMatch(/^leaky +.* \(\+16\.4 … \+18\.0 GiB\/h\) +failure +FAIL verdict +finished$/m);
	// A rate whose bounds the data cannot give yet says so, not a bare figure that reads as a finding.
	expect((await runCli(['report', path.join(dir, 'other')])).stdout).toMatch(/^cleanup +.* 0\.00 MiB\/h \(not yet bounded\) +undecided /m);

	const passing = await runCli(['report', tree, '--label', 'sys']);
	expect(passing.code).toBe(0);
	expect((JSON.parse((await runCli(['report', tree, '--label', 'sys', '--json'])).stdout) as Array<{label: string}>).map(run => run.label)).toEqual(['system']);
	// The fixtures were recorded long ago: none started within the last hour.
	const recent = await runCli(['report', tree, '--since', '1h']);
	expect(recent.stdout).toMatch(/^no runs in /);
	expect(recent.code).toBe(0);
});

test('a folder that does not exist: a usage error', async () => {
	const result = await runCli(['report', path.join(dir, 'nope')]);
	expect(result.code).toBe(2);
	expect(result.stderr).toMatch(/^memmon: no report folder at .*nope: give the folder your runs went to \(--report-dir\), e\.g\. memmon report \.\/reports\n$/);
});
