import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createSampler} from '../../source/sampler/index.js';
import {PidusageSampler} from '../../source/sampler/pidusage.js';
import {pageSize} from '../../source/sampler/procfs.js';
import {descendants, scanDescendants, treeStrategy} from '../../source/sampler/descendants.js';
import {ProcfsSampler} from '../../source/sampler/tree.js';
import {readIdentity} from '../../source/target/identity.js';
import {alive, startFixture, vmRss, waitFor} from '../helpers/cli.js';

const started: Array<{kill: (signal?: NodeJS.Signals) => boolean}> = [];
afterEach(() => {
	for (const child of started.splice(0)) {
		child.kill('SIGKILL');
	}
});

function openFds(): number {
	return fs.readdirSync('/proc/self/fd').length;
}

describe('process tree', () => {
	test('the children walk and the /proc scan find the same descendants', async () => {
		const parent = startFixture('tree.js', ['4']);
		started.push(parent);
		const found = await waitFor(() => {
			const list = descendants(parent.pid!, 'children');
			return list.length === 4 ? list : undefined;
		}, 10_000, 'four children');
		expect(treeStrategy()).toBe('children');
		expect(scanDescendants(parent.pid!).sort()).toEqual([...found].sort());
	});

	test('the sampler sums the tree and keeps one reading per process', async () => {
		const parent = startFixture('tree.js', ['3']);
		started.push(parent);
		await waitFor(() => descendants(parent.pid!).length === 3, 10_000, 'three children');
		const identity = readIdentity(parent.pid!);
		expect(typeof identity).toBe('object');
		const sampler = new ProcfsSampler({target: identity as {pid: number; startTime: number}, children: true, pssEveryMs: 0, now: () => performance.now()});
		const reading = sampler.sampleSync();
		sampler.close();
		expect(reading.kind).toBe('ok');
		if (reading.kind !== 'ok') {
			return;
		}

		expect(reading.processes).toHaveLength(4);
		expect(reading.rss).toBe(reading.processes.reduce((sum, p) => sum + p.rss, 0));
		// Each with its command line: the parent's names its script, its children run their own.
		expect(reading.processes.find(p => p.pid === parent.pid)!.command).toMatch(/ \S*tree\.js 3$/);
		expect(reading.processes.filter(p => p.pid !== parent.pid).every(p => p.command!.includes(' -e const b = Buffer.alloc('))).toBe(true);
		expect(reading.pss).toBeGreaterThan(0);
		expect(reading.uss).toBeGreaterThan(0);
		expect(reading.pss).toBeLessThanOrEqual(reading.rss);
		// The tree's high-water mark is every process's own, summed: never below the tree's RSS.
		expect(reading.hwm).toBe(reading.processes.reduce((sum, p) => sum + p.hwm!, 0));
		expect(reading.hwm).toBeGreaterThanOrEqual(reading.rss);
	});

	test('memmon is never part of the tree it watches (`memmon --pid $$`, a tmux server, --pid 1)', () => {
		// This test's process plays memmon; its parent is the target it runs inside of.
		const root = process.ppid;
		const tasks = fs.readdirSync(`/proc/${root}/task`);
		const children = tasks.flatMap(tid => fs.readFileSync(`/proc/${root}/task/${tid}/children`, 'utf8').trim().split(/\s+/)).map(Number);
		expect(children).toContain(process.pid);
		expect(descendants(root, 'children')).not.toContain(process.pid);
		expect(scanDescendants(root)).not.toContain(process.pid);
		const sampler = new ProcfsSampler({target: readIdentity(root) as {pid: number; startTime: number}, children: true, pssEveryMs: 60_000, now: () => performance.now()});
		const reading = sampler.sampleSync();
		sampler.close();
		expect(reading.kind).toBe('ok');
		const pids = reading.kind === 'ok' ? reading.processes.map(p => p.pid) : [];
		expect(pids).toContain(root);
		expect(pids).not.toContain(process.pid);
	});

	test('PSS is read less often when it costs more, within 10 s … 10 min', () => {
		const target = startFixture('steady.js', ['1']);
		started.push(target);
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		// Every reading of this clock takes `cost` ms: the sampler reads it once per sample, and once
		// more after a sample with PSS, so a PSS sample is measured at exactly `cost`.
		let clock = 0;
		let cost = 0;
		const now = (): number => {
			const value = clock;
			clock += cost;
			return value;
		};

		const sampler = new ProcfsSampler({target: identity, children: false, pssEveryMs: 10_000, pssCostShare: 0.0002, now, cpuNow: now});
		const pssTimes = (samples: number, stepMs: number): number[] => {
			const times: number[] = [];
			for (let i = 0; i < samples; i++) {
				const at = clock;
				const reading = sampler.sampleSync();
				if (reading.kind === 'ok' && reading.pss !== undefined) {
					times.push(at);
				}

				clock += stepMs;
			}

			return times;
		};

		// The first read is dear (cold code, a preempted read), the next ones cheap: the cheapest of the
		// last three sets the gap (the floor until there are three), so one dear read does not space the
		// next ones out.
		cost = 8;
		const first = pssTimes(2, 1000);
		expect(first).toHaveLength(1);
		// Cheap reads: every 10 s (the floor).
		cost = 0.1;
		const cheap = [...first, ...pssTimes(60, 1000)];
		expect(cheap.length).toBeGreaterThanOrEqual(6);
		expect(cheap[1]! - cheap[0]!).toBeLessThan(11_000);
		expect(cheap[2]! - cheap[1]!).toBeGreaterThanOrEqual(10_000);
		expect(cheap[2]! - cheap[1]!).toBeLessThan(11_000);
		// 8 ms a read: 0.02% of a core is one read every 40 s, once the last three reads all cost that.
		cost = 8;
		const dear = pssTimes(200, 1000);
		const gaps = dear.slice(3).map((t, i) => t - dear[i + 2]!);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40_000);
		expect(Math.max(...gaps)).toBeLessThan(42_000);
		// 1 s a read (a huge target): capped at one read per 10 minutes.
		cost = 1000;
		const huge = pssTimes(800, 1000);
		expect(huge.at(-1)! - huge.at(-2)!).toBeGreaterThanOrEqual(600_000);
		expect(huge.at(-1)! - huge.at(-2)!).toBeLessThan(603_000);
		sampler.close();
	});
});

