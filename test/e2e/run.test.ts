/**
The built CLI against real processes: spawn, attach, children, exit codes, signals, the run folder.
Plain mode (no TTY), short intervals.
*/
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {
	alive, cliEnv, fixture, onlyRunDir, readSamples, runCli, startCli, startFixture, vmRss, waitFor,
} from '../helpers/cli.js';
import {cleanupAfterAll} from '../helpers/cleanups.js';

// Each test mostly waits on a real process: they run at once.
const {cleanups, reportDir} = cleanupAfterAll();

type ReportJson = {
	partial: boolean;
	status: string;
	end: {reason: string; by?: string; exitCode?: number | null; text: string};
	samples: number;
	pid: number;
	memory: {initial_bytes: number; initial_at_seconds: number | null; final_bytes: number; peak_hwm_bytes: number | null; growth_bytes: number};
	quarters: {averages_bytes: number[]; rate_bytes_per_hour: number} | null;
};

function readReport(runDir: string): ReportJson {
	return JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as ReportJson;
}

describe.concurrent('spawn', () => {
	test('a leaky command: plain lines on stderr, its output on stdout, the run folder complete', async () => {
		const dir = reportDir();
		// 4 s at 100 ms, not 2.5: with 2.5 s a run beside other load once exited 0 (no failing
		// verdict); more points after the warm-up leave the verdict less to chance.
		const result = await runCli(['--interval', '100ms', '--report-dir', dir, '--label', 'leak', '--max-growth', '10MB', '--', process.execPath, fixture('leaky.js'), '1024', '50', '4']);
		// The command exits 0, but it grows 20 MiB/s: the growth gate fails the run. Four seconds of
		// growth are no verdict on a rate (a warm-up looks the same): that one stays undecided.
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/growth\s+FAIL\s+/);
		expect(result.stderr).toMatch(/Verdict\s+UNDECIDED\s+/);
		expect(result.stderr).not.toMatch(/^ {2}verdict /m);
		// The workload's output passes through on stdout, memmon's lines go to stderr.
		expect(result.stdout).toContain('leaky: started');
		expect(result.stdout).toContain('leaky: kept');
		expect(result.stdout).not.toMatch(/^memmon /m);
		// The gate given comes before the verdict: it is what decides the run.
		expect(result.stderr).toMatch(/^memmon +\d.*rss +[\d.]+ MiB +Δ +[+−±][\d.]+ (?:MiB|KiB|B) +procs 1 +growth (?:PASS|FAIL|UNDECIDED) \(≤ 10\.0 MiB\) +undecided: .+$/m);
		expect(result.stderr).toMatch(/^memmon .* growth FAIL \(≤ 10\.0 MiB\) /m);
		expect(result.stderr).toContain('memmon report: leak');
		// The gate failed: where to look next, for a Node workload.
		expect(result.stderr).toMatch(/^Where the memory goes: what to run next\n {2}- objects that stay, or V8 sizing its heap \(costs next to nothing\): memmon --js-heap -- \S+ \S*leaky\.js 1024 50 4\n {2}- the objects that grow and what holds them: memmon --heap-snapshots -- \S+ \S*leaky\.js 1024 50 4$/m);

		const runDir = onlyRunDir(dir);
		expect(path.basename(runDir)).toMatch(/^leak-\d{8}-\d{6}$/);
		expect(fs.readlinkSync(path.join(dir, 'latest'))).toBe(path.basename(runDir));
		expect(fs.readdirSync(runDir).sort()).toEqual(['processes.csv', 'report.html', 'report.json', 'report.md', 'report.txt', 'run.json', 'samples.csv', 'smaps.csv', 'workload.log']);
		expect(fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8')).toContain('leaky: kept');

		const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {command: string[]; interval_seconds: number};
		expect(run.command).toEqual([process.execPath, fixture('leaky.js'), '1024', '50', '4']);
		expect(run.interval_seconds).toBe(0.1);

		const samples = readSamples(runDir);
		expect(samples.length).toBeGreaterThanOrEqual(15);
		const rss = samples.map(row => Number(row.rss_bytes));
		// 1 MiB every 50 ms for 4 s: tens of MiB of growth (to its peak: the last sample may catch the
		// process tearing down on its way out, as Node 22 once did at 19 MiB above the first).
		expect(Math.max(...rss) - rss[0]!).toBeGreaterThan(20 * 1024 * 1024);
		const times = samples.map(row => Number(row.t_seconds));
		for (let i = 1; i < times.length; i++) {
			expect(times[i]).toBeGreaterThan(times[i - 1]!);
		}

		const report = readReport(runDir);
		expect(report).toMatchObject({partial: false, status: 'finished', end: {reason: 'target-exited', exitCode: 0}});
		expect(report.samples).toBe(samples.length);
		// Growth from the level once Node had loaded: a sample within the first 2 s (on an idle machine
		// the first few; a loaded one spread Node's loading over 5 samples at 0.1 s), so the leak's
		// 80 MiB over 4 s is mostly counted (to its peak: see above).
		const loaded = rss.indexOf(report.memory.initial_bytes);
		expect(loaded).toBeGreaterThanOrEqual(0);
		expect(report.memory.initial_at_seconds).toBe(times[loaded]! - times[0]!);
		expect(report.memory.initial_at_seconds).toBeLessThan(2);
		expect(report.memory.growth_bytes).toBe(rss.at(-1)! - report.memory.initial_bytes);
		expect(Math.max(...rss) - report.memory.initial_bytes).toBeGreaterThan(20 * 1024 * 1024);
		expect(report.quarters!.rate_bytes_per_hour).toBeGreaterThan(0);
		expect(report.memory.peak_hwm_bytes).toBeGreaterThanOrEqual(Math.max(...rss));

		const text = fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8');
		for (const label of ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%', 'Q1', 'Q4', 'Rate (quarters)', 'Peak (VmHWM)', 'Samples', 'Ended']) {
			expect(text).toContain(label);
		}

		expect(text).toMatch(/Ended\s+target exited \(exit code 0\)/);
	});

	test('a plain line\'s Δ counts from the started command\'s level once loaded, not from its exec moment', async () => {
		// Node reads 12–20 MiB as it execs and 40–50 MiB a tenth of a second later; the workload then holds 1 MiB for 3 s.
		const dir = reportDir();
		const result = await runCli(['--plain', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '1', '3']);
		expect(result.code).toBe(0);
		const deltas = [...result.stderr.matchAll(/^memmon +\S+ +rss +[\d.]+ MiB +Δ +([+−±])([\d.]+) (MiB|KiB|B) /gm)]
			.map(([, sign, value, unit]) => (sign === '−' ? -1 : 1) * Number(value) * (unit === 'MiB' ? 1 : unit === 'KiB' ? 1 / 1024 : 1 / 1024 / 1024));
		expect(deltas.length).toBeGreaterThanOrEqual(3);
		// From the exec moment it read about +25 MiB; from the loaded runtime, the workload's own megabyte or so.
		expect(deltas.at(-1)!, result.stderr).toBeLessThan(8);
	});

	test('a step before the workload that exits (a build, a setup) is not the baseline: a leak after it fails the growth gate', async () => {
		// A shell runs a program holding 150 MiB for a second, then the test, which keeps 20 MiB a
		// second for 3 s. Counted from the first program's level the growth read −70 MiB and passed.
		const dir = reportDir();
		const node = JSON.stringify(process.execPath);
		const result = await runCli(['--plain', '--interval', '100ms', '--max-growth', '40MB', '--report-dir', dir, '--', 'sh', '-c', `${node} ${fixture('steady.js')} 150 1 && ${node} ${fixture('leaky.js')} 1024 50 3`]);
		expect(result.code, result.stderr).toBe(1);
		// (Where the test's Node loaded slowly, in two stages half a second apart on a loaded machine, the
		// start-up was read to end at the first and the rest of the loading cut as a warm-up.)
		// (", until node (PID …) ended at …" follows where the shell was read once more after the test's Node left.)
		const growth = /growth\s+FAIL\s+([\d.]+) MiB since (?:start-up ended|the warm-up's end) at ([\d.]+)s[ ,]/.exec(result.stderr);
		expect(growth, result.stderr).not.toBeNull();
		expect(Number(growth![1])).toBeGreaterThan(40);
		expect(Number(growth![1])).toBeLessThan(75);
		// Where the test's Node had loaded, after the first program's second.
		expect(Number(growth![2])).toBeGreaterThan(1);
		// Which process grew: the test's Node first, the first program ended; memmon analyze says the same.
		const rows = (text: string): string[] => text.slice(text.indexOf('  RSS by process')).split('\n').slice(0, 4);
		const byProcess = rows(result.stderr);
		expect(byProcess[0]).toMatch(/^ {2}RSS by process +all 3, each from where it had loaded$/);
		// (Which comes first depends on how far the first program had filled its buffer a second in.)
		const rest = byProcess.slice(1).join('\n');
		// (A row says "from" where the process had loaded more than 2 s into the run. Its end is the
		// level of its last readings; on a loaded machine two of them caught Node freeing its 60 MiB as
		// it exited, "46.8 → 58.4 MiB +11.7 MiB · peak 106 MiB": the peak still says how far it grew.)
		const test = /^ {4}node \(\d+\) +([\d.]+) → ([\d.]+) MiB +\+[\d.]+ (?:KiB|MiB)(?: · from \d+(?:\.\d+)?s)?(?: · peak ([\d.]+) MiB)?$/m.exec(rest);
		expect(test, rest).not.toBeNull();
		const reached = Math.max(Number(test![2]), Number(test![3] ?? 0)) - Number(test![1]);
		expect(reached, rest).toBeGreaterThan(30);
		expect(reached, rest).toBeLessThan(80);
		// (Under load memmon may first read the first program most of its second in: "ended at 916ms".)
		expect(rest).toMatch(/^ {4}node \(\d+\) .* · ended at \d+(?:\.\d+)?m?s(?: · peak [\d.]+ MiB)?$/m);
		expect(rest).toMatch(/^ {4}sh \(\d+\) /m);
		const runDir = onlyRunDir(dir);
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {processes: Array<{name: string; first_rss_bytes: number; last_rss_bytes: number}>};
		expect(report.processes.map(process => process.name).sort()).toEqual(['node', 'node', 'sh']);
		const analyzed = await runCli(['analyze', runDir]);
		expect(rows(analyzed.stdout)).toEqual(byProcess);
	});

	test('a workload that exits while its command goes on is judged by its growth until it ended, not by the shell left behind', async () => {
		// The test's Node keeps 20 MiB a second for 4 s and exits; the shell then sleeps. Growth to the
		// end, the shell's level, read "PASS −42.8 MiB" for a test that kept 60.
		const dir = reportDir();
		const node = JSON.stringify(process.execPath);
		// (10 s: on a runner given a few percent of a core the test's Node can take 3 s to load, and at
		// 6% it had not ended by 7 s.)
		const result = await runCli(['--plain', '--interval', '100ms', '--duration', '10s', '--max-growth', '20MB', '--report-dir', dir, '--', 'sh', '-c', `${node} ${fixture('leaky.js')} 1024 50 4; sleep 30`]);
		expect(result.code, result.stderr).toBe(1);
		const growth = /growth\s+FAIL\s+([\d.]+) MiB since .*, until node \(PID (\d+)\) ended at ([\d.]+)s /.exec(result.stderr);
		expect(growth, result.stderr).not.toBeNull();
		// (A fresh-clone CI run on Node 24, the machine busy with other tests, first read the test's Node
		// loaded and 50 MiB in, then every 300 ms or so; its start-up was read to end at 1.7 s, where its
		// code had been mapped, and 27.1 MiB of the 60 it kept counted.)
		expect(Number(growth![1]), result.stderr).toBeGreaterThan(30);
		expect(Number(growth![1]), result.stderr).toBeLessThan(95);
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {growth: {growth_counted_to: {pid: number; process: string; seconds: number}}};
		expect(report.growth.growth_counted_to).toMatchObject({pid: Number(growth![2]), process: 'node'});
	});

	test('a workload a script starts later (after a wait) has its runtime\'s loading left out of the growth, as if started directly', async () => {
		// A shell waits 2 s, then the test's Node keeps 20 MiB a second for 3 s: about 60 MiB. From the
		// shell's level it read 40 MiB more (Node's own loading) and failed an 80 MB gate.
		const dir = reportDir();
		const node = JSON.stringify(process.execPath);
		const result = await runCli(['--plain', '--interval', '100ms', '--max-growth', '80MB', '--report-dir', dir, '--', 'sh', '-c', `sleep 2; ${node} ${fixture('leaky.js')} 1024 50 3`]);
		expect(result.code, result.stderr).toBe(0);
		const growth = /growth\s+PASS\s+([\d.]+) MiB since start-up ended at ([\d.]+)s[ ,]/.exec(result.stderr);
		expect(growth, result.stderr).not.toBeNull();
		// (Under load memmon may first read the test's Node half a second after it began to keep memory:
		// 42.1 MiB. Counted with its loading, it reads 100.)
		expect(Number(growth![1]), result.stderr).toBeGreaterThan(35);
		expect(Number(growth![1]), result.stderr).toBeLessThan(78);
		// After the shell's two seconds, give or take how long after the spawn memmon's first sample came
		// (1.9 s on a loaded machine); not its exec moment.
		expect(Number(growth![2])).toBeGreaterThanOrEqual(1.5);
		// samples.csv says where the program started; memmon analyze reads it and says the same.
		const runDir = onlyRunDir(dir);
		const header = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').split('\n')[0]!.split(',');
		const started = header.indexOf('started_rss_bytes');
		const starts = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n').slice(1).filter(line => Number(line.split(',')[started]) > 0);
		expect(starts.length).toBeGreaterThanOrEqual(1);
		const analyzed = await runCli(['analyze', runDir]);
		expect(analyzed.stdout).toMatch(new RegExp(String.raw`Growth +\+${growth![1]} MiB +since start-up ended at ${growth![2]}s`));
	});

	test('memmon exits with the command\'s exit code', async () => {
		const dir = reportDir();
		// 1.5 s: under a loaded test run a 0.5-s workload was sampled once.
		const result = await runCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('exit-early.js'), '3', '1500']);
		expect(result.code).toBe(3);
		const report = readReport(onlyRunDir(dir));
		expect(report.end).toMatchObject({reason: 'target-exited', exitCode: 3});
		expect(report.samples).toBeGreaterThanOrEqual(3);
	});

	test('a command killed by a signal: 128 + N', async () => {
		const dir = reportDir();
		const result = await runCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, '-e', 'setTimeout(() => process.kill(process.pid, "SIGKILL"), 400)']);
		expect(result.code).toBe(137);
		expect(readReport(onlyRunDir(dir)).end.text).toBe('target exited (killed by SIGKILL)');
	});

	test('--duration stops the workload and ends with 0', async () => {
		const dir = reportDir();
		const started = Date.now();
		const result = await runCli(['--interval', '200ms', '--duration', '1s', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '10']);
		expect(result.code).toBe(0);
		// steady.js holds forever, so returning at all means memmon stopped it; the bound only catches
		// a stop that waits for something else (a loaded CI machine took 8.8 s for all of this run).
		expect(Date.now() - started).toBeLessThan(30_000);
		const runDir = onlyRunDir(dir);
		const report = readReport(runDir);
		expect(report.end.reason).toBe('duration');
		// At most one sample in each 200-ms slot, the last due at the duration itself: a tick a loaded
		// machine fires late lands late in its own slot (a CI run saw one 177 ms late), a stall skips a
		// slot rather than firing a burst (a CI run stalled from 0 to 0.4 s), and the next is due on
		// the grid again (no drift).
		const times = readSamples(runDir).map(row => Number(row.t_seconds));
		const slots = times.map(t => Math.floor((t + 0.001) / 0.2));
		expect(times.length).toBeGreaterThanOrEqual(4);
		expect(slots[0]).toBe(0);
		expect(slots.every((slot, i) => i === 0 || slot > slots[i - 1]!)).toBe(true);
		expect(slots.at(-1)).toBe(5);
	});

	test('children are summed; --no-children watches the parent alone', async () => {
		// tree.js exits a second after its three children hold 8 MiB each, however slowly they start.
		const withChildren = reportDir();
		await runCli(['--interval', '200ms', '--duration', '60s', '--report-dir', withChildren, '--', process.execPath, fixture('tree.js'), '3', '1']);
		const tree = readSamples(onlyRunDir(withChildren));
		expect(Math.max(...tree.map(row => Number(row.processes)))).toBe(4);

		const alone = reportDir();
		await runCli(['--interval', '200ms', '--duration', '60s', '--no-children', '--report-dir', alone, '--', process.execPath, fixture('tree.js'), '3', '1']);
		const parent = readSamples(onlyRunDir(alone));
		expect(parent.every(row => Number(row.processes) === 1)).toBe(true);
		// Three children holding 8 MiB each: the tree at its largest is well over the parent alone.
		const largest = (rows: typeof tree) => Math.max(...rows.map(row => Number(row.rss_bytes)));
		expect(largest(tree) - largest(parent)).toBeGreaterThan(3 * 8 * 1024 * 1024);
	});

	test('SIGTERM to memmon mid-run: complete report, workload stopped, 143', async () => {
		const dir = reportDir();
		const {child, result} = startCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.startsWith('steady-')) && onlyRunDir(dir), 10_000, 'run folder');
		await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= 5, 10_000, 'five samples');
		const workloadPid = (JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {pid: number}).pid;
		expect(alive(workloadPid)).toBe(true);
		child.kill('SIGTERM');
		const {code} = await result;
		expect(code).toBe(143);
		const report = readReport(runDir);
		expect(report).toMatchObject({partial: false, status: 'interrupted', end: {reason: 'stopped', by: 'SIGTERM'}});
		expect(report.samples).toBe(readSamples(runDir).length);
		expect(alive(workloadPid)).toBe(false);
	});

	test('a workload that ignores SIGTERM is killed after the grace period', async () => {
		const dir = reportDir();
		const {child, result} = startCli(['--interval', '100ms', '--kill-grace', '500ms', '--report-dir', dir, '--', process.execPath, fixture('ignores-sigterm.js')]);
		const runDir = await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.startsWith('ignores-sigterm-')) && onlyRunDir(dir), 10_000, 'run folder');
		await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= 3, 10_000, 'samples');
		// Its SIGTERM handler is in place once it says it started (under load that can take a while).
		await waitFor(() => fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8').includes('ignores-sigterm: started') ? true : undefined, 10_000, 'the workload to start');
		const workloadPid = (JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {pid: number}).pid;
		child.kill('SIGINT');
		const {code} = await result;
		expect(code).toBe(130);
		expect(alive(workloadPid)).toBe(false);
		expect(fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8')).toContain('got SIGTERM, ignoring it');
	});
});

