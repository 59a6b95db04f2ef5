import {render} from 'ink-testing-library';
import React from 'react';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {describe, expect, test} from 'vitest';
import {chartWindow, type ChartWindow} from '../../source/ui/chart-window.js';
import {chartColumns, chartLines} from '../../source/ui/chart.js';
import {Dashboard, dashboardLines, panelRows} from '../../source/ui/dashboard.js';
import {gaugeLines} from '../../source/ui/gauge.js';
import {kindsText, quarterLine} from '../../source/ui/quarters.js';
import {statsLine, systemLine} from '../../source/ui/system.js';
import {MIB} from '../../source/units.js';
import {assess, DEFAULT_ANALYSIS, type Assessment} from '../../source/analysis/index.js';
import {leakSnapshot, leakStore} from '../helpers/snapshot.js';

function frame(width: number, height: number, overrides = {}): string {
	const store = leakStore();
	const {lastFrame, unmount} = render(<Dashboard snapshot={leakSnapshot(store, overrides)} chart={chartWindow(store, chartColumns(width), 'all')} width={width} height={height} zoom="all" paused={false} help={false}/>);
	const text = lastFrame()!;
	unmount();
	return text;
}

describe('Dashboard', () => {
	test('the exact frame at 80×24', () => {
		expect(frame(80, 23)).toBe([
			'memmon · demo · PID 4242 +1 · node… ● live 59s / 10m 00s · every 1s · 60 samples',
			' 105.0 MiB┼                                                 ╭─────────',
			' 104.3 MiB┤                                       ╭─────────╯',
			' 103.6 MiB┤                                       │',
			' 102.9 MiB┤                             ╭─────────╯',
			' 102.1 MiB┤                   ╭─────────╯',
			' 101.4 MiB┤                   │',
			' 100.7 MiB┤         ╭─────────╯',
			' 100.0 MiB┼─────────╯',
			'          └────────────────────────────────────────────────────────────────────',
			'           0s                                                       59s',
			'Quarters  Q1 100 MiB │ Q2 +1.3 MiB │ Q3 +3.0 MiB │ Q4 +4.3 MiB',
			'Growth  ────────────────────────────────────────────●  now +346 MiB/h  UNDECIDED',
			'        rising — warm-up or leak? can\'t tell yet, at least 24 min more if it ke…',
			'Now 105 MiB  Peak 105 MiB (HWM 106 MiB)  Min 100 MiB  PSS 90.0 MiB  USS 80.0 MiB',
			'System    used 4.00 GiB of 24.00 GiB (17%) · available 20.00 GiB',
			'Processes (2)          PID        RSS     CPU',
			'  node                4242   95.0 MiB    2.0%',
			'  worker              4243   10.0 MiB    0.5%',
			'Workload output (workload.log)',
			'│ listening on 127.0.0.1:4000',
			'│ GET /items 200 3ms',
			'q quit+report  r report  m mark  p pause  z zoom (all)  ? help',
		].join('\n'));
	});

	test('--heap-snapshots: what grew in the heap takes one line above the workload\'s output, cut to the width', () => {
		const store = leakStore(300);
		const heapLine = 'Heap  +9,300 LeakySession (retain 3.0 MiB), +65,107 (concatenated string) (retain 2.4 MiB) · held by global.sessions → Array[0] → LeakySession';
		const width = 100;
		const plain = dashboardLines({snapshot: leakSnapshot(store), chart: chartWindow(store, chartColumns(width), 'all'), width, height: 39, zoom: 'all', paused: false, help: false});
		const lines = dashboardLines({snapshot: leakSnapshot(store, {heapLine}), chart: chartWindow(store, chartColumns(width), 'all'), width, height: 39, zoom: 'all', paused: false, help: false});
		expect(lines).toHaveLength(39);
		const at = lines.findIndex(line => line.startsWith('Heap  '));
		expect(lines[at]).toBe(`${heapLine.slice(0, width - 1)}…`);
		expect(lines[at + 1]).toMatch(/^Workload output/);
		// The log's area gave up a row for it; everything above is as it was, and the log's lines (two,
		// with room to spare) are all still there.
		expect(lines.slice(0, at)).toEqual(plain.slice(0, at));
		expect(lines.filter(line => line.startsWith('│ '))).toEqual(plain.filter(line => line.startsWith('│ ')));
	});

	test('an attached process\'s heap line (no workload output) takes a row of the chart, above the keys', () => {
		const store = leakStore(300);
		const heapLine = 'Heap  +2,735 Buffer (retain 929 KiB)';
		const width = 100;
		const attached = {spawned: false, logTail: []};
		const plain = dashboardLines({snapshot: leakSnapshot(store, attached), chart: chartWindow(store, chartColumns(width), 'all'), width, height: 39, zoom: 'all', paused: false, help: false});
		const lines = dashboardLines({snapshot: leakSnapshot(store, {...attached, heapLine}), chart: chartWindow(store, chartColumns(width), 'all'), width, height: 39, zoom: 'all', paused: false, help: false});
		expect(lines).toHaveLength(39);
		expect(lines.at(-2)).toBe(heapLine.padEnd(width));
		expect(lines.at(-1)).toBe(plain.at(-1));
		// The chart gave up the row: one value row fewer.
		const valueRows = (frame: string[]) => frame.filter(line => /^ *[\d.]+ [KMG]?i?B[┼┤]/.test(line)).length;
		expect(valueRows(lines)).toBe(valueRows(plain) - 1);
	});

	test.each([[80, 23], [120, 39], [200, 59], [60, 15], [40, 8], [30, 3], [29, 10], [15, 10], [8, 2], [1, 1]])('exactly %i×%i, never wider or taller', (width, height) => {
		const store = leakStore(300);
		const lines = dashboardLines({snapshot: leakSnapshot(store), chart: chartWindow(store, chartColumns(width), 'all'), width, height, zoom: 'all', paused: false, help: false});
		expect(lines).toHaveLength(height);
		for (const line of lines) {
			expect(stringWidth(line)).toBe(width);
		}
	});

	test('below 30 columns: the figures without the chart, each line cut to fit', () => {
		const store = leakStore(300);
		const lines = dashboardLines({snapshot: leakSnapshot(store), chart: chartWindow(store, chartColumns(20), 'all'), width: 20, height: 6, zoom: 'all', paused: false, help: false});
		expect(lines[0]).toMatch(/^memmon \d.*$/);
		expect(lines[1]).toMatch(/^RSS [\d.]+ (MiB|GiB) *$/);
		expect(lines[2]).toMatch(/^[A-Z]+ *$/);
		expect(lines.slice(4).every(line => line.trim() === '')).toBe(true);
	});

	test('the chart gets the rows a bigger terminal has', () => {
		expect(panelRows(23, 2, true).chart).toBe(8);
		expect(panelRows(59, 2, true).chart).toBeGreaterThan(20);
		expect(panelRows(59, 1, false)).toMatchObject({processes: 0, log: 0});
	});

	test('an ended run and a disk error show in the key bar', () => {
		expect(frame(100, 23, {ended: 'target exited (exit code 0)'}).split('\n').at(-1)).toMatch(/target exited \(exit code 0\)$/);
		expect(frame(100, 23, {diskError: 'ENOSPC'}).split('\n').at(-1)).toMatch(/cannot write samples: ENOSPC \(retrying\)$/);
	});

	test('help replaces the panels', () => {
		const store = leakStore();
		const lines = dashboardLines({snapshot: leakSnapshot(store), chart: chartWindow(store, 60, 'all'), width: 100, height: 23, zoom: 'all', paused: false, help: true});
		expect(lines[1]!.trim()).toBe('memmon: keys');
		expect(lines.join('\n')).toContain('Reports go to /tmp/reports/demo-20260101-000000');
		expect(lines).toHaveLength(23);
	});

	test('the gates given show under the gauge, as the run would end now; without them, no line', () => {
		// The verdict decides the exit code only without gates: with --max-growth the screen showed
		// nothing of the gate that would fail the run in CI.
		const store = leakStore();
		const width = 120;
		const at = (snapshot: ReturnType<typeof leakSnapshot>): string[] => dashboardLines({snapshot, chart: chartWindow(store, chartColumns(width), 'all'), width, height: 30, zoom: 'all', paused: false, help: false}).map(line => stripAnsi(line));
		const plain = at(leakSnapshot(store));
		expect(plain.some(line => line.startsWith('Gates'))).toBe(false);
		const gated = at(leakSnapshot(store, {assessment: assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 4 * MIB, maxRate: MIB})}));
		expect(gated).toHaveLength(30);
		const line = gated.findIndex(text => text.startsWith('Gates'));
		expect(gated[line]!.trimEnd()).toMatch(/^Gates {3}growth FAIL 5\.0\d? MiB since the first sample \(≤ 4\.0 MiB\) · rate UNDECIDED \(≤ \+1\.00 MiB\/h\)$/);
		// Right under the gauge; the chart gave up the row, and what follows is as it was.
		expect(gated[line - 1]).toBe(plain[line]);
		expect(gated[line - 1]).toMatch(/^ {8}\S/);
		expect(gated.slice(line + 1)).toEqual(plain.slice(line + 1));
		const passing = at(leakSnapshot(store, {assessment: assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 50 * MIB})}));
		expect(passing.find(text => text.startsWith('Gates'))?.trimEnd()).toMatch(/^Gates {3}growth PASS 5\.0\d? MiB since the first sample \(≤ 50\.0 MiB\)$/);
	});

	test('the Processes panel gives each process\'s change since a second after it started, where it has one', () => {
		const store = leakStore();
		const width = 80;
		const lines = (snapshot: ReturnType<typeof leakSnapshot>): string[] => dashboardLines({snapshot, chart: chartWindow(store, chartColumns(width), 'all'), width, height: 24, zoom: 'all', paused: false, help: false});
		const plain = lines(leakSnapshot(store));
		const withFirst = lines(leakSnapshot(store, {processFirst: new Map([[4242, 60 * MIB]])}));
		const at = withFirst.findIndex(line => line.startsWith('Processes'));
		expect(withFirst.slice(at, at + 3).map(line => line.trimEnd())).toEqual([
			'Processes (2)          PID        RSS           Δ     CPU',
			'  node                4242   95.0 MiB   +35.0 MiB    2.0%',
			'  worker              4243   10.0 MiB           —    0.5%',
		]);
		// Without first levels (--system, or none a second old yet): no column.
		expect(plain[at]!.trimEnd()).toBe('Processes (2)          PID        RSS     CPU');
	});

	test('under a cgroup memory limit the System line gives it first, with the share of it the target holds', () => {
		// The machine's 20 GiB available is the host's: the limit is what the kernel kills at.
		const limited = leakSnapshot(leakStore(), {memoryLimit: 512 * MIB, elapsedMs: 3 * 3600 * 1000});
		// The limit's room lasts about an hour at the rate the gauge shows: said with the limit.
		expect(systemLine(limited, 120).trimEnd()).toBe('System    used 4.00 GiB of 24.00 GiB (17%) · limit 512 MiB (cgroup, RSS at 21%, full in about 1h 11m at +346 MiB/h)');
		expect(systemLine(leakSnapshot(), 120).trimEnd()).toBe('System    used 4.00 GiB of 24.00 GiB (17%) · available 20.00 GiB · cache 2.00 GiB · swap 0 B of 0 B');
		// --system: memmon's own limit (a container's), beside the host's figures.
		expect(statsLine(leakSnapshot(leakStore(), {mode: 'system', memoryLimit: 2048 * MIB}), 120)).toMatch(/^Used 105 MiB of 24\.00 GiB \(0%\) {2}Limit 2\.00 GiB \(cgroup\) {2}Available 20\.00 GiB/);
	});

	test('what is left lasts so long at the gauge\'s rate: said within a day, when the bounds are sure it grows', () => {
		const store = leakStore();
		// Three hours watched: a projection up to a day ahead is said.
		const base = leakSnapshot(store, {elapsedMs: 3 * 3600 * 1000});
		const system = {...base.system!, available: 2 * 1024 * MIB};
		// 2 GiB at +346 MiB/h.
		expect(systemLine({...base, system}, 160).trimEnd()).toBe('System    used 4.00 GiB of 24.00 GiB (17%) · available 2.00 GiB (gone in about 5h 55m at +346 MiB/h) · cache 2.00 GiB · swap 0 B of 0 B');
		// A minute watched: only what comes within the hour (a line extrapolated 360 times over said
		// nothing worth knowing).
		expect(systemLine({...base, system, elapsedMs: 60_000}, 160)).not.toMatch(/gone in|full in/);
		expect(systemLine({...base, system: {...system, available: 300 * MIB}, elapsedMs: 60_000}, 160)).toMatch(/available 300 MiB \(gone in about 52 min at \+346 MiB\/h\)/);
		// 20 GiB would last 59 hours: nothing said.
		expect(systemLine(base, 160)).not.toMatch(/gone in|full in/);
		// A rate the bounds are not sure is growth: nothing said.
		const unsure = {...base.assessment, growth: {...base.assessment.growth, low: -1 * MIB}};
		expect(systemLine({...base, system, assessment: unsure}, 160)).not.toMatch(/gone in|full in/);
		// Under a limit with less room than the machine has: the limit's.
		// --system: the machine's used memory grows into its available; a limit there is memmon's own container's.
		expect(statsLine({...base, mode: 'system', system, memoryLimit: 1024 * MIB}, 200)).toMatch(/ {2}Available 2\.00 GiB \(gone in about 5h 55m at \+346 MiB\/h\) {2}Cache /);
		expect(systemLine({...base, system, memoryLimit: 1024 * MIB}, 200)).toMatch(/limit 1\.00 GiB \(cgroup, RSS at 10%, full in about 2h 40m at \+346 MiB\/h\) · available 2\.00 GiB · /);
	});

	test('--system: no PID, the machine\'s figures, and its largest processes', () => {
		const lines = frame(120, 30, {
			mode: 'system',
			target: 'system memory of build-7',
			children: false,
			spawned: false,
			now: {rss: 4 * 1024 ** 3, swap: 0, processes: [{pid: 1, name: 'init', rss: 9 * 1024 ** 2}, {pid: 77, name: 'postgres', rss: 2 * 1024 ** 3}]},
		}).split('\n');
		expect(lines[0]).toMatch(/^memmon · demo · system memory of build-7 +● live/);
		// One line for the machine, what `free -h` gives first; no System line saying it again.
		expect(lines.find(line => line.startsWith('Used '))).toBe('Used 4.00 GiB of 24.00 GiB (17%)  Available 20.00 GiB  Cache 2.00 GiB  Swap 0 B of 0 B  Peak 105 MiB  Min 100 MiB');
		expect(lines.some(line => line.startsWith('System '))).toBe(false);
		const heading = lines.findIndex(line => line.startsWith('Top processes (2)'));
		expect(lines[heading + 1]).toMatch(/^ {2}init +1 +9\.0 MiB/);
	});

	test('the growth line follows each new verdict, rate and width (it is kept between frames)', () => {
		const growthLine = (width: number, growth: Partial<Assessment['growth']>): string => {
			const snapshot = leakSnapshot();
			const assessment = {...snapshot.assessment, growth: {...snapshot.assessment.growth, ...growth}};
			return stripAnsi(gaugeLines(assessment, width)[0]);
		};

		// A minute of fast growth: undecided, the rate a reading ("now"), the reason on the next line.
		expect(growthLine(80, {})).toBe('Growth  ────────────────────────────────────────────●  now +346 MiB/h  UNDECIDED');
		const failing = growthLine(80, {verdict: 'failure', rate: 346 * MIB, low: 300 * MIB, high: 372 * MIB, note: undefined});
		expect(failing).toBe('Growth  ──────────────────────────────────────────────────●  +346 MiB/h  FAILURE');
		const flat = {rate: 0.2 * MIB, low: 0.1 * MIB, high: 0.5 * MIB, verdict: 'acceptable' as const};
		expect(growthLine(80, flat)).toBe('Growth  ─[─●───]───────────────────────────────────────  +0.20 MiB/h  ACCEPTABLE');
		expect(growthLine(80, {...flat, high: 0.9 * MIB})).toBe('Growth  ─[─●──────────]────────────────────────────────  +0.20 MiB/h  ACCEPTABLE');
		expect(growthLine(80, {...flat, high: 2 * MIB, verdict: 'undecided' as const})).toMatch(/^Growth {2}─\[─?●─+\]─+ {2}now \+0\.20 MiB\/h {2}UNDECIDED$/);
		expect(growthLine(60, flat)).toHaveLength(60);
		expect(growthLine(80, {verdict: 'failure', rate: 346 * MIB, low: 300 * MIB, high: 372 * MIB, note: undefined})).toBe(failing);
	});

	test('a PSS reading a minute old or more says how old (a big process is read minutes apart)', () => {
		const now = {rss: 300 * MIB, processes: []};
		expect(frame(120, 23, {now, pss: {pss: 283 * MIB, uss: 281 * MIB, ageMs: 59_000}})).toContain('PSS 283 MiB  USS 281 MiB  Swap');
		expect(frame(120, 23, {now, pss: {pss: 283 * MIB, uss: 281 * MIB, ageMs: 190_000}})).toContain('PSS 283 MiB  USS 281 MiB (3 min ago)  Swap');
		// Whole minutes passed, never more: 2m 31s is "2 min ago".
		expect(frame(120, 23, {now, pss: {pss: 283 * MIB, uss: 281 * MIB, ageMs: 151_000}})).toContain('USS 281 MiB (2 min ago)');
	});

	test('a PSS reading above the RSS now (read before the workload exited) says how old, however recent', () => {
		const exited = {now: {rss: 3.4 * MIB, processes: []}};
		expect(frame(120, 23, {...exited, pss: {pss: 73.8 * MIB, uss: 56.7 * MIB, ageMs: 35_500}})).toContain('PSS 73.8 MiB  USS 56.7 MiB (35s ago)  Swap');
		expect(frame(120, 23, {...exited, pss: {pss: 3.1 * MIB, uss: 2.5 * MIB, ageMs: 35_500}})).toContain('PSS 3.1 MiB  USS 2.5 MiB  Swap');
	});

	test('absent figures are shown as —, never as 0', () => {
		const text = frame(120, 23, {pss: undefined, now: {rss: 1024 * 1024, processes: []}, system: undefined});
		expect(text).toContain('PSS —  USS —  Swap —  CPU —');
		expect(text).toContain('System    —');
	});
});

