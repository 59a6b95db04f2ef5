import {describe, expect, test} from 'vitest';
import {PF_EXITING, parseMeminfo, parseSmapsRollup, parseStat, parseStatm, parseStatus} from '../../source/sampler/procfs.js';

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

describe('procfs parsers', () => {
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
