import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {largestProcesses, type CpuTicks} from '../../source/sampler/system.js';
import {PF_EXITING, pageSize, parseMeminfo, parseStat, parseStatm, parseStatus} from '../../source/sampler/procfs.js';
import {parseSmapsRollup, parseSmapsSplit} from '../../source/sampler/smaps.js';

const status = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Tgid:\t4242
Pid:\t4242
PPid:\t1
VmPeak:\t 1068212 kB
VmSize:\t 1002676 kB
VmHWM:\t   61440 kB
VmRSS:\t   51200 kB
RssAnon:\t   40960 kB
RssFile:\t   10000 kB
RssShmem:\t     240 kB
VmSwap:\t       0 kB
Threads:\t7
`;

/** One smaps entry: its header line, then the fields memmon reads (and some it does not). */
const mapping = (header: string, rss: number, pss = rss, privateDirty = rss): string => `${header}
Size:               ${rss * 2} kB
KernelPageSize:        4 kB
Rss:                ${rss} kB
Pss:                ${pss} kB
Pss_Dirty:          ${pss} kB
Shared_Clean:          0 kB
Private_Clean:         0 kB
Private_Dirty:      ${privateDirty} kB
Swap:                  0 kB
VmFlags: rd wr mr mw me ac sd
`;

describe('procfs parsers', () => {
	test('smaps split by mapping: the parts add up to the RSS; PSS and USS from the same text', () => {
		const text = [
			mapping('55ac17071000-55ac17075000 r--p 00000000 fe:00 260368                     /usr/bin/python3.11', 1000, 500, 0),
			mapping('55ac18000000-55ac1a000000 rw-p 00000000 00:00 0                          [heap]', 20_000),
			mapping('7f0000000000-7f0000400000 rw-p 00000000 00:00 0 ', 3000),
			mapping('7f1000000000-7f1000100000 rw-s 00000000 00:01 1234                       /dev/shm/cache', 400, 200, 0),
			mapping('7f2000000000-7f2000100000 rw-s 00000000 00:01 99                         /memfd:pool (deleted)', 100),
			mapping('7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]', 132),
			mapping('7ffd10000000-7ffd10002000 r-xp 00000000 00:00 0                          [vdso]', 8, 0, 0),
		].join('');
		expect(parseSmapsSplit(text)).toEqual({
			heap: 20_000 * 1024, stack: 132 * 1024, anon: (3000 + 8) * 1024, file: 1000 * 1024, shmem: 500 * 1024,
			rss: 24_640 * 1024, pss: (500 + 20_000 + 3000 + 200 + 100 + 132) * 1024, uss: (20_000 + 3000 + 100 + 132) * 1024, swap: 0,
		});
		expect(parseSmapsSplit('')).toMatchObject({rss: 0, heap: 0});
	});

	test('status', () => {
		expect(parseStatus(status)).toEqual({
			name: 'node', state: 'S', rss: 51_200 * 1024, hwm: 61_440 * 1024, swap: 0, anon: 40_960 * 1024, file: 10_000 * 1024, shmem: 240 * 1024, threads: 7,
		});
	});

	test('status of a kernel thread has no memory fields: absent, not zero', () => {
		const parsed = parseStatus('Name:\tkthreadd\nState:\tS (sleeping)\nPid:\t2\n');
		expect(parsed.rss).toBeUndefined();
		expect(parsed.hwm).toBeUndefined();
	});

	test('statm', () => {
		expect(parseStatm('250669 12800 2500 1 0 30000 0\n', 4096)).toBe(12_800 * 4096);
		expect(parseStatm('', 4096)).toBeUndefined();
	});

	test('stat with spaces and parentheses in the name', () => {
		const fields = Array.from({length: 50}, (_, i) => String(i + 3));
		fields[4 - 3] = '77'; // Ppid
		fields[14 - 3] = '120'; // Utime
		fields[15 - 3] = '30'; // Stime
		fields[22 - 3] = '987654'; // Starttime
		fields[24 - 3] = '2560'; // Rss, pages
		fields[9 - 3] = '4194564'; // Flags: PF_EXITING (0x4) among others
		fields[0] = 'R';
		const text = `4242 (my (weird) name) ${fields.join(' ')}\n`;
		const parsed = parseStat(text);
		expect(parsed).toEqual({pid: 4242, comm: 'my (weird) name', state: 'R', ppid: 77, cpuTicks: 150, startTime: 987_654, rssPages: 2560, flags: 4_194_564});
		// An exiting process is told apart from a running one (its reading is then not recorded).
		expect(parsed!.flags & PF_EXITING).not.toBe(0);
		expect(parseStat(`1 (init) S ${Array.from({length: 50}, () => '0').join(' ')}`)!.flags & PF_EXITING).toBe(0);
	});

	test('stat that is not one', () => {
		expect(parseStat('garbage')).toBeUndefined();
		// Cut before the start time (field 22): no identity, no reading.
		expect(parseStat('12 (cut) S 1 12 12 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1')).toBeUndefined();
	});

	test('stat of a real process, negative fields included', () => {
		// A real line (a kernel thread at nice -20: priority 0, nice -20; tty_nr 0, tpgid -1).
		const text = '25 (kworker/1:0H-kblockd) I 2 0 0 0 -1 69238880 0 0 0 0 0 3 0 0 0 -20 1 0 101 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
		expect(parseStat(text)).toEqual({pid: 25, comm: 'kworker/1:0H-kblockd', state: 'I', ppid: 2, cpuTicks: 3, startTime: 101, rssPages: 0, flags: 69_238_880});
		// This process, against what ps says of it.
		const self = parseStat(fs.readFileSync('/proc/self/stat', 'latin1'))!;
		expect(self.pid).toBe(process.pid);
		expect(self.ppid).toBe(process.ppid);
		expect(self.rssPages * 4096).toBeGreaterThan(1024 * 1024);
	});

	test('smaps_rollup', () => {
		const text = `55d0c0a00000-7ffd5b3fe000 ---p 00000000 00:00 0                          [rollup]
