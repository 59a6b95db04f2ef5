/** `memmon compare`: two implementations of one workload, side by side, with % differences. */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fixture, onlyRunDir, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

/** A run folder as memmon leaves one: run.json with its label, samples.csv every 100 ms from `rss(t)`. */
function craft(label: string, seconds: number, rss: (t: number) => number): string {
	const folder = path.join(dir, label);
	fs.mkdirSync(folder, {recursive: true});
	fs.writeFileSync(path.join(folder, 'run.json'), `${JSON.stringify({label, interval_seconds: 0.1})}\n`);
	const lines = Array.from({length: Math.round(seconds * 10) + 1}, (_, i) => `${(i / 10).toFixed(1)},${Math.round(rss(i / 10))}`);
	fs.writeFileSync(path.join(folder, 'samples.csv'), `t_seconds,rss_bytes\n${lines.join('\n')}\n`);
	return folder;
}

const MIB = 1024 * 1024;
/** A program that loads `mib` MiB over its first 0.3 s and holds it, with a little jitter. */
const holding = (mib: number) => (t: number): number => (30 * MIB) + (mib * MIB * Math.min(1, t / 0.3)) + ((Math.round(t * 10) % 3) * 64 * 1024);

test('footprints with % differences, a verdict line, and the folders left untouched', async () => {
	const small = craft('small', 2, holding(10));
	const big = craft('big', 2, holding(60));
	const contents = (folder: string): string[] => fs.readdirSync(folder).sort().map(name => `${name}\n${fs.readFileSync(path.join(folder, name), 'utf8')}`);
	const before = contents(big);
	const result = await runCli(['compare', small, big]);
	expect(result.code).toBe(0);
	const lines = result.stdout.split('\n');
	expect(lines[0]).toMatch(/^ +small +big +B against A$/);
	// At the start both are still loading (the 50 MiB is held a moment later): no difference asserted.
	// (B's value alone: the last column says the difference.)
	expect(lines[1]).toMatch(/^initial ¹ +[\d.]+ MiB +[\d.]+ MiB +(\d+% (more|less)|about the same)$/);
	expect(lines[2]).toMatch(/^under load ² +[\d.]+ MiB +[\d.]+ MiB +\d+% more$/);
	expect(lines[3]).toMatch(/^peak +[\d.]+ MiB +[\d.]+ MiB +\d+% more$/);
	expect(result.stdout).toContain('¹ initial: the median RSS over 2–10% of the run after its start-up');
	expect(result.stdout).toContain('² under load: the mean RSS after any warm-up, until the workload ended');
	// Two runs fit 80 columns.
	expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(80);
	expect(result.stdout).toMatch(/^big uses \d+% more memory at peak than small \(\+\d+% under load\)\.$/m);
	expect(contents(big)).toEqual(before);

	// Three runs have no conclusion column: each value after the first carries its % from the first.
	const three = (await runCli(['compare', small, big, big])).stdout.split('\n');
	expect(three[0]).not.toContain('B against A');
	expect(three[2]).toMatch(/^under load ² +[\d.]+ MiB +[\d.]+ MiB \+\d+% +[\d.]+ MiB \+\d+%$/);

	const markdown = (await runCli(['compare', '--markdown', small, big])).stdout;
	expect(markdown).toMatch(/^\| \| small \| big \| B against A \|\n\|---\|---:\|---:\|---\|\n\| initial ¹ \| /);
	const json = JSON.parse((await runCli(['compare', '--json', small, big])).stdout) as {runs: Array<{label: string; peak: number}>; definitions: string[]; summary: string[]};
	expect(json.definitions).toHaveLength(3);
	expect(json.runs.map(row => row.label)).toEqual(['small', 'big']);
	// 50 MiB more held: the peak difference is at least that.
	expect(json.runs[1]!.peak - json.runs[0]!.peak).toBeGreaterThan(45 * 1024 * 1024);
});

