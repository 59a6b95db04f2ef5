/**
The built CLI against real processes: spawn, attach, children, exit codes, signals, the run folder.
Plain mode (no TTY), short intervals.
*/
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {loopbackPorts} from '../../source/target/node-inspector.js';
import {
	alive, cliEnv, fixture, onlyRunDir, readSamples, root, runCli, startCli, startFixture, temporaryDir, vmRss, waitFor,
} from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

function reportDir(): string {
	const dir = temporaryDir();
	cleanups.push(() => {
		fs.rmSync(dir, {recursive: true, force: true});
	});
	return dir;
}

type ReportJson = {
	partial: boolean;
	status: string;
	end: {reason: string; by?: string; exitCode?: number | null; text: string};
	samples: number;
	pid: number;
	memory: {initial_bytes: number; final_bytes: number; peak_hwm_bytes: number | null; growth_bytes: number};
	quarters: {averages_bytes: number[]; rate_bytes_per_hour: number} | null;
};

function readReport(runDir: string): ReportJson {
	return JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as ReportJson;
}

describe('spawn', () => {
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
		expect(result.stderr).toMatch(/^memmon +\d.*rss +[\d.]+ MiB +Δ +[+−±][\d.]+ (?:MiB|KiB|B) +procs 1 +undecided: .+$/m);
		expect(result.stderr).toContain('memmon report: leak');
		// The gate failed: where to look next, for a Node workload.
		expect(result.stderr).toMatch(/^Where the memory goes: what to run next\n {2}- the objects that grow and what holds them: memmon --heap-snapshots -- \S+ \S*leaky\.js 1024 50 4$/m);

		const runDir = onlyRunDir(dir);
		expect(path.basename(runDir)).toMatch(/^leak-\d{8}-\d{6}$/);
		expect(fs.readlinkSync(path.join(dir, 'latest'))).toBe(path.basename(runDir));
		expect(fs.readdirSync(runDir).sort()).toEqual(['report.html', 'report.json', 'report.md', 'report.txt', 'run.json', 'samples.csv', 'smaps.csv', 'workload.log']);
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
		expect(report.memory.growth_bytes).toBe(rss.at(-1)! - rss[0]!);
		expect(report.quarters!.rate_bytes_per_hour).toBeGreaterThan(0);
		expect(report.memory.peak_hwm_bytes).toBeGreaterThanOrEqual(Math.max(...rss));

		const text = fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8');
		for (const label of ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%', 'Q1', 'Q4', 'Rate (quarters)', 'Peak (VmHWM)', 'Samples', 'Ended']) {
			expect(text).toContain(label);
		}

		expect(text).toMatch(/Ended\s+target exited \(exit code 0\)/);
	});

	test('memmon exits with the command\'s exit code', async () => {
		const dir = reportDir();
		const result = await runCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('exit-early.js'), '3', '500']);
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
		expect(Date.now() - started).toBeLessThan(8000);
		const runDir = onlyRunDir(dir);
		const report = readReport(runDir);
		expect(report.end.reason).toBe('duration');
		const samples = readSamples(runDir);
		expect(samples.map(row => Number(row.t_seconds).toFixed(1))).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
	});

	test('children are summed; --no-children watches the parent alone', async () => {
		const withChildren = reportDir();
		await runCli(['--interval', '200ms', '--duration', '1.6s', '--report-dir', withChildren, '--', process.execPath, fixture('tree.js'), '3']);
		const tree = readSamples(onlyRunDir(withChildren));
		expect(Number(tree.at(-1)!.processes)).toBe(4);

		const alone = reportDir();
		await runCli(['--interval', '200ms', '--duration', '1.6s', '--no-children', '--report-dir', alone, '--', process.execPath, fixture('tree.js'), '3']);
		const parent = readSamples(onlyRunDir(alone));
		expect(Number(parent.at(-1)!.processes)).toBe(1);
		// Three children holding 8 MiB each: the tree is well over the parent alone.
		expect(Number(tree.at(-1)!.rss_bytes) - Number(parent.at(-1)!.rss_bytes)).toBeGreaterThan(3 * 8 * 1024 * 1024);
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

describe('threads and open descriptors', () => {
	test('a workload leaking threads and files: the report shows both counts growing, samples.csv has them per sample', async () => {
		const dir = reportDir();
		const result = await runCli(['--report-dir', dir, '--label', 'threads', '--', 'python3', fixture('thread-fd-leak.py'), '3']);
		expect(result.code).toBe(0);
		// About 30 threads and 60 files in 3 s: at least 10 and 20 of them seen (the last sample may
		// come before the last of them).
		const threads = /^ *Threads\s+(\d+) → (\d+)\s+grew by \d+/m.exec(result.stderr);
		const fds = /^ *Open descriptors\s+(\d+) → (\d+)\s+grew by \d+/m.exec(result.stderr);
		expect(threads, result.stderr).not.toBeNull();
		expect(fds, result.stderr).not.toBeNull();
		expect(Number(threads![2]) - Number(threads![1])).toBeGreaterThanOrEqual(10);
		expect(Number(fds![2]) - Number(fds![1])).toBeGreaterThanOrEqual(20);
		const runDir = onlyRunDir(dir);
		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {threads: {first: number; last: number; peak: number}; fds: {first: number; last: number}};
		expect(json.threads.last).toBe(Number(threads![2]));
		// Nothing failed and no verdict of growth: no advice.
		expect(result.stderr).not.toContain('what to run next');
		expect(json.fds.last - json.fds.first).toBeGreaterThanOrEqual(20);
		expect(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8')).toMatch(/^\| Threads \| \d+ → \d+ \| grew by \d+/m);
		const [header, ...rows] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n');
		const names = header!.split(',');
		const column = names.indexOf('threads');
		expect(column).toBeGreaterThan(0);
		expect(Number(rows.at(-1)!.split(',')[column])).toBeGreaterThan(Number(rows[0]!.split(',')[column]));
		// RSS by kind, every sample: anonymous + file-backed + shmem is the RSS of the same moment.
		const at = (row: string, name: string): number => Number(row.split(',')[names.indexOf(name)]);
		expect(rows.length).toBeGreaterThan(10);
		for (const row of rows) {
			expect(at(row, 'anon_bytes') + at(row, 'file_bytes') + at(row, 'shmem_bytes')).toBe(at(row, 'rss_bytes'));
		}
	});
});

describe('RSS by mapping (smaps)', () => {
	test('a malloc-heap leak: [heap] grows, the parts add up to VmRSS within 1% at every read, and PSS is read after the workload\'s exec', async () => {
		const dir = reportDir();
		const result = await runCli(['--pss-every', '1s', '--duration', '5s', '--report-dir', dir, '--', 'python3', fixture('py-heap-leak.py')]);
		expect(result.code).toBe(0);
		const heap = /^ {4}malloc heap \[heap\] +[\d.]+ (?:KiB|MiB) → ([\d.]+) MiB +\+([\d.]+) MiB$/m.exec(result.stderr);
		expect(heap, result.stderr).not.toBeNull();
		// ~4 MB a second (less on a loaded machine) for the ~4 s between the second read and the last.
		expect(Number(heap![2])).toBeGreaterThan(3);
		const runDir = onlyRunDir(dir);
		const [header, ...reads] = fs.readFileSync(path.join(runDir, 'smaps.csv'), 'utf8').trim().split('\n');
		expect(header).toBe('t_seconds,rss_bytes,heap_bytes,stack_bytes,anon_bytes,file_bytes,shmem_bytes,status_rss_bytes,processes');
		expect(reads.length).toBeGreaterThanOrEqual(4);
		// Status is read right after smaps: at ~4 MB/s, the 1% allows 25 ms between them.
		for (const read of reads) {
			const [, rss, ...rest] = read.split(',').map(Number);
			const statusRss = rest.at(-2)!;
			expect(rest.at(-1)).toBe(1);
			const parts = rest.slice(0, 5).reduce((sum, value) => sum + value, 0);
			expect(parts).toBe(rss);
			expect(Math.abs(parts - statusRss) / statusRss).toBeLessThan(0.01);
		}

		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {rss_by_mapping_bytes: {heap: {first: number; last: number}; anon: {first: number; last: number}; largest_mismatch_with_vmrss: number}};
		const mappings = json.rss_by_mapping_bytes;
		expect(mappings.heap.last - mappings.heap.first).toBeGreaterThan(10 * (mappings.anon.last - mappings.anon.first));
		expect(mappings.largest_mismatch_with_vmrss).toBeLessThan(0.01);
		// PSS on every read after the first: a descriptor kept from before the exec once read 0 ever after.
		const [sampleHeader, ...samples] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n');
		const pssAt = sampleHeader!.split(',').indexOf('pss_bytes');
		const pss = samples.slice(1).map(row => row.split(',')[pssAt]).filter(Boolean).map(Number);
		expect(pss.length).toBeGreaterThanOrEqual(3);
		expect(Math.min(...pss)).toBeGreaterThan(5 * 1024 * 1024);
	});
});

describe('RSS by mapping of a tree', () => {
	test('a leak in a child of a shell: the tree\'s [heap] grows, summed over both processes, within 1% of their VmRSS', async () => {
		const dir = reportDir();
		// `; true` keeps bash from exec'ing python in its place: a tree of two.
		const result = await runCli(['--pss-every', '1s', '--duration', '5s', '--report-dir', dir, '--', 'bash', '-c', `python3 ${fixture('py-heap-leak.py')}; true`]);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/RSS by mapping +smaps of 2 processes/);
		const reads = fs.readFileSync(path.join(onlyRunDir(dir), 'smaps.csv'), 'utf8').trim().split('\n').slice(1).map(line => line.split(',').map(Number));
		const twos = reads.filter(read => read[8] === 2);
		expect(twos.length).toBeGreaterThanOrEqual(3);
		for (const read of twos) {
			expect(Math.abs(read.slice(2, 7).reduce((sum, value) => sum + value, 0) - read[7]!) / read[7]!).toBeLessThan(0.01);
		}

		expect(twos.at(-1)![2]! - twos[0]![2]!).toBeGreaterThan(3 * 1024 * 1024);
	});
});

describe('--tracemalloc: the Python lines whose memory stayed', () => {
	test('stopped at --duration: the leaking line first in every report, snapshots in the run folder', async () => {
		const dir = reportDir();
		const result = await runCli(['--tracemalloc', '--duration', '3s', '--report-dir', dir, '--', 'python3', fixture('py-line-leak.py')]);
		expect(result.code).toBe(0);
		const section = /^Python allocations that stayed \(tracemalloc, [\d.]+s → [\d.]+s\)\n +\+[\d.]+ (?:KiB|MiB) +\+\d+ blocks +(\S+)$/m.exec(result.stderr);
		expect(section, result.stderr).not.toBeNull();
		expect(section![1]).toMatch(/py-line-leak\.py:9$/);
		const runDir = onlyRunDir(dir);
		// A 3-s run: the snapshot a second in is the baseline (none asked for), the end one memmon's.
		expect(fs.readdirSync(path.join(runDir, 'tracemalloc')).sort()).toEqual(['sitecustomize.py', 'snapshot-end.json', 'snapshot-start.json']);
		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {allocations: {lines: Array<{where: string; size_bytes: number}>}};
		expect(json.allocations.lines[0]!.where).toMatch(/py-line-leak\.py:9$/);
		expect(json.allocations.lines[0]!.size_bytes).toBeGreaterThan(100_000);
		expect(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8')).toMatch(/^\| \+[\d.]+ (?:KiB|MiB) \| \+\d+ blocks \| `[^`]*py-line-leak\.py:9` \|$/m);
		// memmon analyze rebuilds the same section from the folder.
		const analyzed = await runCli(['analyze', runDir]);
		expect(analyzed.stdout).toContain(section![0]);
	});

	test('a workload that ends by itself: its exit snapshot is the end', async () => {
		const dir = reportDir();
		const result = await runCli(['--tracemalloc', '--report-dir', dir, '--', 'python3', fixture('py-line-leak.py'), '2']);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/^Python allocations that stayed \(tracemalloc, [\d.]+s → [\d.]+s\)\n +\+[\d.]+ (?:KiB|MiB) +\+\d+ blocks +\S*py-line-leak\.py:9$/m);
		expect(fs.existsSync(path.join(onlyRunDir(dir), 'tracemalloc', 'snapshot-exit.json'))).toBe(true);
	});

	test('not a spawned workload: exit 2 with the fix', async () => {
		const result = await runCli(['--tracemalloc', '--pid', String(process.pid)]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('memmon: --tracemalloc traces a Python workload memmon starts: give it after `--`, e.g. memmon --tracemalloc -- python3 app.py\n');
	});
});

describe('--heap-snapshots: the Node objects that grew, and what holds them', () => {
	test('a leak of its own class: that class first in every report, growing, held through the global', async () => {
		const dir = reportDir();
		const result = await runCli(['--heap-snapshots', '--duration', '4s', '--report-dir', dir, '--', process.execPath, fixture('leaky-class.js')]);
		expect(result.code).toBe(0);
		const section = /^Node objects that grew \(heap snapshots of PID (\d+), [\d.]+s → [\d.]+s\)\n.*constructor\n +\+([\d,]+) +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +(\S+)$/m.exec(result.stderr);
		expect(section, result.stderr).not.toBeNull();
		expect(section![3]).toBe('LeakySession');
		expect(result.stderr).toMatch(/^ {2}held by: global\.sessions → Array\[\d+\] → LeakySession$/m);
		const runDir = onlyRunDir(dir);
		const pid = section![1]!;
		// Four seconds: the snapshot a second in is the baseline (none asked for), the end one memmon's.
		expect(fs.readdirSync(path.join(runDir, 'heap')).filter(name => name.endsWith('.heapsnapshot')).sort()).toEqual([`${pid}-end.heapsnapshot`, `${pid}-start.heapsnapshot`]);
		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {heap: {classes: Array<{name: string; count: number; size_bytes: number; retained_bytes: number}>; path: string}};
		const [top] = json.heap.classes;
		// 50 instances every 20 ms for about three seconds between the snapshots.
		expect(top!.name).toBe('LeakySession');
		expect(top!.count).toBeGreaterThan(2000);
		expect(top!.retained_bytes).toBeGreaterThan(top!.size_bytes);
		expect(top!.size_bytes).toBeGreaterThan(top!.count * 16);
		expect(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8')).toMatch(/^\| \+[\d,]+ \| \+[\d.]+ (?:KiB|MiB) \| \+[\d.]+ (?:KiB|MiB) \| `LeakySession` \|$/m);
		// memmon analyze rebuilds the same section from the folder.
		const analyzed = await runCli(['analyze', runDir]);
		expect(analyzed.stdout).toContain(section![0]);
	});

	test('a snapshot while the run goes on (the verdict turned): diffed in a worker thread into one line for the screen', async () => {
		const runDir = reportDir();
		const heapDir = path.join(runDir, 'heap');
		fs.mkdirSync(heapDir, {recursive: true});
		// A process that snapshots itself as the preload would, with a class leaking in between.
		const script = `const v8 = require('node:v8'); class Stuck { constructor(i) { this.i = i; this.s = 'x'.repeat(100) + i; } }
globalThis.stuck = [];
v8.writeHeapSnapshot(${JSON.stringify(heapDir)} + '/' + process.pid + '-baseline.heapsnapshot');
for (let i = 0; i < 5000; i++) stuck.push(new Stuck(i));
v8.writeHeapSnapshot(${JSON.stringify(heapDir)} + '/' + process.pid + '-verdict.heapsnapshot');`;
		execFileSync(process.execPath, ['-e', script]);
		const worker = await import(pathToFileURL(path.join(root, 'dist/commands/heap-diff-worker.js')).href) as typeof import('../../source/commands/heap-diff-worker.js');
		const record = await import(pathToFileURL(path.join(root, 'dist/record/heap-diff.js')).href) as typeof import('../../source/record/heap-diff.js');
		const diff = await worker.heapDiffInWorker(runDir, Date.now(), 'verdict');
		expect(diff?.classes[0]).toMatchObject({name: 'Stuck', count: 5000});
		expect(record.heapLine(diff!)).toMatch(/^Heap {2}\+5,000 Stuck \(retain [\d.]+ (?:KiB|MiB)\).* · held by global\.stuck → Array\[\d+\] → Stuck$/);
	});

	test('an attached process without --open-inspector, or one that is not Node: exit 2 with the fix, and no signal', async () => {
		const node = startFixture('steady.js', ['20'], ['--inspect-port=0']);
		const sleeper = spawn('sleep', ['30'], {stdio: 'ignore'});
		cleanups.push(() => node.kill('SIGKILL'), () => sleeper.kill('SIGKILL'));
		await waitFor(() => alive(node.pid!) && alive(sleeper.pid!), 5000, 'targets');
		const unasked = await runCli(['--heap-snapshots', '--pid', String(node.pid)]);
		expect(unasked.code).toBe(2);
		expect(unasked.stderr).toBe('memmon: --heap-snapshots of an attached process takes its inspector, which takes a signal (SIGUSR1), and memmon never signals a target unasked: add --open-inspector, or start the program under memmon (memmon --heap-snapshots -- node app.js)\n');
		const dir = reportDir();
		const notNode = await runCli(['--heap-snapshots', '--open-inspector', '--pid', String(sleeper.pid), '--report-dir', dir]);
		expect(notNode.code).toBe(2);
		expect(notNode.stderr).toBe(`memmon: cannot take heap snapshots of PID ${sleeper.pid}: PID ${sleeper.pid} is not a Node process (SIGUSR1 would end most others)\n`);
		expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
		expect(alive(sleeper.pid!)).toBe(true);
		// The Node process was never signalled: its inspector is not open.
		expect([...loopbackPorts(node.pid!)]).toEqual([]);
	});

	test('--open-inspector: an attached Node process leaking its own class, snapshotted through its inspector', async () => {
		// --inspect-port=0: the inspector SIGUSR1 opens takes a free port, not 9229.
		const target = startFixture('leaky-class.js', [], ['--inspect-port=0']);
		cleanups.push(() => target.kill('SIGKILL'));
		await waitFor(() => alive(target.pid!) && vmRss(target.pid!) > 0, 5000, 'target');
		const dir = reportDir();
		const result = await runCli(['--pid', String(target.pid), '--heap-snapshots', '--open-inspector', '--duration', '4s', '--report-dir', dir]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain(`Node objects that grew (heap snapshots of PID ${target.pid}, `);
		expect(result.stderr).toMatch(/ +instances +own size +retained +constructor\n +\+[\d,]+ +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +LeakySession$/m);
		expect(result.stderr).toMatch(/^ {2}held by: global\.sessions → Array\[\d+\] → LeakySession$/m);
		expect(result.stderr).toMatch(/^memmon: the inspector of PID \d+ stays open on 127\.0\.0\.1:\d+ \(closing it from outside can crash Node\): restart the process to close it$/m);
		const runDir = onlyRunDir(dir);
		expect(fs.readdirSync(path.join(runDir, 'heap')).filter(name => name.endsWith('.heapsnapshot')).sort()).toEqual([`${target.pid}-end.heapsnapshot`, `${target.pid}-start.heapsnapshot`]);
		expect(alive(target.pid!)).toBe(true);
	});
});

describe('the workload\'s environment', () => {
	test('memmon forces production React for itself, but the workload sees the user\'s NODE_ENV', async () => {
		const dir = reportDir();
		const print = ['--interval', '100ms', '--duration', '300ms', '--report-dir', dir, '--', process.execPath, '-e', 'console.log("NODE_ENV=" + process.env.NODE_ENV)'];
		const development = await runCli(print, cliEnv({NODE_ENV: 'development'}));
		expect(development.stdout).toContain('NODE_ENV=development');
		const unset = cliEnv();
		delete unset.NODE_ENV;
		expect((await runCli(print, unset)).stdout).toContain('NODE_ENV=undefined');
	});
});

describe('attach', () => {
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
		expect(path.basename(runDir)).toMatch(new RegExp(`^pid-${target.pid}-`));
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
		const runDir = await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.startsWith('pid-')) && onlyRunDir(dir), 10_000, 'run folder');
		await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= 3, 10_000, 'samples');
		target.kill('SIGKILL');
		const {code} = await result;
		expect(code).toBe(0);
		const report = readReport(runDir);
		expect(report.end).toMatchObject({reason: 'target-exited', text: 'target exited'});
		expect(report.samples).toBe(readSamples(runDir).length);
	});
});