describe('process names', () => {
	test('a process is named by the program it runs, not by its main thread\'s name; an exec renames it', async () => {
		// Node 24 and later name their main thread, and so the process, `MainThread`: the same as this
		// Python does to itself here. Then it execs sleep (the kernel's name changes with it).
		const child = spawn('python3', ['-c', 'import ctypes, os, time; ctypes.CDLL(None).prctl(15, b"MainThread", 0, 0, 0); time.sleep(1.5); os.execvp("sleep", ["sleep", "30"])'], {stdio: 'ignore'});
		started.push(child);
		const comm = (): string => fs.readFileSync(`/proc/${child.pid!}/comm`, 'utf8').trim();
		await waitFor(() => comm() === 'MainThread' ? true : undefined, 10_000, 'the thread name');
		const identity = readIdentity(child.pid!) as {pid: number; startTime: number};
		const sampler = new ProcfsSampler({target: identity, children: false, pssEveryMs: 1e9, now: () => performance.now()});
		try {
			const first = sampler.sampleSync();
			expect(first.kind === 'ok' && first.processes[0]!.name).toBe('python3');
			await waitFor(() => comm() === 'sleep' ? true : undefined, 10_000, 'the exec');
			const second = sampler.sampleSync();
			expect(second.kind === 'ok' && second.processes[0]!.name).toBe('sleep');
		} finally {
			sampler.close();
		}
	});
});

