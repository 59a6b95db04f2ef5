/** `memmon report DIR`: every run, newest first, for people and (--json) machines. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fixture, runCli, startCli, temporaryDir, waitFor} from '../helpers/cli.js';

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
	killed.child.kill('SIGKILL');
	await killed.result;
	const killedWorkload = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(name => name.startsWith('killed-'))!, 'run.json'), 'utf8')) as {pid: number};
	process.kill(killedWorkload.pid, 'SIGKILL');

	const table = await runCli(['report', dir]);
	expect(table.code).toBe(0);
	const lines = table.stdout.split('\n');
	expect(lines[0]).toMatch(/^label +started \(UTC\) +duration +samples +start +end +peak +growth +rate \(95% bounds\) +verdict +status$/);
	expect(lines[1]).toMatch(/^killed +\d{4}-\d\d-\d\d \d\d:\d\d +— +\d+ +— .* no report$/);
	expect(lines[2]).toMatch(/^first +\d{4}-\d\d-\d\d \d\d:\d\d +\d.*MiB .* finished$/);
	expect(table.stdout).toMatch(/1 run\(s\) without a report \(memmon was killed\): memmon analyze .*killed-/);

	const json = JSON.parse((await runCli(['report', dir, '--json'])).stdout) as Array<{label: string; status: string; samples: number; peakBytes?: number}>;
	expect(json.map(run => [run.label, run.status])).toEqual([['killed', 'no report'], ['first', 'finished']]);
	expect(json[1]!.samples).toBe(9);
	expect(json[1]!.peakBytes).toBeGreaterThan(5 * 1024 * 1024);
});

test('a folder that does not exist: a usage error', async () => {
	const result = await runCli(['report', path.join(dir, 'nope')]);
	expect(result.code).toBe(2);
	expect(result.stderr).toMatch(/^memmon: no report folder at .*nope: give the folder your runs went to \(--report-dir\), e\.g\. memmon report \.\/reports\n$/);
});