test('operations as a unit: --ops-pattern counts them from the output, reports and compare give growth per 100K operations', async () => {
	const runOps = async (label: string, leak: boolean): Promise<string> => {
		const reports = path.join(dir, label);
		const result = await runCli(['--interval', '100ms', '--ops-pattern', 'done (\\d+) ops', '--label', label, '--report-dir', reports, '--', process.execPath, fixture('ops-worker.js'), '30000', ...leak ? ['--leak'] : []]);
		expect(result.code).toBe(0);
		expect(/^ *Per 100K operations.*$/m.exec(result.stderr)?.[0]).toMatch(/Per 100K operations +[+−±][\d.]+ (MiB|KiB|B) +(30,000 operations$|2\d,000 operations since the first count at (\d+ms|[\d.]+s)$|[\d,]+ operations since (the warm-up's end at|start-up ended at) (\d+ms|[\d.]+s)$)/m);
		return onlyRunDir(reports);
	};

	// One after the other: at once, the start-up of each slowed the other's, and what a warm-up cut
	// leaves of Node's start-up moved the growth per 100K operations past its bound (609 MiB).
	const clean = await runOps('clean', false);
	const leaky = await runOps('leaky', true);
	const report = JSON.parse(fs.readFileSync(path.join(leaky, 'report.json'), 'utf8')) as {operations: number; growth_per_100k_operations_bytes: number; operations_counted_from: {t_seconds: number; operations: number}};
	expect(report.operations).toBe(30_000);
	// The first count, anchored to a sample taken as it came, within the first seconds ("done 1000
	// ops", or a later line where one came before that sample: the count the sample saw).
	expect(report.operations_counted_from.operations % 1000).toBe(0);
	expect(report.operations_counted_from.operations).toBeLessThanOrEqual(3000);
	expect(report.operations_counted_from.t_seconds).toBeLessThan(3);
	// Counted from there, unless a warm-up was cut later: then growth and operations since its end.
	expect(fs.readFileSync(path.join(leaky, 'report.txt'), 'utf8')).toMatch(/Per 100K operations +\+[\d.]+ MiB +(2\d,000 operations since the first count at (\d+ms|[\d.]+s)|[\d,]+ operations since (the warm-up's end at|start-up ended at) (\d+ms|[\d.]+s))\n/);
	// 4 KiB kept per operation: ~390 MiB per 100K operations, and the heap around them (beside four
	// busy loops: Node 20 436–439, 22 421–423, 24 465–466, 26 462–464). Node's own start-up is not
	// counted: with it (the first sample, at exec, 12–20 MiB) the figure was 520–590, and where a
	// loaded machine slowed the loading past what startup.ts tells apart, 460 here and 530 in a CI
	// run — so it counts from the first count. Where a warm-up was cut after it, growth since its end
	// over every operation since the first count read 124 in a CI run: the operations now count from
	// the same moment.
	expect(report.growth_per_100k_operations_bytes / 1024 / 1024).toBeGreaterThan(0.8 * 390);
	expect(report.growth_per_100k_operations_bytes / 1024 / 1024).toBeLessThan(1.3 * 390);
	// The Markdown (a CI step summary) and HTML reports give the same figure.
	const perOps = /^ {2}Per 100K operations +(\+[\d.]+ MiB) +(.+)$/m.exec(fs.readFileSync(path.join(leaky, 'report.txt'), 'utf8'))!;
	expect(fs.readFileSync(path.join(leaky, 'report.md'), 'utf8')).toContain(`| Per 100K operations | ${perOps[1]} | ${perOps[2]} |`);
	expect(fs.readFileSync(path.join(leaky, 'report.html'), 'utf8')).toContain(`Per 100K operations</td><td class="n">${perOps[1]} (${perOps[2]!.replaceAll("'", '&#39;')})`);
	// The counts as they came, each with its sample's time, kept for a later warm-up's end.
	const counts = (report as unknown as {operation_counts: Array<[number, number]>}).operation_counts;
	expect(counts.length).toBeGreaterThan(20);
	expect(counts[0]).toEqual([report.operations_counted_from.t_seconds, report.operations_counted_from.operations]);
	expect(counts.at(-1)![1]).toBe(30_000);
	// A warm-up cut at 1.5 s: growth since then, over the operations since then (about half of them),
	// read off those counts by analyze: still ~390 per 100K, not the half of it growth over all gives.
	const cut = path.join(dir, 'leaky-cut');
	fs.cpSync(leaky, cut, {recursive: true});
	expect((await runCli(['analyze', '--warmup', '1.5s', cut])).code).not.toBe(2);
	const recut = JSON.parse(fs.readFileSync(path.join(cut, 'report.json'), 'utf8')) as {growth_per_100k_operations_bytes: number; operations_since: string; operations_since_seconds: number};
	// (The cut lands on the sample buckets' edge: 1.5–1.6 s.)
	expect(recut.operations_since).toBe('warm-up');
	expect(recut.operations_since_seconds).toBeGreaterThanOrEqual(1.5);
	expect(recut.operations_since_seconds).toBeLessThan(1.8);
	expect(recut.growth_per_100k_operations_bytes / 1024 / 1024).toBeGreaterThan(0.8 * 390);
	expect(recut.growth_per_100k_operations_bytes / 1024 / 1024).toBeLessThan(1.3 * 390);
	// analyze --json gives the same figure.
	const line = JSON.parse((await runCli(['analyze', '--json', '--warmup', '1.5s', cut])).stdout) as {growth_per_100k_operations_bytes: number};
	expect(line.growth_per_100k_operations_bytes).toBeCloseTo(recut.growth_per_100k_operations_bytes, 3);
	const compared = await runCli(['compare', clean, leaky]);
	// The clean run may have grown by nothing at all: then there is no percentage to give.
	expect(compared.stdout).toMatch(/^per 100K ops +[+−±][\d.]+ (MiB|KiB|B) +\+[\d.]+ MiB +(\d+% more|\d+× as much|more \(A(: none| shrank)\))$/m);
	expect((await runCli(['--ops', 'many', '--', 'true'])).stderr).toBe('memmon: --ops many is not a count of operations: use e.g. --ops 100000 or --ops 100K\n');
});

test('runs of different length are compared, but it says so first', async () => {
	const short = craft('short', 1, holding(10));
	const long = craft('long', 3, holding(10));
	const result = await runCli(['compare', short, long]);
	expect(result.stdout).toMatch(/^Note: the runs differ in length \(short 1(\.\d)?s, long 3(\.\d)?s\): growth and peak are not like for like\.$/m);
});

test('growth rates are compared only where both runs have a rate with bounds', async () => {
	// Seconds of samples: too few points after start-up for a rate, however fast one of them grows.
	const flat = craft('brief-flat', 1.2, holding(5));
	const rising = craft('brief-rising', 1.2, t => (30 * MIB) + (t * 20 * MIB));
	const result = await runCli(['compare', flat, rising]);
	expect(result.stdout).toMatch(/^rate +— +— +run longer to tell$/m);
	expect(result.stdout).toMatch(/^Growth rates cannot be compared yet: brief-flat and brief-rising have no rate with bounds \(run longer\)\.$/m);
	expect(result.stdout).not.toMatch(/Growth rates differ/);
});

test('fewer than two runs, or a folder that is not a run: usage errors', async () => {
	expect((await runCli(['compare', dir])).stderr).toMatch(/^memmon: compare needs at least two run folders/);
	const notRun = await runCli(['compare', dir, dir]);
	expect(notRun.code).toBe(2);
	expect(notRun.stderr).toMatch(/is not a memmon run folder \(no samples\.csv\): give the folders of the runs to compare\n$/);
});

test('two runs of one program, one label: each is named by its run folder, and one given twice by its place', async () => {
	// memmon names a run after its program: two runs of `python3 ops.py` are both "ops".
	const [first, second] = ['ops-20261205-120354', 'ops-20261205-120405'].map((name, i) => {
		const folder = path.join(dir, 'same-label', name);
		fs.mkdirSync(folder, {recursive: true});
		fs.writeFileSync(path.join(folder, 'run.json'), `${JSON.stringify({label: 'ops', interval_seconds: 0.1})}\n`);
		const lines = Array.from({length: 21}, (_, j) => `${(j / 10).toFixed(1)},${Math.round(holding(i === 0 ? 50 : 10)(j / 10))}`);
		fs.writeFileSync(path.join(folder, 'samples.csv'), `t_seconds,rss_bytes\n${lines.join('\n')}\n`);
		return folder;
	}) as [string, string];
	const result = await runCli(['compare', first, second]);
	expect(result.code).toBe(0);
	expect(result.stdout.split('\n')[0]).toMatch(/^ +ops-20261205-120354 +ops-20261205-120405 +B against A$/);
	expect(result.stdout).toMatch(/^ops-20261205-120405 uses \d+% less memory at peak than ops-20261205-120354/m);
	const twice = await runCli(['compare', second, second]);
	expect(twice.stdout.split('\n')[0]).toMatch(/^ +ops-20261205-120405 #1 +ops-20261205-120405 #2 +B against A$/);
});

test('against a tiny baseline a difference reads as a factor, and the table still fits 80 columns', async () => {
	const folders = ['tiny', 'large'].map(name => {
		const folder = path.join(dir, `factor-${name}`);
		fs.mkdirSync(folder, {recursive: true});
		const growth = name === 'tiny' ? 10 * 1024 : 50 * MIB;
		const lines = Array.from({length: 601}, (_, i) => `${i},${(100 * MIB) + Math.round(growth * i / 600)}`);
		fs.writeFileSync(path.join(folder, 'samples.csv'), `t_seconds,rss_bytes\n${lines.join('\n')}\n`);
		return folder;
	});
	const result = await runCli(['compare', ...folders]);
	expect(result.code).toBe(0);
	expect(result.stdout).toMatch(/^growth ³ +\+10 KiB +\+50\.0 MiB +5120× as much$/m);
	expect(Math.max(...result.stdout.split('\n').map(line => line.length))).toBeLessThanOrEqual(80);
});

test('growth says where it counts from when one run had a warm-up that levelled off and the other none', async () => {
	// "warm": 60 MiB over its first two minutes, then flat (with jitter); "line": 6 MiB in a straight line.
	const warm = craft('warm', 600, t => (100 * MIB) + (60 * MIB * Math.min(1, t / 120) * (2 - Math.min(1, t / 120))) + ((Math.round(t * 10) % 7) * 32 * 1024));
	const line = craft('line', 600, t => (100 * MIB) + (6 * MIB * t / 600) + ((Math.round(t * 10) % 7) * 32 * 1024));
	const result = await runCli(['compare', warm, line]);
	expect(result.code).toBe(0);
	expect(result.stdout).toMatch(/^Note: growth counts from warm's warm-up end \(\d+m \d\ds\) and line's first sample\.$/m);
	// The warm-up's 60 MiB is not the run's growth; the line's 6 MiB is.
	const growth = /^growth ³ +([+−-][\d.]+ (?:B|KiB|MiB)|±0 B) +\+([\d.]+) MiB/m.exec(result.stdout);
	expect(growth).not.toBeNull();
	expect(growth![1]).not.toMatch(/MiB/);
	expect(Number(growth![2])).toBeGreaterThan(5);
	expect(Math.max(...result.stdout.split('\n').map(text => text.length))).toBeLessThanOrEqual(80);
});

test('a run whose workload exited while its command went on is compared by the workload\'s growth, and says so', async () => {
	// Both: `sh -c 'node leaky.js …; sleep …'` (test/fixtures/real/): 60 MiB kept over 3 s, and 99 MiB over 40 s.
	const short = fixture('real/node20-exited-then-sleep-8s');
	const long = fixture('real/node20-leak-40s-then-sleep-70s');
	const result = await runCli(['compare', short, long]);
	expect(result.code, result.stderr).toBe(0);
	expect(result.stdout).toMatch(/^growth ³ +\+5\d\.\d MiB +\+9\d\.\d MiB /m);
	// Under load while the workload ran (45 → 106 MiB over 3 s), not the shell's 3.3 MiB after it.
	const underLoad = /^under load ² +([\d.]+) MiB /m.exec(result.stdout);
	expect(Number(underLoad?.[1]), result.stdout).toBeGreaterThan(65);
	expect(Number(underLoad?.[1]), result.stdout).toBeLessThan(80);
	expect(result.stdout).toMatch(/^Note: exited's growth counts to where its workload ended: node \(PID 4262\) at 3\.1s, before the run's end at 8s\.$/m);
	const json = JSON.parse((await runCli(['compare', '--json', short, long])).stdout) as {runs: Array<{growthUntil?: {pid: number}}>};
	expect(json.runs.map(row => row.growthUntil?.pid)).toEqual([4262, 11615]);
});