describe('descriptor counts', () => {
	test('listed as often as their CPU cost allows, by the cheapest of the last three listings', () => {
		const target = startFixture('steady.js', ['1']);
		started.push(target);
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		// The listing's cost, as its clock tells it: each listing reads the clock twice.
		const costs: number[] = [];
		let listings = 0;
		let reads = 0;
		const fdCostNow = (): number => {
			reads++;
			if (reads % 2 === 1) {
				return 0;
			}

			listings++;
			return costs.shift() ?? 0.01;
		};

		let clock = 0;
		const sampler = new ProcfsSampler({target: identity, children: false, pssEveryMs: 1e9, now: () => clock, fdCostNow});
		const listed = (samples: number): number => {
			const before = listings;
			for (let i = 0; i < samples; i++) {
				expect(sampler.sampleSync().kind).toBe('ok');
				clock += 200;
			}

			return listings - before;
		};

		// The first listing counts as 0.5 ms at most however dear (cold code): the next comes a second
		// later (0.5 ms is 0.05% of a core's second), and a second dear one keeps that pace.
		costs.push(8, 4);
		expect(listed(5)).toBe(1);
		expect(listed(5)).toBe(1);
		// Then cheap (10 µs): listed every sample, and one dear listing among cheap ones changes nothing.
		costs.push(0.01, 0.01, 30);
		expect(listed(10)).toBeGreaterThanOrEqual(9);
		expect(listed(10)).toBe(10);
		// Dear every time (20 ms: a huge descriptor table): once the last three all cost that, one listing per 40 s.
		costs.push(...Array.from({length: 400}, () => 20));
		listed(1000);
		expect(listed(1000)).toBeLessThanOrEqual(6);
		sampler.close();
	});
});

describe('identity', () => {
	test('a different start time is a stranger: the sampler reports gone, never a reading', () => {
		const target = startFixture('steady.js', ['1']);
		started.push(target);
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		const sampler = new ProcfsSampler({target: {pid: identity.pid, startTime: identity.startTime + 1}, children: false, pssEveryMs: 1e9, now: () => 0});
		expect(sampler.sampleSync()).toEqual({kind: 'gone'});
	});

	test('a process that dies is gone, and the kept descriptors are released', async () => {
		const before = openFds();
		const target = startFixture('steady.js', ['1']);
		await waitFor(() => alive(target.pid!), 5000, 'target');
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		const sampler = new ProcfsSampler({target: identity, children: true, pssEveryMs: 0, now: () => performance.now()});
		expect(sampler.sampleSync().kind).toBe('ok');
		target.kill('SIGKILL');
		await waitFor(() => !alive(target.pid!), 5000, 'target to die');
		expect(sampler.sampleSync()).toEqual({kind: 'gone'});
		// The child's stdout pipe went with it, too.
		await waitFor(() => openFds() <= before, 5000, 'descriptors to close');
	});

	test('missing and unreadable PIDs are told apart', () => {
		expect(readIdentity(4_194_300)).toBe('not-found');
		expect(typeof readIdentity(process.pid)).toBe('object');
	});

	test('the RSS read is exactly VmRSS', async () => {
		// An idle `sleep` holds its memory still once started; the read is compared with VmRSS read
		// just before and just after, and must equal them whenever the process held still between.
		const target = spawn('sleep', ['30'], {stdio: 'ignore'});
		started.push(target);
		await waitFor(() => alive(target.pid!) && vmRss(target.pid!) > 0, 10_000, 'sleep to start');
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		const sampler = new ProcfsSampler({target: identity, children: false, pssEveryMs: 1e9, now: () => 0});
		const agreed = await waitFor(() => {
			const before = vmRss(target.pid!);
			const reading = sampler.sampleSync();
			const after = vmRss(target.pid!);
			if (before !== after || reading.kind !== 'ok') {
				return undefined;
			}

			return {rss: reading.rss, truth: after};
		}, 10_000, 'a read while the process held still');
		sampler.close();
		expect(agreed.rss).toBe(agreed.truth);
	});
});

