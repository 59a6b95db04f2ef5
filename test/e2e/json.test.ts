/** `--json` (NDJSON on stdout) and `--metrics-port` from the command line. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fixture, onlyRunDir, readSamples, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

type Line = {type: string; [key: string]: unknown};

test('--json: one object per sample, per verdict change, and a summary; the workload\'s output on stderr', async () => {
	const reports = path.join(dir, 'json');
	const result = await runCli(['--json', '--interval', '100ms', '--duration', '2s', '--report-dir', reports, '--', process.execPath, fixture('leaky.js'), '256', '50']);
	// Every line of stdout is one JSON object: nothing else is written there.
	const lines = result.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Line);
	expect(result.stderr).toContain('leaky: started');
	expect(result.stdout).not.toContain('leaky: started');

	const run = onlyRunDir(reports);
	const recorded = readSamples(run);
	const samples = lines.filter(line => line.type === 'sample');
	expect(samples.map(line => line.rss_bytes)).toEqual(recorded.map(row => Number(row.rss_bytes)));
	expect(samples.map(line => line.t)).toEqual(recorded.map(row => Number(row.t_seconds)));

	const verdicts = lines.filter(line => line.type === 'verdict');
	expect(verdicts[0]).toMatchObject({verdict: 'undecided'});
	// Only changes: no two verdict lines in a row say the same (the verdict, or why it is undecided).
	const said = verdicts.map(line => `${String(line.verdict)} ${String(line.undecided_reason)}`);
	expect(said.every((line, i) => i === 0 || line !== said[i - 1])).toBe(true);

	const summary = lines.at(-1)!;
	expect(summary.type).toBe('summary');
	expect(lines.filter(line => line.type === 'summary')).toHaveLength(1);
	const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8')) as Record<string, unknown>;
	expect({...summary, type: undefined, run_dir: undefined}).toEqual({...report, type: undefined, run_dir: undefined});
	expect(summary.run_dir).toBe(run);
	// The exit code follows the thresholds, as without --json.
	expect(result.code).toBe((report.thresholds as Array<{status: string}>).some(threshold => threshold.status === 'fail') ? 1 : 0);
});

test('--metrics-port on a port in use: exit 2 with one line, before anything is written or spawned', async () => {
	const blocker = net.createServer();
	await new Promise<void>(resolve => {
		blocker.listen(0, '127.0.0.1', resolve);
	});
	const {port} = blocker.address() as net.AddressInfo;
	const reports = path.join(dir, 'busy');
	const marker = path.join(dir, 'spawned');
	try {
		const result = await runCli(['--metrics-port', String(port), '--report-dir', reports, '--', 'touch', marker]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`memmon: --metrics-port: 127.0.0.1:${port} is already in use: choose another port with --metrics-port (0 picks a free one)\n`);
		expect(fs.existsSync(reports)).toBe(false);
		expect(fs.existsSync(marker)).toBe(false);
	} finally {
		blocker.close();
	}
});

test('--metrics-host without a port, and a port out of range: usage errors', async () => {
	expect((await runCli(['--metrics-host', '0.0.0.0', '--', 'true'])).stderr).toBe('memmon: --metrics-host needs --metrics-port: e.g. --metrics-port 9464 --metrics-host 0.0.0.0\n');
	expect((await runCli(['--metrics-port', '70000', '--', 'true'])).stderr).toBe('memmon: --metrics-port 70000 is not a TCP port: use 0 to 65535, e.g. --metrics-port 9464\n');
});