describe('columns', () => {
	test('the fast path agrees with string-width on what the screen draws', async () => {
		const {columns} = await import('../../source/ui/text.js');
		for (const text of ['plain', ' 105.0 MiB┼──╮ ╰╯│', 'Δ +1.2 MiB · −3 ● […] ❚❚', '\u001B[36mcyan\u001B[39m', '漢字 and 🙂 emoji', '']) {
			expect(columns(text)).toBe(stringWidth(text));
		}
	});

	test('the fast cut agrees with cli-truncate on what the screen shows, colours kept and closed', async () => {
		const {fit} = await import('../../source/ui/text.js');
		const {default: cliTruncate} = await import('cli-truncate');
		const {default: stripAnsi} = await import('strip-ansi');
		for (const [text, width] of [['Theil–Sen after warm-up · need 1 more points of data · quarters +12.4 MiB/h', 40], ['\u001B[32m────\u001B[39m\u001B[31m●──\u001B[39m  +3.20 MiB/h', 6], ['abc', 1], ['漢字 and 🙂 emoji everywhere', 9]] as const) {
			const cut = fit(text, width);
			expect(stripAnsi(cut)).toBe(stripAnsi(cliTruncate(text, width, {position: 'end'})));
			expect(stringWidth(cut)).toBe(width);
		}

		expect(fit('\u001B[31mred text here\u001B[39m', 5)).toBe('\u001B[31mred …\u001B[0m');
	});
});