describe('pidusage sampler', () => {
	test('reads RSS, leaves PSS/swap absent, and does not pile up descriptors', async () => {
		const target = startFixture('steady.js', ['8']);
		started.push(target);
		// Once it holds its 8 MiB (a loaded machine had sampled it at 6 MiB, still loading).
		let output = '';
		target.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		await waitFor(() => output.includes('steady: holding') ? true : undefined, 10_000, 'the target holding its buffer');
		const sampler = new PidusageSampler({pid: target.pid!, children: false});
		const first = await sampler.sample();
		const fds = openFds();
		for (let i = 0; i < 200; i++) {
			 
			await sampler.sample();
		}

		expect(openFds()).toBeLessThanOrEqual(fds + 1);
		expect(first.kind).toBe('ok');
		if (first.kind === 'ok') {
			expect(first.rss).toBeGreaterThan(8 * 1024 * 1024);
			expect(first.pss).toBeUndefined();
			expect(first.swap).toBeUndefined();
		}

		sampler.close();
	});
});

describe('descendants from ps (platforms without procfs)', () => {
	test('parents before children, strangers left out, junk lines ignored', async () => {
		const {descendantsFromPs} = await import('../../source/sampler/pidusage.js');
		const ps = '    1     0\n  100     1\n  200   100\n  201   100\n  300   200\n  400     1\ngarbage\n\n';
		expect(descendantsFromPs(ps, 100)).toEqual([200, 201, 300]);
		expect(descendantsFromPs(ps, 300)).toEqual([]);
	});
});

