/**
Where the memory goes, through the built CLI on real processes: threads and descriptors, RSS by
mapping (smaps), tracemalloc's lines, heap snapshots of a spawned and of an attached Node process.
*/
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, test} from 'vitest';
import {loopbackPorts} from '../../source/target/node-inspector.js';
import {
	alive, fixture, onlyRunDir, python, root, runCli, startFixture, vmRss, waitFor,
} from '../helpers/cli.js';
import {cleanupAfterAll} from '../helpers/cleanups.js';

/** Bun: CI's (MEMMON_BUN), else one on PATH. */
function findBun(): string | undefined {
	if (process.env.MEMMON_BUN) {
		return process.env.MEMMON_BUN;
	}

	try {
		return execFileSync('sh', ['-c', 'command -v bun'], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

const bun = findBun();

if (process.env.MEMMON_CI === '1' && !bun) {
	throw new Error('Bun is required in CI: .ci/run installs the npm package bun and sets MEMMON_BUN');
}

/** What is at `file` now, for a failure message (CI once saw Bun's path "not found" after it had run). */
function fileState(file: string): string {
	try {
		const link = fs.lstatSync(file);
		return `${file}: ${link.isSymbolicLink() ? `a link to ${fs.readlinkSync(file)}, ` : ''}${fs.existsSync(file) ? `a file of mode ${(fs.statSync(file).mode & 0o777).toString(8)}` : 'pointing nowhere'}`;
	} catch (error) {
		return `${file}: ${(error as Error).message}; its folder holds ${fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)).join(', ') : 'nothing: it is gone'}`;
	}
}

// Each test mostly waits on a real process: they run at once.
const {cleanups, reportDir} = cleanupAfterAll();

describe.concurrent('threads and open descriptors', () => {
	test('a workload leaking threads and files: the report shows both counts growing, samples.csv has them per sample', async () => {
		const dir = reportDir();
		const result = await runCli(['--report-dir', dir, '--label', 'threads', '--', python, fixture('thread-fd-leak.py'), '4']);
		expect(result.code).toBe(0);
		// About 40 threads and 80 files in 4 s: at least 10 and 20 of them seen past the first second (the last sample may
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

/** How fast smaps.csv's RSS (column 1) grew from its first read to its last, bytes a second. */
function growthPerSecond(rows: number[][]): number {
	const first = rows[0]!;
	const last = rows.at(-1)!;
	return Math.max(0, (last[1]! - first[1]!) / (last[0]! - first[0]!));
}

describe.concurrent('RSS by mapping (smaps)', () => {
	test('a malloc-heap leak: [heap] grows, the parts add up to VmRSS within 1% at every read, and PSS is read after the workload\'s exec', async () => {
		const dir = reportDir();
		const result = await runCli(['--pss-every', '1s', '--duration', '5s', '--report-dir', dir, '--', python, fixture('py-heap-leak.py')]);
		expect(result.code).toBe(0);
		const heap = /^ {4}malloc heap \[heap\] +[\d.]+ (?:KiB|MiB) → ([\d.]+) MiB +\+([\d.]+) MiB$/m.exec(result.stderr);
		expect(heap, result.stderr).not.toBeNull();
		// ~4 MB a second (less on a loaded machine) for the ~4 s between the second read and the last.
		expect(Number(heap![2])).toBeGreaterThan(3);
		const runDir = onlyRunDir(dir);
		const [header, ...reads] = fs.readFileSync(path.join(runDir, 'smaps.csv'), 'utf8').trim().split('\n');
		expect(header).toBe('t_seconds,rss_bytes,heap_bytes,stack_bytes,anon_bytes,file_bytes,shmem_bytes,status_rss_bytes,processes');
		expect(reads.length).toBeGreaterThanOrEqual(4);
		// Status is read right after smaps, while the heap grows: within 1%, and what it grows in 100 ms
		// (a loaded machine once put 1.3% between them).
		const rows = reads.map(read => read.split(',').map(Number));
		const mismatches = rows.map(([, rss, ...rest]) => {
			const statusRss = rest.at(-2)!;
			expect(rest.at(-1)).toBe(1);
			const parts = rest.slice(0, 5).reduce((sum, value) => sum + value, 0);
			expect(parts).toBe(rss);
			expect(Math.abs(parts - statusRss)).toBeLessThan((0.01 * statusRss) + (0.1 * growthPerSecond(rows)));
			return Math.abs(parts - statusRss) / statusRss;
		});

		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {rss_by_mapping_bytes: {heap: {first: number; last: number}; anon: {first: number; last: number}; largest_mismatch_with_vmrss: number}};
		const mappings = json.rss_by_mapping_bytes;
		expect(mappings.heap.last - mappings.heap.first).toBeGreaterThan(10 * (mappings.anon.last - mappings.anon.first));
		// The report counts from the second read in a run this short (the first may precede the exec).
		expect(mappings.largest_mismatch_with_vmrss).toBeCloseTo(Math.max(...mismatches.slice(1)), 6);
		// PSS on every read after the first: a descriptor kept from before the exec once read 0 ever after.
		const [sampleHeader, ...samples] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n');
		const pssAt = sampleHeader!.split(',').indexOf('pss_bytes');
		const pss = samples.slice(1).map(row => row.split(',')[pssAt]).filter(Boolean).map(Number);
		expect(pss.length).toBeGreaterThanOrEqual(3);
		expect(Math.min(...pss)).toBeGreaterThan(5 * 1024 * 1024);
	});
});

describe.concurrent('RSS by mapping of a tree', () => {
	test('a leak in a child of a shell: the tree\'s [heap] grows, summed over both processes, within 1% of their VmRSS', async () => {
		const dir = reportDir();
		// `; true` keeps bash from exec'ing python in its place: a tree of two.
		// The growth gate fails (the leak keeps several MiB): the reports then say what to run next.
		const result = await runCli(['--pss-every', '1s', '--duration', '5s', '--max-growth', '1MB', '--report-dir', dir, '--', 'bash', '-c', `${python} ${fixture('py-heap-leak.py')}; true`]);
		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toMatch(/RSS by mapping +smaps of 2 processes/);
		const reads = fs.readFileSync(path.join(onlyRunDir(dir), 'smaps.csv'), 'utf8').trim().split('\n').slice(1).map(line => line.split(',').map(Number));
		const twos = reads.filter(read => read[8] === 2);
		expect(twos.length).toBeGreaterThanOrEqual(3);
		for (const read of twos) {
			expect(Math.abs(read.slice(2, 7).reduce((sum, value) => sum + value, 0) - read[7]!)).toBeLessThan((0.01 * read[7]!) + (0.1 * growthPerSecond(twos)));
		}

		expect(twos.at(-1)![2]! - twos[0]![2]!).toBeGreaterThan(3 * 1024 * 1024);
		// What to run next fits the program that holds the memory (Python), not the shell around it:
		// it was heaptrack and massif. run.json keeps that program, so `memmon analyze` says the same.
		const runDir = onlyRunDir(dir);
		const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {workload_executable?: string};
		expect(path.basename(run.workload_executable ?? '')).toMatch(/^python3/);
		const nextSteps = (): string[] => (JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {next_steps: string[]}).next_steps;
		expect(nextSteps()[0]).toMatch(/^the lines that allocate what stays: memmon --tracemalloc -- bash -c '/);
		expect(nextSteps().join('\n')).not.toMatch(/heaptrack|massif/);
		expect((await runCli(['analyze', runDir, '--max-growth', '1MB'])).code).toBe(1);
		expect(nextSteps()[0]).toMatch(/^the lines that allocate what stays: memmon --tracemalloc -- bash -c '/);
	});
});

describe.concurrent('--tracemalloc: the Python lines whose memory stayed', () => {
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
		// memmon's sitecustomize says nothing in the workload's output.
		expect(fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8')).not.toContain('sitecustomize');
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

describe.concurrent('--heap-snapshots: the JavaScript objects that grew, and what holds them', () => {
	test('a leak of its own class: that class first in every report, growing, held through the global', async () => {
		const dir = reportDir();
		const result = await runCli(['--heap-snapshots', '--duration', '6s', '--report-dir', dir, '--', process.execPath, fixture('leaky-class.js')]);
		expect(result.code).toBe(0);
		const section = /^JavaScript objects that grew \(heap snapshots of PID (\d+), [\d.]+s → [\d.]+s\)\n.*constructor\n +\+([\d,]+) +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +(\S+)$/m.exec(result.stderr);
		expect(section, result.stderr).not.toBeNull();
		expect(section![3]).toBe('LeakySession');
		expect(result.stderr).toMatch(/^ {2}held by: global\.sessions → Array\[\d+\] → LeakySession$/m);
		const runDir = onlyRunDir(dir);
		const pid = section![1]!;
		// Six seconds: the snapshot a second in is the baseline (none asked for), the end one memmon's.
		expect(fs.readdirSync(path.join(runDir, 'heap')).filter(name => name.endsWith('.heapsnapshot')).sort()).toEqual([`${pid}-end.heapsnapshot`, `${pid}-start.heapsnapshot`]);
		const json = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {heap: {classes: Array<{name: string; count: number; size_bytes: number; retained_bytes: number}>; path: string}};
		const [top] = json.heap.classes;
		// 50 instances every 20 ms (in one turn of the event loop; the snapshots come between turns)
		// for about five seconds between the snapshots: fewer when a loaded machine starts Node late.
		expect(top!.name).toBe('LeakySession');
		expect(top!.count % 50).toBe(0);
		expect(top!.count).toBeGreaterThanOrEqual(500);
		expect(top!.retained_bytes).toBeGreaterThan(top!.size_bytes);
		expect(top!.size_bytes).toBeGreaterThan(top!.count * 16);
		expect(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8')).toMatch(/^\| \+[\d,]+ \| \+[\d.]+ (?:KiB|MiB) \| \+[\d.]+ (?:KiB|MiB) \| `LeakySession` \|$/m);
		// memmon analyze rebuilds the same section from the folder.
		const analyzed = await runCli(['analyze', runDir]);
		expect(analyzed.stdout).toContain(section![0]);
	});

	test('a short test without --duration: the snapshot a second in is the baseline, and the leaking class is found', async () => {
		// A CI leak test of a few seconds ends before the minute the baseline waits for without a
		// --duration: the report said "no baseline snapshot: the workload ended within its first second".
		const dir = reportDir();
		const result = await runCli(['--plain', '--heap-snapshots', '--report-dir', dir, '--', process.execPath, fixture('leaky-class.js'), '4']);
		expect(result.code, result.stderr).toBe(0);
		// Times are when each file was written: the baseline is asked for a second after the preload
		// runs, and on a loaded machine Node starts late and a snapshot takes a second or two to write.
		const times = /^JavaScript objects that grew \(heap snapshots of PID \d+, ([\d.]+)s → ([\d.]+)s\)$/m.exec(result.stderr);
		expect(times, result.stderr).not.toBeNull();
		expect(Number(times![1])).toBeGreaterThanOrEqual(1);
		expect(Number(times![1])).toBeLessThan(Number(times![2]) - 1);
		expect(result.stderr).toMatch(/^ +\+[\d,]+ +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +LeakySession$/m);
		expect(result.stderr).not.toContain('no baseline snapshot');
	});

	// Bun reads BUN_OPTIONS, not NODE_OPTIONS, and writes V8-format snapshots. CI installs Bun from
	// the npm registry (.ci/run sets MEMMON_BUN and MEMMON_CI=1); a machine without it skips, CI never does.
	test.skipIf(!bun)('a Bun workload: the same preload, through BUN_OPTIONS, finds the leaking class', async () => {
		const dir = reportDir();
		const result = await runCli(['--heap-snapshots', '--duration', '6s', '--report-dir', dir, '--', bun!, fixture('leaky-class.js')]);
		expect(result.code, `${result.stderr}\n${fileState(bun!)}`).toBe(0);
		expect(result.stderr).toMatch(/^JavaScript objects that grew \(heap snapshots of PID \d+, [\d.]+s → [\d.]+s\)$/m);
		// JavaScriptCore's snapshot puts the array that holds them first by retained size; the class is there too.
		const row = /^ +\+([\d,]+) +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +LeakySession$/m.exec(result.stderr);
		expect(row, result.stderr).not.toBeNull();
		const count = Number(row![1]!.replaceAll(',', ''));
		expect(count % 50).toBe(0);
		expect(count).toBeGreaterThanOrEqual(500);
		// Bun's global object is `GlobalObject`: the path starts at it as at Node's.
		expect(result.stderr).toMatch(/^ {2}held by: global\.sessions → Array/m);
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
		expect(result.stderr).toContain(`JavaScript objects that grew (heap snapshots of PID ${target.pid}, `);
		expect(result.stderr).toMatch(/ +instances +own size +retained +constructor\n +\+[\d,]+ +\+[\d.]+ (?:KiB|MiB) +\+[\d.]+ (?:KiB|MiB) +LeakySession$/m);
		expect(result.stderr).toMatch(/^ {2}held by: global\.sessions → Array\[\d+\] → LeakySession$/m);
		expect(result.stderr).toMatch(/^memmon: the inspector of PID \d+ stays open on 127\.0\.0\.1:\d+ \(closing it from outside can crash Node\): restart the process to close it$/m);
		const runDir = onlyRunDir(dir);
		expect(fs.readdirSync(path.join(runDir, 'heap')).filter(name => name.endsWith('.heapsnapshot')).sort()).toEqual([`${target.pid}-end.heapsnapshot`, `${target.pid}-start.heapsnapshot`]);
		expect(alive(target.pid!)).toBe(true);
	});
});

describe.concurrent('--js-heap: the JavaScript heap after each full collection', () => {
	type JsHeapJson = {js_heap_bytes: {full_collections: number; processes: number; live: {first: number; last: number}; heap_size: {first: number; last: number}} | null};
	const jsHeapRun = async (keptKibPerSecond: number, where = 'main', seconds = 8): Promise<{stderr: string; json: JsHeapJson}> => {
		const dir = reportDir();
		const result = await runCli(['--js-heap', '--report-dir', dir, '--', process.execPath, fixture('js-heap.js'), String(keptKibPerSecond), String(seconds), where]);
		expect(result.code, result.stderr).toBe(0);
		const runDir = onlyRunDir(dir);
		expect(fs.readFileSync(path.join(runDir, 'report.md'), 'utf8')).toMatch(/^\| JS heap after full GCs \| {2}\| the Node process; full collections: \d+, /m);
		return {stderr: result.stderr, json: JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as JsHeapJson};
	};

	test('objects that stay: the live heap after full collections grows with them', async () => {
		// 16 MiB of strings kept a second for eight seconds, beside a churn, with a full collection asked for
		// every 1.2 s. Readings at least a second apart: +16 MiB, less a batch in flight.
		const {stderr, json} = await jsHeapRun(16_384);
		const heap = json.js_heap_bytes!;
		expect(heap.full_collections, stderr).toBeGreaterThanOrEqual(2);
		expect(heap.processes).toBe(1);
		expect(heap.live.last - heap.live.first, stderr).toBeGreaterThan(8 * 1024 * 1024);
		expect(stderr).toMatch(/^ {4}objects live +[\d.]+ MiB → [\d.]+ MiB +\+[\d.]+ MiB$/m);
	});

	test('a worker thread that keeps objects: its heap is read apart from the main thread\'s, and the process\'s live heap grows with it', async () => {
		// Both threads' collections went to one file, and the lower reading of each second (the main
		// thread's, which only churns) hid the worker's 16 MiB a second. 12 s, not 8: on a loaded
		// machine the worker's first collection came 4.5 s in, and in 8 s the lowest readings of the
		// first and last quarters were 6.5 MiB apart; at 12 s under four busy loops, 41 MiB or more.
		const {stderr, json} = await jsHeapRun(16_384, 'worker', 12);
		const heap = json.js_heap_bytes!;
		expect(heap.processes).toBe(1);
		expect(heap.full_collections, stderr).toBeGreaterThanOrEqual(4);
		expect(heap.live.last - heap.live.first, stderr).toBeGreaterThan(8 * 1024 * 1024);
	});

	test('a pool that recycles its workers: a terminated worker\'s heap counts no more', async () => {
		// A worker holding 8 MiB replaced every 2 s: summed on after they were terminated, the four
		// before the last read 40 MiB at the end. What is left is the last worker and the idle main thread.
		const {stderr, json} = await jsHeapRun(8192, 'pool');
		const heap = json.js_heap_bytes!;
		expect(heap.full_collections, stderr).toBeGreaterThanOrEqual(4);
		expect(heap.live.last, stderr).toBeLessThan(14 * 1024 * 1024);
		expect(Math.abs(heap.live.last - heap.live.first), stderr).toBeLessThan(6 * 1024 * 1024);
	});

	test('a worker leak: a program that keeps starting workers holding 8 MiB reads as growing, each worker counted for the time it was there', async () => {
		// Each worker's heap alone is level; counted from its own first reading, the sum read level too.
		const {stderr, json} = await jsHeapRun(8192, 'spawn');
		const heap = json.js_heap_bytes!;
		expect(heap.full_collections, stderr).toBeGreaterThanOrEqual(4);
		// About one worker in the first quarter, three or four in the last.
		expect(heap.live.last - heap.live.first, stderr).toBeGreaterThan(6 * 1024 * 1024);
		expect(heap.live.first, stderr).toBeLessThan(16 * 1024 * 1024);
	});

	test('only churn: the live heap after full collections stays level while V8\'s heap grows', async () => {
		const {stderr, json} = await jsHeapRun(0);
		const heap = json.js_heap_bytes!;
		expect(heap.full_collections, stderr).toBeGreaterThanOrEqual(2);
		// A reading comes a moment after its collection, with what was promoted meanwhile (a batch
		// or two of 0.7 MiB, more on a loaded machine): the lowest of each end's readings, within that.
		expect(Math.abs(heap.live.last - heap.live.first), stderr).toBeLessThan(10 * 1024 * 1024);
		expect(heap.heap_size.last).toBeGreaterThan(heap.live.last);
	});

	test('a process memmon attaches to: one line naming the fix, exit 2', async () => {
		const result = await runCli(['--js-heap', '--pid', String(process.pid)]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('memmon: --js-heap reads the heap of a Node workload memmon starts: give it after `--`, e.g. memmon --js-heap -- node app.js\n');
	});
});