Rss:               51200 kB
Pss:               30000 kB
Pss_Anon:          20000 kB
Shared_Clean:       8000 kB
Shared_Dirty:          0 kB
Private_Clean:      1000 kB
Private_Dirty:     20000 kB
Swap:                 12 kB
SwapPss:              12 kB
`;
		expect(parseSmapsRollup(text)).toEqual({pss: 30_000 * 1024, uss: 21_000 * 1024, swap: 12 * 1024});
	});

	test('meminfo', () => {
		const text = `MemTotal:       24000000 kB
MemFree:        10000000 kB
MemAvailable:   18000000 kB
Buffers:          100000 kB
Cached:          3000000 kB
SwapCached:            0 kB
SReclaimable:     200000 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
`;
		expect(parseMeminfo(text)).toEqual({
			total: 24_000_000 * 1024,
			available: 18_000_000 * 1024,
			used: 6_000_000 * 1024,
			free: 10_000_000 * 1024,
			buffersCache: 3_300_000 * 1024,
			swapTotal: 2_000_000 * 1024,
			swapUsed: 500_000 * 1024,
		});
	});
});

describe('the machine\'s largest processes (--system)', () => {
	/** A /proc/PID/stat line: utime and stime (fields 14, 15), start time (22), RSS in pages (24). */
	const stat = (pid: number, name: string, ticks: number, start: number, pages: number): string =>
		`${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194304 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 ${start} 100000 ${pages}\n`;

	test('by RSS, each with its CPU use since the last scan; a PID handed to a new process starts afresh', () => {
		const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-proc-'));
		const write = (pid: number, text: string): void => {
			fs.mkdirSync(path.join(proc, String(pid)), {recursive: true});
			fs.writeFileSync(path.join(proc, String(pid), 'stat'), text);
		};

		try {
			write(10, stat(10, 'db', 1000, 50, 5000));
			write(20, stat(20, 'web', 500, 60, 9000));
			write(30, stat(30, 'idle', 0, 70, 100));
			fs.mkdirSync(path.join(proc, 'self'));
			const ticks: CpuTicks = new Map();
			// The first scan has nothing to compare with.
			const first = largestProcesses(2, proc, ticks, 0);
			expect(first.map(p => [p.name, p.cpu])).toEqual([['web', undefined], ['db', undefined]]);

			// 5 s later: db used 250 ticks (2.5 s of CPU: 50% of a core), web 25 (5%); PID 30 is now
			// another process (a new start time) and has no earlier reading.
			write(10, stat(10, 'db', 1250, 50, 5000));
			write(20, stat(20, 'web', 525, 60, 9000));
			write(30, stat(30, 'cron', 400, 900, 20_000));
			const second = largestProcesses(3, proc, ticks, 5000);
			expect(second.map(p => [p.name, p.cpu])).toEqual([['cron', undefined], ['web', 5], ['db', 50]]);
			expect(second[0]!.rss).toBe(20_000 * pageSize());
			// The process gone with its old start time is forgotten.
			expect([...ticks.keys()].sort()).toEqual(['10:50', '20:60', '30:900']);
			// Named by the program it runs where its command line says: Node 24 and later call their main
			// thread, and so the process, MainThread.
			write(40, stat(40, 'MainThread', 0, 950, 30_000));
			fs.writeFileSync(path.join(proc, '40', 'cmdline'), '/usr/local/bin/node\0server.js\0');
			expect(largestProcesses(1, proc, ticks, 6000).map(p => p.name)).toEqual(['node']);
		} finally {
			fs.rmSync(proc, {recursive: true, force: true});
		}
	});
});