describe('chart', () => {
	const window = (values: number[]): ChartWindow => ({values, from: 0, to: values.length, marks: []});
	const mib = 1024 * 1024;
	const base = [100, 100.2, 100.4, 100.6, 100.8, 101, 101.2, 101.4].map(v => v * mib);

	test('a sample that moves no column to another row draws the same chart; one that does, a new one', () => {
		const first = chartLines(window(base), 40, 8);
		// 1 KiB on the last column: far less than a row (0.14 MiB here), within the range.
		const nudged = chartLines(window([...base.slice(0, -1), base.at(-1)! - 1024]), 40, 8);
		expect(nudged.slice(0, 8)).toEqual(first.slice(0, 8));
		// The fourth column drops to the bottom row: a different plot.
		const moved = [...base];
		moved[3] = base[0]!;
		const changed = chartLines(window(moved), 40, 8);
		expect(changed.slice(0, 8)).not.toEqual(first.slice(0, 8));
		// And the plot does not depend on what was drawn before it.
		expect(chartLines(window(base), 40, 8)).toEqual(first);
		chartLines(window(base), 60, 8);
		expect(chartLines(window(moved), 40, 8)).toEqual(changed);
	});
});

test('bounds that ran off the data are said as such, or as the one side that is known', () => {
	const base = leakSnapshot(leakStore(300)).assessment;
	const line = (low: number, high: number, verdict: Assessment['growth']['verdict'] = 'undecided'): string => stripAnsi(gaugeLines({...base, growth: {...base.growth, verdict, note: 'can\'t tell yet', low, high}}, 160)[1]!);
	expect(line(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toContain('95% so far: not yet bounded: the rise is still curving');
	expect(line(2 * MIB, Number.POSITIVE_INFINITY, 'leak')).toContain('95%: above +2.00 MiB/h');
	expect(line(Number.NEGATIVE_INFINITY, 7 * MIB)).toContain('95% so far: below +7.00 MiB/h');
	expect(line(1 * MIB, 3 * MIB)).not.toMatch(/—|Infinity/);
});

test('the line under the gauge says each part whole, shorter where it must, or leaves it out', () => {
	const base = leakSnapshot(leakStore(300)).assessment;
	const note = 'rising — warm-up or leak? can\'t tell yet, at least 22 min more if it keeps rising';
	const line = (width: number): string => stripAnsi(gaugeLines({...base, quarters: undefined, growth: {...base.growth, verdict: 'undecided', note, low: 112 * MIB, high: 141 * MIB, warmupEnd: undefined}}, width)[1]!).trimEnd();
	expect(line(160)).toBe(`        ${note} · 95% so far: +112 … +141 MiB/h · bands 1.00 · 5.00 MiB/h`);
	// At 120 columns the whole line was cut to "+141 MiB…".
	expect(line(120)).toBe(`        ${note} · 95%: +112…+141 MiB/h`);
	expect(line(100)).toBe(`        ${note}`);
	// The first part alone is cut when nothing else fits.
	expect(line(60)).toMatch(/^ {8}rising — warm-up or leak\? .+…$/);
});

test('a warm-up whose end is not found yet is said as how long it has lasted so far', () => {
	const base = leakSnapshot(leakStore(300)).assessment;
	const line = (warmupOpen: boolean | undefined): string => stripAnsi(gaugeLines({...base, growth: {...base.growth, warmupEnd: 150, warmupOpen}}, 200)[1]!);
	expect(line(undefined)).toMatch(/ · warm-up 2m 30s · /);
	expect(line(true)).toMatch(/ · warm-up 2m 30s so far · /);
});

describe('the figures line', () => {
	test('threads and descriptors: the count alone while steady, first→now once it changed', () => {
		const steady = statsLine(leakSnapshot(leakStore(), {threads: {first: 4, last: 4, peak: 4}, fds: {first: 12, last: 12, peak: 15}}), 160);
		expect(steady).toMatch(/ Threads 4 {2}FDs 12 *$/);
		const leaking = statsLine(leakSnapshot(leakStore(), {threads: {first: 4, last: 140, peak: 140}, fds: {first: 12, last: 900, peak: 900}}), 160);
		// Changed, they come right after the peak: a narrow screen cuts the end of the line first.
		expect(leaking).toMatch(/^Now \S+ MiB {2}Peak .+? {2}Threads 4→140 {2}FDs 12→900 {2}Min /);
		expect(statsLine(leakSnapshot(leakStore(), {threads: undefined, fds: undefined}), 160)).toMatch(/ Threads — {2}FDs — *$/);
	});

	test('the kernel\'s peak only where it saw more than the samples did', () => {
		const store = leakStore();
		expect(statsLine(leakSnapshot(store), 160)).toMatch(/Peak 105 MiB \(HWM 106 MiB\)/);
		expect(statsLine(leakSnapshot(store, {hwm: store.max!.value}), 160)).toMatch(/Peak 105 MiB {2}Min/);
	});
});

describe('which kind of memory grew', () => {
	test('the one or two kinds that grew, largest first; nothing when none grew a MiB', () => {
		expect(kindsText({anon: 18 * MIB, file: 2.1 * MIB, shmem: 0})).toBe('grew: anon +18.0 MiB, file +2.1 MiB');
		// A tenth of the largest at least: a small rise beside a big one is noise.
		expect(kindsText({anon: 100 * MIB, file: 2 * MIB, shmem: 0})).toBe('grew: anon +100 MiB');
		expect(kindsText({anon: 0.5 * MIB, file: -MIB, shmem: 0})).toBe('');
		expect(kindsText(undefined)).toBe('');
		// The root's malloc heap, part of anon, named when it is among the two that grew most.
		expect(kindsText({anon: 18 * MIB, file: 0.2 * MIB, shmem: 0}, 16 * MIB)).toBe('grew: anon +18.0 MiB, [heap] +16.0 MiB');
		expect(kindsText({anon: 18 * MIB, file: 4 * MIB, shmem: 0}, 0.5 * MIB)).toBe('grew: anon +18.0 MiB, file +4.0 MiB');
	});

	test('on the quarters line, after the quarters', () => {
		const line = quarterLine(leakSnapshot().quarters, 120, {anon: 39 * MIB, file: 0, shmem: 0});
		expect(line).toMatch(/^Quarters {2}Q1 .+ │ Q4 \+[\d.]+ MiB {2}· {2}grew: anon \+39\.0 MiB *$/);
	});

	test('a narrow screen shows the kind that grew most, or none, never one cut short', () => {
		const quarters = leakSnapshot().quarters;
		const kinds = {anon: 6.6 * MIB, file: 0, shmem: 0};
		const wide = quarterLine(quarters, 200, kinds, 3.9 * MIB).trimEnd();
		expect(wide).toMatch(/ {2}· {2}grew: anon \+6\.6 MiB, \[heap\] \+3\.9 MiB$/);
		// At the width of "[heap] +3.9" the line was cut to "[heap] +3.…".
		const both = wide.length;
		expect(quarterLine(quarters, both - 4, kinds, 3.9 * MIB).trimEnd()).toMatch(/ {2}· {2}grew: anon \+6\.6 MiB$/);
		const quartersOnly = wide.slice(0, wide.indexOf('  ·  '));
		expect(quarterLine(quarters, quartersOnly.length + 10, kinds, 3.9 * MIB).trimEnd()).toBe(quartersOnly);
	});
});