describe('a kernel that shows fewer files and fields', () => {
	/** A procfs folder for one process, laid out as an older kernel or a container shows it. */
	function fakeProc(status: string): {root: string; pid: number; startTime: number} {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-proc-'));
		const pid = 4242;
		const stat = fs.readFileSync('/proc/self/stat', 'latin1').replace(/^\d+ /, `${pid} `);
		fs.mkdirSync(path.join(root, String(pid), 'task', String(pid)), {recursive: true});
		fs.writeFileSync(path.join(root, String(pid), 'stat'), stat);
		fs.writeFileSync(path.join(root, String(pid), 'status'), status);
		fs.writeFileSync(path.join(root, String(pid), 'task', String(pid), 'children'), '');
		const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
		return {root, pid, startTime};
	}

	test('no smaps_rollup and no VmSwap/RssAnon lines: RSS read, PSS and swap absent rather than 0', () => {
		// A 3.x-era status: no RssAnon/RssFile (4.5+), no VmSwap in some containers; no smaps_rollup (4.14+).
		const proc = fakeProc('Name:\told\nState:\tS (sleeping)\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t1\n');
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: true, pssEveryMs: 0, now: () => performance.now(), procRoot: proc.root});
			const reading = sampler.sampleSync();
			sampler.close();
			expect(reading).toMatchObject({kind: 'ok', rss: 10_240 * 1024, hwm: 20_480 * 1024, processes: [{pid: proc.pid, name: 'old'}]});
			if (reading.kind !== 'ok') {
				throw new Error(reading.kind);
			}

			expect(reading.pss).toBeUndefined();
			expect(reading.uss).toBeUndefined();
			expect(reading.swap).toBeUndefined();
			expect(reading.processes[0]!.anon).toBeUndefined();
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});

	test('where smaps exists too, PSS and the RSS by mapping come from it', () => {
		const proc = fakeProc('Name:\tnew\nState:\tS (sleeping)\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nVmSwap:\t       0 kB\nThreads:\t1\n');
		fs.writeFileSync(path.join(proc.root, String(proc.pid), 'smaps_rollup'), '00400000-7fff [rollup]\nRss:  10240 kB\nPss:   6144 kB\nPrivate_Clean:  1024 kB\nPrivate_Dirty:  4096 kB\nSwap:  0 kB\n');
		fs.writeFileSync(path.join(proc.root, String(proc.pid), 'smaps'), '5600-5700 rw-p 00000000 00:00 0     [heap]\nRss:  8192 kB\nPss:  8192 kB\nPrivate_Dirty:  8192 kB\n7f00-7f10 r--p 00000000 fe:00 12   /usr/lib/libc.so.6\nRss:  2048 kB\nPss:  512 kB\nPrivate_Clean:  0 kB\n');
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 0, now: () => performance.now(), procRoot: proc.root});
			const reading = sampler.sampleSync();
			sampler.close();
			expect(reading).toMatchObject({kind: 'ok', rss: 10_240 * 1024, pss: 8704 * 1024, uss: 8192 * 1024, split: {heap: 8192 * 1024, file: 2048 * 1024, anon: 0, rss: 10_240 * 1024}});
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});

	test('CPU over at least a second: at the 200-ms start-up cadence a process using 2.5% reads 2.5%, not 0% and 5% in turn', () => {
		const proc = fakeProc('Name:\tserver\nState:\tS (sleeping)\nVmRSS:\t   10240 kB\nThreads:\t1\n');
		const statFile = path.join(proc.root, String(proc.pid), 'stat');
		const template = fs.readFileSync(statFile, 'latin1');
		const close = template.lastIndexOf(')');
		// utime and stime: fields 14 and 15, the 12th and 13th after the name.
		const withTicks = (ticks: number): string => {
			const fields = template.slice(close + 2).trimEnd().split(' ');
			fields[11] = String(ticks);
			fields[12] = '0';
			return `${template.slice(0, close + 2)}${fields.join(' ')}\n`;
		};

		let now = 0;
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 3_600_000, now: () => now, procRoot: proc.root});
			const cpus: Array<number | undefined> = [];
			for (let i = 0; i <= 15; i++) {
				now = i * 200;
				// One 10-ms tick every 400 ms: 2.5% of a core.
				fs.writeFileSync(statFile, withTicks(Math.floor(i / 2)));
				const reading = sampler.sampleSync();
				cpus.push(reading.kind === 'ok' ? reading.cpu : undefined);
			}

			expect(cpus[0]).toBeUndefined();
			for (const cpu of cpus.slice(5)) {
				expect(cpu).toBeGreaterThanOrEqual(2);
				expect(cpu).toBeLessThanOrEqual(3);
			}

			// Then at 1 Hz, one tick every 3 s (0.33% of a core): read as that, not as 0% and 1% in turn.
			const quiet: Array<number | undefined> = [];
			for (let i = 1; i <= 30; i++) {
				now = 3000 + (i * 1000);
				fs.writeFileSync(statFile, withTicks(7 + Math.floor(i / 3)));
				const reading = sampler.sampleSync();
				quiet.push(reading.kind === 'ok' ? reading.cpu : undefined);
			}

			sampler.close();
			for (const cpu of quiet.slice(3)) {
				expect(cpu).toBeGreaterThanOrEqual(0.2);
				expect(cpu).toBeLessThanOrEqual(0.5);
			}
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});

	test('the first PSS read comes a second in, not at the first sample (a spawned workload may not have exec\'d yet)', () => {
		const proc = fakeProc('Name:\tnew\nState:\tS (sleeping)\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nVmSwap:\t       0 kB\nThreads:\t1\n');
		fs.writeFileSync(path.join(proc.root, String(proc.pid), 'smaps_rollup'), '00400000-7fff [rollup]\nRss:  10240 kB\nPss:   6144 kB\nPrivate_Clean:  1024 kB\nPrivate_Dirty:  4096 kB\nSwap:  0 kB\n');
		let now = 5000;
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 10_000, now: () => now, procRoot: proc.root});
			const pssAt = (at: number): number | undefined => {
				now = at;
				const reading = sampler.sampleSync();
				return reading.kind === 'ok' ? reading.pss : undefined;
			};

			expect([pssAt(5000), pssAt(5999), pssAt(6000), pssAt(7000), pssAt(16_000)]).toEqual([undefined, undefined, 6144 * 1024, undefined, 6144 * 1024]);
			sampler.close();
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});

	test('descriptors gone because the process began to exit after its flags were read: no sample; closed by a process that runs on: 0', () => {
		const proc = fakeProc('Name:\tleaky\nState:\tS (sleeping)\nVmRSS:\t   10240 kB\nThreads:\t1\n');
		const dir = path.join(proc.root, String(proc.pid));
		fs.mkdirSync(path.join(dir, 'fd'));
		for (const fd of ['0', '1', '2']) {
			fs.writeFileSync(path.join(dir, 'fd', fd), '');
		}

		const running = fs.readFileSync(path.join(dir, 'stat'), 'latin1');
		// Field 9 (flags), the seventh after the command's closing parenthesis, with PF_EXITING set.
		const fields = running.slice(running.lastIndexOf(')') + 2).split(' ');
		fields[6] = String(Number(fields[6]) | 0x4);
		const exiting = `${running.slice(0, running.lastIndexOf(')') + 2)}${fields.join(' ')}`;
		let now = 0;
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 3_600_000, now: () => now, procRoot: proc.root});
			const fds = (): number | string | undefined => {
				now += 10_000;
				const reading = sampler.sampleSync();
				return reading.kind === 'ok' ? reading.fds : reading.kind;
			};

			expect(fds()).toBe(3);
			// The files closed, and the flags say exiting when read again after the listing (the
			// first read of stat, before it, still said running: the hook below flips it).
			for (const fd of ['0', '1', '2']) {
				fs.rmSync(path.join(dir, 'fd', fd));
			}

			const listing = fs.readdirSync;
			const spy = vi.spyOn(fs, 'readdirSync').mockImplementation(((folder: fs.PathLike, ...rest: unknown[]) => {
				if (String(folder).endsWith('/fd')) {
					fs.writeFileSync(path.join(dir, 'stat'), exiting);
				}

				return (listing as (...args: unknown[]) => unknown)(folder, ...rest);
			}) as typeof fs.readdirSync);
			try {
				expect(fds()).toBe('gone');
			} finally {
				spy.mockRestore();
				fs.writeFileSync(path.join(dir, 'stat'), running);
				sampler.close();
			}

			// A process that closes all its descriptors and runs on: 0.
			const again = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 3_600_000, now: () => now, procRoot: proc.root});
			for (const fd of ['0', '1', '2']) {
				fs.writeFileSync(path.join(dir, 'fd', fd), '');
			}

			now += 10_000;
			expect(again.sampleSync()).toMatchObject({kind: 'ok', fds: 3});
			for (const fd of ['0', '1', '2']) {
				fs.rmSync(path.join(dir, 'fd', fd));
			}

			now += 10_000;
			expect(again.sampleSync()).toMatchObject({kind: 'ok', fds: 0});
			again.close();
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});

	test('where smaps_rollup exists, PSS is read from it', () => {
		const proc = fakeProc('Name:\tnew\nState:\tS (sleeping)\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nVmSwap:\t       0 kB\nThreads:\t1\n');
		fs.writeFileSync(path.join(proc.root, String(proc.pid), 'smaps_rollup'), '00400000-7fff [rollup]\nRss:  10240 kB\nPss:   6144 kB\nPrivate_Clean:  1024 kB\nPrivate_Dirty:  4096 kB\nSwap:  0 kB\n');
		try {
			const sampler = new ProcfsSampler({target: {pid: proc.pid, startTime: proc.startTime}, children: false, pssEveryMs: 0, now: () => performance.now(), procRoot: proc.root});
			const reading = sampler.sampleSync();
			sampler.close();
			expect(reading).toMatchObject({kind: 'ok', rss: 10_240 * 1024, pss: 6144 * 1024, uss: 5120 * 1024, swap: 0});
		} finally {
			fs.rmSync(proc.root, {recursive: true, force: true});
		}
	});
});