describe.concurrent('the workload\'s environment', () => {
	test('memmon forces production React for itself, but the workload sees the user\'s NODE_ENV', async () => {
		const dir = reportDir();
		const print = ['--interval', '100ms', '--report-dir', dir, '--', process.execPath, '-e', 'console.log("NODE_ENV=" + process.env.NODE_ENV)'];
		const development = await runCli(print, cliEnv({NODE_ENV: 'development'}));
		expect(development.stdout).toContain('NODE_ENV=development');
		const unset = cliEnv();
		delete unset.NODE_ENV;
		expect((await runCli(print, unset)).stdout).toContain('NODE_ENV=undefined');
	});
});

describe.concurrent('attach', () => {
	test('--pid agrees with /proc/PID/status VmRSS and never signals the target', async () => {
		const target = startFixture('steady.js', ['30']);
		cleanups.push(() => target.kill('SIGKILL'));
		await waitFor(() => alive(target.pid!) && vmRss(target.pid!) > 30 * 1024 * 1024, 10_000, 'target to allocate');
		const dir = reportDir();
		const {child, result} = startCli(['--pid', String(target.pid), '--interval', '100ms', '--duration', '1s', '--report-dir', dir]);
		void child;
		const {code, stderr} = await result;
		expect(code).toBe(0);
		expect(stderr).toContain(`PID ${target.pid}`);
		const runDir = onlyRunDir(dir);
		// Named after the program, as a spawned run is (its command line from /proc).
		expect(path.basename(runDir)).toMatch(/^steady-\d{8}-\d{6}/);
		const last = Number(readSamples(runDir).at(-1)!.rss_bytes);
		const truth = vmRss(target.pid!);
		// A steady process: memmon's last sample and a fresh VmRSS read agree to within 1%.
		expect(Math.abs(last - truth) / truth).toBeLessThan(0.01);
		expect(alive(target.pid!)).toBe(true);
		expect(readReport(runDir).end.reason).toBe('duration');
		// The report names the process by its command line, as /proc shows it.
		const commandLine = fs.readFileSync(`/proc/${target.pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
		expect(commandLine).toContain('steady.js');
		expect(fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8')).toMatch(new RegExp(`^ {2}Target +${commandLine.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}$`, 'm'));
		expect(JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).attached_command).toBe(commandLine);
	});

	test('a target that dies ends the run with "target exited"; nothing is recorded after', async () => {
		const target = startFixture('steady.js', ['5']);
		cleanups.push(() => target.kill('SIGKILL'));
		await waitFor(() => alive(target.pid!), 5000, 'target');
		const dir = reportDir();
		const {result} = startCli(['--pid', String(target.pid), '--interval', '100ms', '--report-dir', dir]);
		const runDir = await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.startsWith('steady-')) && onlyRunDir(dir), 10_000, 'run folder');
		await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= 3, 10_000, 'samples');
		target.kill('SIGKILL');
		const {code} = await result;
		expect(code).toBe(0);
		const report = readReport(runDir);
		expect(report.end).toMatchObject({reason: 'target-exited', text: 'target exited'});
		expect(report.samples).toBe(readSamples(runDir).length);
	});
});