describe('a big tree (64 processes or more)', () => {
	/** A procfs folder: a root with `count` children, each 1 MiB by status and statm. */
	function fakeTree(count: number) {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-tree-'));
		const self = fs.readFileSync('/proc/self/stat', 'latin1');
		const write = (pid: number, kib: number, children: number[] = []): void => {
			fs.mkdirSync(path.join(root, String(pid), 'task', String(pid)), {recursive: true});
			fs.writeFileSync(path.join(root, String(pid), 'stat'), self.replace(/^\d+ /, `${pid} `));
			// Three quarters anonymous, a quarter file-backed; statm's third field is the file-backed pages.
			fs.writeFileSync(path.join(root, String(pid), 'status'), `Name:\tp${pid}\nState:\tS (sleeping)\nVmHWM:\t${kib} kB\nVmRSS:\t${kib} kB\nRssAnon:\t${kib * 3 / 4} kB\nRssFile:\t${kib / 4} kB\nRssShmem:\t0 kB\nVmSwap:\t0 kB\nThreads:\t1\n`);
			fs.writeFileSync(path.join(root, String(pid), 'statm'), `1000 ${kib * 1024 / pageSize()} ${kib * 256 / pageSize()} 0 0 0 0\n`);
			fs.writeFileSync(path.join(root, String(pid), 'task', String(pid), 'children'), children.map(child => `${child} `).join(''));
		};

		const kids = Array.from({length: count}, (_, i) => 5000 + i);
		write(4242, 10_240, kids);
		for (const kid of kids) {
			write(kid, 1024);
		}

		const startTime = Number(self.slice(self.lastIndexOf(')') + 2).split(' ')[19]);
		const sampler = new ProcfsSampler({target: {pid: 4242, startTime}, children: true, pssEveryMs: 1e12, now: () => performance.now(), procRoot: root});
		return {root, write, kids, sampler};
	}

	test('a made-up process table (procRoot) has no memmon in it: a process numbered as memmon\'s own PID is read', () => {
		// A CI machine's test worker had PID 5043, and the made-up tree below (5000–5069) lost that child.
		const tree = fakeTree(2);
		try {
			tree.write(process.pid, 2048);
			tree.write(4242, 10_240, [...tree.kids, process.pid]);
			const reading = tree.sampler.sampleSync();
			expect(reading.kind === 'ok' ? reading.processes.map(p => p.pid) : reading.kind).toContain(process.pid);
			expect(reading).toMatchObject({rss: (10_240 + (2 * 1024) + 2048) * 1024});
		} finally {
			tree.sampler.close();
			fs.rmSync(tree.root, {recursive: true, force: true});
		}
	});

	test('RSS of every process within two samples (odd and even PIDs in turn); an ended child dropped at once; a new grandchild within twenty samples', () => {
		const tree = fakeTree(70);
		try {
			const sample = () => {
				const reading = tree.sampler.sampleSync();
				if (reading.kind !== 'ok') {
					throw new Error(reading.kind);
				}

				return reading;
			};

			const first = sample();
			expect(first).toMatchObject({rss: (10_240 + 70 * 1024) * 1024, processes: {length: 71}});
			expect(first.anon! + first.file! + first.shmem!).toBe(first.rss);
			// statm says 2 MiB, status still 1 MiB: the light read (statm) is what counts.
			fs.writeFileSync(path.join(tree.root, '5003', 'statm'), `1000 ${2048 * 1024 / pageSize()} ${256 * 1024 / pageSize()} 0 0 0 0\n`);
			const light = sample();
			expect(light.rss).toBe((10_240 + 71 * 1024) * 1024);
			// The parts of a light read still add up: the 1 MiB more of 5003 is anonymous (statm's shared unchanged).
			expect(light.anon! + light.file! + light.shmem!).toBe(light.rss);
			expect(light.anon! - first.anon!).toBe(1024 * 1024);
			tree.write(5003, 2048);
			// An even PID's growth shows at the next sample, the even half's turn.
			fs.writeFileSync(path.join(tree.root, '5004', 'statm'), `1000 ${2048 * 1024 / pageSize()} ${256 * 1024 / pageSize()} 0 0 0 0\n`);
			expect(sample().rss).toBe((10_240 + 72 * 1024) * 1024);
			tree.write(5004, 2048);
			// 5005 ends: gone from its parent's list and from procfs.
			tree.write(4242, 10_240, tree.kids.filter(kid => kid !== 5005));
			fs.rmSync(path.join(tree.root, '5005'), {recursive: true});
			expect(sample().processes.map(p => p.pid)).not.toContain(5005);
			// 5007 forks 6000: listed on 5007's next full turn.
			tree.write(6000, 4096);
			tree.write(5007, 1024, [6000]);
			const seen = Array.from({length: 20}, () => sample().processes.some(p => p.pid === 6000));
			expect(seen.at(-1)).toBe(true);
			expect(sample().rss).toBe((10_240 + 69 * 1024 + 2048 + 4096) * 1024);
		} finally {
			tree.sampler.close();
			fs.rmSync(tree.root, {recursive: true, force: true});
		}
	});
});

describe('macOS and Windows: the pidusage path, forced here', () => {
	test('createSampler gives pidusage when asked, with RSS and CPU, and absent Linux-only fields', async () => {
		const target = startFixture('steady.js', ['8']);
		started.push(target);
		// Node running, not the process still being exec'd (a CI run read 16 KiB of VmRSS there).
		await waitFor(() => alive(target.pid!) && vmRss(target.pid!) > 8 * 1024 * 1024, 5000, 'target');
		const identity = readIdentity(target.pid!) as {pid: number; startTime: number};
		const sampler = createSampler({target: identity, children: true, pssEveryMs: 0, now: () => performance.now(), kind: 'pidusage'});
		expect(sampler).toBeInstanceOf(PidusageSampler);
		const reading = await sampler.sample();
		sampler.close();
		expect(reading.kind).toBe('ok');
		if (reading.kind !== 'ok') {
			throw new Error(reading.kind);
		}

		const truth = vmRss(target.pid!);
		// /proc/PID/stat's RSS (what pidusage reads) is a per-CPU counter, off by a few pages.
		expect(Math.abs(reading.rss - truth)).toBeLessThan(truth * 0.2);
		expect(reading.hwm).toBeUndefined();
		expect(reading.pss).toBeUndefined();
		expect(reading.swap).toBeUndefined();
	});
});

describe('a parent with 1,000 children', () => {
	test('every child is counted (the children file is read to its end, past one page)', async () => {
		const parent = spawn('bash', ['-c', 'for i in $(seq 1000); do sleep 60 & done; wait'], {stdio: 'ignore', detached: true});
		started.push({kill: () => {
			try {
				process.kill(-parent.pid!, 'SIGKILL');
			} catch {}

			return true;
		}});
		await waitFor(() => descendants(parent.pid!, 'children').length === 1000, 45_000, '1,000 children');
		const identity = readIdentity(parent.pid!) as {pid: number; startTime: number};
		const sampler = new ProcfsSampler({target: identity, children: true, pssEveryMs: 3_600_000, now: () => performance.now(), strategy: 'children'});
		const reading = sampler.sampleSync();
		sampler.close();
		expect(reading.kind).toBe('ok');
		expect(reading.kind === 'ok' ? reading.processes.length : 0).toBe(1001);
	}, 60_000);
});
