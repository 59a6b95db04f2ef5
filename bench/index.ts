/**
`npm run bench`: memmon's own costs, measured side by side in one run on this machine, as
medians. Peers that are not installed are reported as absent, never as zero. Writes the table to
stdout and bench/results.md.
*/
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import pidusage from 'pidusage';
import {DEFAULT_ANALYSIS} from '../source/analysis/index.js';
import {FakeClock} from '../source/clock.js';
import type {Reading, Sampler} from '../source/sampler/types.js';
import {pageSize, parseStatm, ProcFile} from '../source/sampler/procfs.js';
import {parseSmapsRollup, parseSmapsSplit} from '../source/sampler/smaps.js';
import {ProcfsSampler} from '../source/sampler/tree.js';
import {Session} from '../source/session.js';
import {readIdentity} from '../source/target/identity.js';
import {JsHeapLog} from '../source/record/js-heap.js';
import {heapReservationRss, perfDataPath, readJvmHeap} from '../source/sampler/jvm-perf.js';
import {analysisCost} from './cost.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rows: string[][] = [];
const row = (...cells: string[]): void => {
	rows.push(cells);
	process.stderr.write(`  ${cells.join(' | ')}\n`);
};

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Samples per CPU-second of `read`, the median of five one-second rounds. */
function perCpuSecond(read: () => void): number {
	const rates: number[] = [];
	for (let round = 0; round < 5; round++) {
		const before = process.cpuUsage();
		const wallEnd = performance.now() + 400;
		let n = 0;
		while (performance.now() < wallEnd) {
			for (let i = 0; i < 200; i++) {
				read();
			}

			n += 200;
		}

		const used = process.cpuUsage(before);
		rates.push(n / ((used.user + used.system) / 1e6));
	}

	return median(rates);
}

async function asyncPerCpuSecond(read: () => Promise<unknown>, seconds = 2): Promise<number> {
	const before = process.cpuUsage();
	const end = performance.now() + (seconds * 1000);
	let n = 0;
	while (performance.now() < end) {
		 
		await read();
		n++;
	}

	const used = process.cpuUsage(before);
	return n / ((used.user + used.system) / 1e6);
}

/** The first Python that can import `module`: the one on PATH, else Debian's (where apt puts python3-psutil). */
function pythonWith(module: string): string | undefined {
	return ['python3', '/usr/bin/python3'].find(python => spawnSync(python, ['-c', `import ${module}`], {stdio: 'ignore'}).status === 0);
}

function startTarget(args: string[]): ChildProcess {
	// Own process group, so killGroup() takes its children too.
	return spawn(process.execPath, args, {stdio: 'ignore', detached: true});
}

function killGroup(child: ChildProcess): void {
	try {
		process.kill(-child.pid!, 'SIGKILL');
	} catch {}
}

async function samplerThroughput(): Promise<void> {
	const target = startTarget([path.join(root, 'test/fixtures/steady.js'), '200']);
	await sleep(1500);
	const pid = target.pid!;
	try {
		const statm = new ProcFile(`/proc/${pid}/statm`);
		const status = new ProcFile(`/proc/${pid}/status`);
		const page = pageSize();
		const memmonRss = perCpuSecond(() => parseStatm(statm.read(), page));
		const memmonStatus = perCpuSecond(() => status.read());
		const readFile = perCpuSecond(() => parseStatm(fs.readFileSync(`/proc/${pid}/statm`, 'latin1'), page));
		statm.close();
		status.close();
		const usage = await asyncPerCpuSecond(async () => pidusage(pid));
		pidusage.clear();
		let psutil = 'absent (apt-get install python3-psutil)';
		const python = pythonWith('psutil');
		if (python) {
			const out = execFileSync(python, ['-c', `import psutil,time\np=psutil.Process(${pid})\nn=0\nc=time.process_time()\nwhile time.process_time()-c<2:\n  p.memory_info(); n+=1\nprint(n/(time.process_time()-c))`], {encoding: 'utf8'});
			psutil = `${Math.round(Number(out)).toLocaleString('en')}/CPU-s`;
		}

		row('Sampler: one RSS read of a 200 MiB process', `memmon statm (kept fd) ${Math.round(memmonRss).toLocaleString('en')}/CPU-s`, `memmon status (kept fd) ${Math.round(memmonStatus).toLocaleString('en')}/CPU-s · readFileSync statm ${Math.round(readFile).toLocaleString('en')}/CPU-s (${(memmonRss / readFile).toFixed(1)}×) · pidusage ${Math.round(usage).toLocaleString('en')}/CPU-s (${(memmonRss / usage).toFixed(0)}×) · psutil ${psutil}`, '≥ 150k/CPU-s');
	} finally {
		killGroup(target);
	}
}

async function treeSample(children = 100): Promise<void> {
	// A parent with light children (sleep), like a pre-fork worker pool.
	const parent = spawn('sh', ['-c', `for i in $(seq ${children}); do sleep 600 & done; wait`], {stdio: 'ignore', detached: true});
	await sleep(children >= 1000 ? 5000 : 1500);
	try {
		const identity = readIdentity(parent.pid!);
		if (typeof identity !== 'object') {
			row(`Tree: parent with ${children} children`, 'failed to start', '', '≤ 5 ms');
			return;
		}

		const sampler = new ProcfsSampler({target: identity, children: true, pssEveryMs: 1e12, now: () => performance.now()});
		const times: number[] = [];
		let processes = 0;
		for (let i = 0; i < 50; i++) {
			const started = performance.now();
			const reading = sampler.sampleSync();
			times.push(performance.now() - started);
			processes = reading.kind === 'ok' ? reading.processes.length : 0;
		}

		sampler.close();
		const scan = new ProcfsSampler({target: identity, children: true, pssEveryMs: 1e12, now: () => performance.now(), strategy: 'scan'});
		const scanTimes: number[] = [];
		for (let i = 0; i < 20; i++) {
			const started = performance.now();
			scan.sampleSync();
			scanTimes.push(performance.now() - started);
		}

		scan.close();
		let psutil = 'absent';
		const python = pythonWith('psutil');
		if (python) {
			const out = execFileSync(python, ['-c', `import psutil,time\np=psutil.Process(${parent.pid})\nts=[]\nfor i in range(20):\n  s=time.perf_counter(); cs=p.children(recursive=True); [c.memory_info() for c in cs]; ts.append(time.perf_counter()-s)\nts.sort(); print(ts[10]*1000)`], {encoding: 'utf8'});
			psutil = `${Number(out).toFixed(1)} ms`;
		}

		if (children >= 1000) {
			// At 1 Hz a sample's milliseconds are its share of a core in tenths of a percent.
			row(`Tree: parent + ${processes - 1} children, one sample`, `memmon ${median(times).toFixed(2)} ms = ${(median(times) / 10).toFixed(2)}% of a core at 1 Hz`, `every process's RSS counted: ${processes} (statm, each every other sample; stat and status for ~50 a sample) · /proc scan ${median(scanTimes).toFixed(2)} ms · psutil ${psutil}`, '≤ 1% of a core');
			return;
		}

		// The npm way: pidtree (ps or /proc scan) for the tree, pidusage for each member.
		const {default: pidtree} = await import('pidtree');
		const peerTimes: number[] = [];
		for (let i = 0; i < 10; i++) {
			const started = performance.now();
			const pids = await pidtree(parent.pid!, {root: true});
			await pidusage(pids);
			peerTimes.push(performance.now() - started);
		}

		pidusage.clear();
		const peer = median(peerTimes);
		row(`Tree: parent + ${processes - 1} children, one sample`, `memmon ${median(times).toFixed(2)} ms (children walk)`, `memmon /proc scan ${median(scanTimes).toFixed(2)} ms · pidtree+pidusage ${peer.toFixed(1)} ms (${(peer / median(times)).toFixed(0)}×) · psutil children+memory_info ${psutil}`, '≤ 5 ms');
	} finally {
		killGroup(parent);
	}
}

function nullTerminal(columns: number, rows: number): NodeJS.WriteStream {
	const stream = new Writable({
		write(_chunk, _encoding, callback) {
			callback();
		},
	}) as unknown as NodeJS.WriteStream & {columns: number; rows: number; isTTY: boolean};
	stream.columns = columns;
	stream.rows = rows;
	stream.isTTY = true;
	return stream;
}

async function renderCost(): Promise<void> {
	// As memmon's entry does, before React loads; and Ink must not think it runs in CI.
	process.env.NODE_ENV = 'production';
	process.env.CI = 'false';
	const [{render}, React, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../source/ui/app.js'), import('../source/ui/frame-writer.js')]);
	const results: string[] = [];
	const throughInk: string[] = [];
	// As memmon draws (lines → FrameWriter, changed rows only), and, for the record, through Ink's output.
	for (const [columns, lines, viaInk] of [[80, 24, false], [120, 40, false], [200, 60, false], [120, 40, true]] as const) {
		const clock = new FakeClock();
		let i = 0;
		const sampler: Sampler = {
			async sample(): Promise<Reading> {
				i++;
				const rss = (80 * 1024 * 1024) + (i * 100) + ((i % 37) * 65_536);
				return {kind: 'ok', rss, hwm: rss, processes: [{pid: 1, name: 'bench', rss}, {pid: 2, name: 'child', rss: 1e6}]};
			},
			async system() {
				return undefined;
			},
			close() {},
		};
		const runDir = fs.mkdtempSync('/tmp/memmon-bench-');
		const session = new Session({clock, sampler, facts: {version: 'bench', label: 'bench', pid: 1, children: true, host: 'bench', startedAtMs: 0, intervalMs: 1000, runDir}, targetText: 'bench', spawned: true, tail: ['one', 'two'], checkpointMs: 1e12, analysis: DEFAULT_ANALYSIS});
		const source = {subscribe: (listener: () => void) => session.subscribe(listener), snapshot: () => session.snapshot(), chart: (c: number, z: 'all' | 'recent') => session.chart(c, z), quit() {}, interrupt() {}, writeReport() {}, mark() {}};
		const terminal = nullTerminal(columns, lines);
		const writer = new FrameWriter(terminal);
		let drawn = 0;
		const draw = viaInk ? undefined : (frame: readonly string[], width: number) => {
			drawn++;
			writer.draw(frame, width);
		};
		const instance = render(React.createElement(App, {source, interactive: false, draw}), {stdout: terminal, stderr: nullTerminal(columns, lines), patchConsole: false, maxFps: 0});
		void session.run();
		for (let k = 0; k < 300; k++) {
			 
			await clock.advance(1000);
		}

		const before = process.cpuUsage();
		const frames = 500;
		for (let k = 0; k < frames; k++) {
			 
			await clock.advance(1000);
		}

		const used = process.cpuUsage(before);
		if (!viaInk) {
			process.stderr.write(`  (${columns}×${lines}: ${drawn} frames drawn for ${frames + 300} samples)\n`);
		}

		(viaInk ? throughInk : results).push(`${columns}×${lines} ${((used.user + used.system) / 1000 / frames).toFixed(2)} ms`);
		session.stop({kind: 'stopped', by: 'bench'});
		instance.unmount();
		fs.rmSync(runDir, {recursive: true, force: true});
	}

	row('Render: CPU per sample + frame (full pipeline, changed rows written)', results[1]!, `${results[0]} · ${results[2]} · the same frames through Ink's output: ${throughInk[0]}`, '≤ 3 ms at 120×40');
}

/** `memmon analyze` of a 30-day trace at 1 s (2.6M lines): wall time and the process's peak RSS. */
function analyzeMonth(): void {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-bench-analyze-'));
	const file = path.join(dir, 'month.csv');
	const fd = fs.openSync(file, 'w');
	fs.writeSync(fd, 't_seconds,rss_bytes\n');
	let lines: string[] = [];
	for (let i = 0; i < 2_592_000; i++) {
		// A flat GC sawtooth around 300 MiB, with noise.
		lines.push(`${i},${(300 * 1_048_576) + ((i % 20) * 500_000) + ((i * 7919) % 4_000_000)}`);
		if (lines.length === 100_000) {
			fs.writeSync(fd, `${lines.join('\n')}\n`);
			lines = [];
		}
	}

	fs.writeSync(fd, lines.length > 0 ? `${lines.join('\n')}\n` : '');
	fs.closeSync(fd);
	const cli = path.join(root, 'dist/cli.js');
	// The child's peak RSS: GNU time where it is installed, else the child reports its own.
	const probe = `process.on('exit', () => process.stderr.write('peak ' + process.resourceUsage().maxRSS + '\\n'))`;
	const started = performance.now();
	const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, cli, 'analyze', file], {encoding: 'utf8'});
	const wall = performance.now() - started;
	const peakKib = Number(/peak (\d+)/.exec(result.stderr)?.[1]);
	fs.rmSync(dir, {recursive: true, force: true});
	row('analyze: a 30-day trace at 1 s (2.6M lines, 45 MB)', `${(wall / 1000).toFixed(1)} s wall, ${Number.isFinite(peakKib) ? (peakKib / 1024).toFixed(0) : '?'} MiB peak RSS`, `exit ${result.status}`, 'a few seconds, ≤ ~100 MB');
}

function startup(): void {
	const cli = path.join(root, 'dist/cli.js');
	const times: number[] = [];
	for (let i = 0; i < 7; i++) {
		const started = performance.now();
		spawnSync(process.execPath, [cli, '--help'], {stdio: 'ignore'});
		times.push(performance.now() - started);
	}

	const bare: number[] = [];
	for (let i = 0; i < 7; i++) {
		const started = performance.now();
		spawnSync(process.execPath, ['-e', '0'], {stdio: 'ignore'});
		bare.push(performance.now() - started);
	}

	row('Start-up: memmon --help', `${median(times).toFixed(0)} ms wall`, `bare node -e 0: ${median(bare).toFixed(0)} ms`, '≤ 250 ms');
}

/**
CPU seconds and peak RSS (VmHWM) of a process, from procfs. CPU is the sum over its threads of
/proc/PID/task/TID/schedstat (nanoseconds on the CPU): utime + stime in /proc/PID/stat count
10 ms ticks, too coarse for monitors that use a few milliseconds a second.
*/
function processCost(pid: number): {cpuSeconds: number; peakBytes: number} | undefined {
	try {
		let nanoseconds = 0;
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			try {
				nanoseconds += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
			} catch {}
		}

		const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return {cpuSeconds: nanoseconds / 1e9, peakBytes: Number(hwm?.[1] ?? 0) * 1024};
	} catch {
		return undefined;
	}
}

function hasCommand(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0;
}

/**
Overhead at 1 Hz: every monitor watches the same ~200 MiB target at once, for the same wall time;
each one's CPU seconds and peak RSS are read from procfs just before it is stopped.
*/
async function overhead(): Promise<void> {
	const seconds = Number(process.env.MEMMON_BENCH_OVERHEAD_SECONDS ?? 60);
	const target = startTarget([path.join(root, 'test/fixtures/steady.js'), '200']);
	await sleep(1500);
	const pid = String(target.pid!);
	const reports = fs.mkdtempSync('/tmp/memmon-bench-');
	const cli = path.join(root, 'dist/cli.js');
	type Monitor = {name: string; pid?: number | undefined; stop: () => void; absent?: string};
	const monitors: Monitor[] = [];
	const start = (name: string, command: string, args: string[]): void => {
		const child = spawn(command, args, {stdio: 'ignore', detached: true});
		monitors.push({name, pid: child.pid, stop: () => killGroup(child)});
	};

	// The headless bar is for one process, like `pidstat -p` (DESIGN.md section 8: --no-children);
	// the default, which also walks every thread's children file each second, runs beside it.
	start('memmon --plain --no-children', process.execPath, [cli, '--plain', '--no-children', '--interval', '1s', '--pid', pid, '--report-dir', reports]);
	start('memmon --plain', process.execPath, [cli, '--plain', '--interval', '1s', '--pid', pid, '--report-dir', reports]);
	if (hasCommand('tmux')) {
		const socket = `memmon-bench-${process.pid}`;
		execFileSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '120', '-y', '40', '-s', 'bench', `exec env -u CI ${process.execPath} ${cli} --interval 1s --pid ${pid} --report-dir ${reports}`]);
		const panePid = Number(execFileSync('tmux', ['-L', socket, 'display-message', '-p', '-t', 'bench', '#{pane_pid}'], {encoding: 'utf8'}).trim());
		monitors.push({name: 'memmon live (tmux 120×40)', pid: panePid, stop() {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
		}});
	} else {
		monitors.push({name: 'memmon live (tmux 120×40)', stop() {}, absent: 'absent (apt-get install tmux)'});
	}

	if (hasCommand('pidstat')) {
		start('pidstat -r -p PID 1', 'pidstat', ['-r', '-p', pid, '1']);
	} else {
		monitors.push({name: 'pidstat -r -p PID 1', stop() {}, absent: 'absent (apt-get install sysstat)'});
	}

	const mprof = hasCommand('python3-mprof') ? 'python3-mprof' : hasCommand('mprof') ? 'mprof' : undefined;
	if (mprof) {
		start('mprof run --attach PID -T 1', mprof, ['run', '--attach', '-T', '1', '-o', path.join(reports, 'mprof.dat'), pid]);
	} else {
		monitors.push({name: 'mprof run --attach PID -T 1', stop() {}, absent: 'absent (apt-get install python3-memory-profiler)'});
	}

	// The floors: a bare Node timer, and a minimal Node sampler.
	start('node timer (floor)', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
	start('minimal Node sampler', process.execPath, [path.join(root, 'dist-bench/bench/minimal-sampler.js'), pid, path.join(reports, 'minimal.csv')]);
	// Start-up (Node loading and JIT-compiling its modules, Python importing) is paid once: the CPU
	// share is measured over windows after it, peak RSS over the whole run. Two windows: the first
	// minute after a 30 s start (V8 still compiling memmon's per-sample code), and the steady state a
	// 24-hour soak pays for: five minutes from the third, one whole checkpoint period (the reports
	// rewritten at 5 minutes, ~30–60 ms; a one-minute window read 0.1% more or less as it held that
	// moment or not). The start-up CPU is printed beside them.
	const settle = Number(process.env.MEMMON_BENCH_SETTLE_SECONDS ?? 30);
	const steadyFrom = Number(process.env.MEMMON_BENCH_STEADY_SECONDS ?? 120);
	const steadySeconds = Number(process.env.MEMMON_BENCH_STEADY_WINDOW_SECONDS ?? 300);
	const snapshot = (): Map<string, ReturnType<typeof processCost>> => new Map(monitors.map(monitor => [monitor.name, monitor.pid === undefined ? undefined : processCost(monitor.pid)]));
	const startedAt = performance.now();
	await sleep(settle * 1000);
	const atSettle = snapshot();
	await sleep(seconds * 1000);
	const afterFirst = snapshot();
	let steady: {from: Map<string, ReturnType<typeof processCost>>; to: Map<string, ReturnType<typeof processCost>>} | undefined;
	if (steadyFrom > settle + seconds) {
		await sleep(Math.max(0, (steadyFrom * 1000) - (performance.now() - startedAt)));
		const from = snapshot();
		await sleep(steadySeconds * 1000);
		steady = {from, to: snapshot()};
	}

	for (const monitor of monitors) {
		monitor.stop();
	}

	killGroup(target);
	// A stopped memmon writes its final reports on the way out: let it, then clean up.
	await sleep(2000);
	fs.rmSync(reports, {recursive: true, force: true, maxRetries: 5, retryDelay: 200});
	type Cost = {cpuSeconds: number; startupCpu: number; peakBytes: number};
	const window = (from: Map<string, ReturnType<typeof processCost>>, to: Map<string, ReturnType<typeof processCost>>): Map<string, Cost | undefined> => new Map(monitors.map(monitor => {
		const end = to.get(monitor.name);
		const start = from.get(monitor.name);
		const startup = atSettle.get(monitor.name);
		return [monitor.name, end && start && startup ? {cpuSeconds: end.cpuSeconds - start.cpuSeconds, startupCpu: startup.cpuSeconds, peakBytes: (steady?.to.get(monitor.name) ?? end).peakBytes} : undefined];
	}));
	const report = (title: string, costs: Map<string, Cost | undefined>, seconds: number): void => {
		const describe = (name: string): string => {
			const monitor = monitors.find(candidate => candidate.name === name)!;
			const cost = costs.get(name);
			if (monitor.absent) {
				return `${name}: ${monitor.absent}`;
			}

			return cost ? `${name}: ${(cost.cpuSeconds / seconds * 100).toFixed(2)}% CPU, ${(cost.peakBytes / 1024 / 1024).toFixed(0)} MiB (start-up ${cost.startupCpu.toFixed(2)} CPU-s)` : `${name}: exited early`;
		};

		const plain = costs.get('memmon --plain --no-children');
		const pidstat = costs.get('pidstat -r -p PID 1');
		const ratio = plain && pidstat && pidstat.cpuSeconds > 0 ? ` (${(plain.cpuSeconds / pidstat.cpuSeconds).toFixed(1)}× pidstat's CPU)` : '';
		row(title, `${describe('memmon --plain --no-children')}${ratio} · ${describe('memmon --plain')} · ${describe('memmon live (tmux 120×40)')}`,
			['pidstat -r -p PID 1', 'mprof run --attach PID -T 1', 'node timer (floor)', 'minimal Node sampler'].map(name => describe(name)).join(' · '),
			'plain ≤ 2× pidstat CPU, ≤ 60 MiB; live ≤ 0.5% CPU, ≤ 90 MiB');
	};

	report(`Overhead at 1 Hz, ${seconds} s after a ${settle} s start, one 200 MiB target`, window(atSettle, afterFirst), seconds);
	if (steady) {
		report(`Overhead at 1 Hz, steady: ${steadySeconds} s from ${steadyFrom} s, a checkpoint period (peak RSS over the whole run)`, window(steady.from, steady.to), steadySeconds);
	}

	if (!afterFirst.get('memmon live (tmux 120×40)') && !monitors.find(monitor => monitor.name.startsWith('memmon live'))?.absent) {
		process.stderr.write('  (the live memmon exited early)\n');
	}
}

/**
memmon's own memory, issue #4's promise 7: the 24 h-equivalent fake-clock run (bench/memory.ts,
~1.5 min) runs here; the 30-minute self-watch (bench/soak.ts) runs with `--soak` and is otherwise
quoted from its last run, dated, from bench/soak-results.md.
*/
function ownMemory(): void {
	if (process.env.MEMMON_BENCH_MEMORY !== '0') {
		const run = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'dist-bench/bench/memory.js')], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
		const line = run.stdout.trim().split('\n').at(-1) ?? '';
		const growth = /retained heap growth (-?\d+) KiB/.exec(line)?.[1];
		row('Own memory: 86,400 samples and frames on a fake clock (24 h at 1 s)', growth === undefined ? `failed (exit ${run.status})` : `retained heap ${growth} KiB`, line.replace(/^.*?: /, ''), '≤ 1024 KiB');
	}

	const soakFile = path.join(root, 'bench/soak-results.md');
	if (process.argv.includes('--soak')) {
		const soak = spawnSync(process.execPath, [path.join(root, 'dist-bench/bench/soak.js'), '30m'], {stdio: ['ignore', 'inherit', 'inherit']});
		if (soak.status !== 0) {
			row('Own memory: memmon watching itself, 30 min at 1 s', `failed (exit ${soak.status})`, '', 'acceptable');
			return;
		}
	}

	const last = fs.existsSync(soakFile) ? fs.readFileSync(soakFile, 'utf8').trim().split('\n').at(-1) ?? '' : '';
	const verdict = /verdict (\w+)/.exec(last)?.[1];
	const source = process.argv.includes('--soak') ? 'this run' : 'the last `npm run bench:soak` (`npm run bench -- --soak` reruns it)';
	row('Own memory: memmon watching itself, 30 min at 1 s', verdict ?? 'not run (npm run bench:soak)', verdict ? `${source}: ${last}` : '', 'acceptable');
}

/** The cost of PSS for one process: smaps_rollup (PSS alone, as with the split off) against smaps (PSS and RSS split by mapping, as memmon reads every process of the tree), each opened, read, parsed and closed as memmon does. */
async function pssCost(): Promise<void> {
	const target = startTarget([path.join(root, 'test/fixtures/steady.js'), '200']);
	await sleep(1500);
	const pid = target.pid!;
	try {
		const time = (read: () => unknown): number[] => {
			const times: number[] = [];
			for (let i = 0; i < 200; i++) {
				const started = performance.now();
				read();
				times.push(performance.now() - started);
			}

			return times;
		};

		const rollup = time(() => {
			const file = new ProcFile(`/proc/${pid}/smaps_rollup`);
			parseSmapsRollup(file.read());
			file.close();
		});
		let mappings = 0;
		let sum = 0;
		let rss = 0;
		const split = time(() => {
			const file = new ProcFile(`/proc/${pid}/smaps`);
			const text = file.readAll();
			file.close();
			const parts = parseSmapsSplit(text);
			mappings = text.split('\nVmFlags').length - 1;
			sum = parts.heap + parts.stack + parts.anon + parts.file + parts.shmem;
			rss = parts.rss;
		});
		const ms = (times: number[]): string => `${median(times).toFixed(2)} ms`;
		row('Sampler: PSS of a 200 MiB Node process (each process of the tree, every 10 s or less often)', `smaps split by mapping ${ms(split)} (${mappings} mappings; parts ${sum === rss ? 'equal' : 'differ from'} its RSS)`, `smaps_rollup (PSS alone) ${ms(rollup)} · ${(median(split) / median(rollup)).toFixed(1)}× · at most 0.005% of a core either way (--pss-every adapts)`, '');
	} finally {
		killGroup(target);
	}
}

/**
The live view's `--js-heap` read (every 5 s) after a day of a pool recycling a worker every 5 s:
17,280 thread files that ended, one that is alive; against the same read with that one alone.
*/
function jsHeapRead(): void {
	const started = Date.now() - 86_460_000;
	const readMs = (ended: number): number => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-bench-js-heap-'));
		try {
			const line = (ms: number): string => `${started + ms},4194304,16777216,1024\n`;
			for (let thread = 1; thread <= ended; thread++) {
				fs.writeFileSync(path.join(dir, `${process.pid}-${thread}.gc.csv`), line(thread * 5000) + line((thread * 5000) + 2000) + `${started + (thread * 5000) + 4000},exit\n`);
			}

			const live = path.join(dir, `${process.pid}.gc.csv`);
			fs.writeFileSync(live, line(1000));
			const log = new JsHeapLog(dir, started);
			log.poll();
			const times: number[] = [];
			for (let read = 0; read < 15; read++) {
				fs.appendFileSync(live, line(Date.now() - started));
				const before = performance.now();
				// As the live view does: a killed process noted, the new lines read, the line's figures.
				log.noteGone(pid => {
					const identity = readIdentity(pid);
					return identity === 'not-found' ? undefined : identity === 'denied' ? 0 : identity.startTime;
				}, Date.now());
				log.poll();
				log.summary();
				times.push(performance.now() - before);
			}

			return median(times);
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	};

	const one = readMs(0);
	const day = readMs(17_280);
	row('Live view: --js-heap read after a day of a pool recycling a worker every 5 s (17,280 ended thread files)', `${day.toFixed(1)} ms per read, ${(day / 50).toFixed(2)}% of a core at one read per 5 s`, `one live file alone: ${one.toFixed(2)} ms`, '≤ 0.5% of a core');
}

/**
A JVM's heap as the live view reads it (commands/run-snapshots.ts watchJvmHeap): its counters
(every 5 s), the heap's RSS from smaps (at most every 30 s), and finding the counters file in its
maps; on the memory-test fixture holding 8 MiB a second for 20 s under -Xmx512m, read once it has
filled. Absent without a JDK.
*/
async function jvmHeapRead(): Promise<void> {
	if (!hasCommand('javac')) {
		row('Live view: a JVM\'s heap (counters, and the heap\'s RSS from smaps)', 'absent: no JDK here', '', '');
		return;
	}

	const java = spawn('java', ['-Xmx512m', path.join(root, 'test/fixtures/JvmHeap.java'), '8', '30'], {stdio: 'ignore', detached: true});
	await sleep(15_000);
	try {
		const pid = java.pid!;
		const times = (read: () => unknown): number[] => Array.from({length: 100}, () => {
			const started = performance.now();
			read();
			return performance.now() - started;
		});
		const file = perfDataPath(pid);
		const heap = file === undefined ? undefined : readJvmHeap(file);
		if (!file || !heap) {
			row('Live view: a JVM\'s heap (counters, and the heap\'s RSS from smaps)', 'absent: the JVM published no counters', '', '');
			return;
		}

		const counters = median(times(() => readJvmHeap(file)));
		const pages = median(times(() => heapReservationRss(pid, heap.max, heap.committed)));
		const find = median(times(() => perfDataPath(pid)));
		const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
		const share = ((counters / 5000) + (pages / Math.max(30_000, pages * 2000))) * 100;
		row(`Live view: a JVM's heap (a ${rss.toFixed(0)} MiB JVM on ${heap.collector})`, `counters ${counters.toFixed(2)} ms every 5 s · heap's RSS from smaps ${pages.toFixed(2)} ms, at most every 30 s: ${share.toFixed(3)}% of a core`, `finding the counters in its maps ${find.toFixed(2)} ms (a new process: each read in its first minute, then every 30 s)`, '≤ 0.05% of a core');
	} finally {
		killGroup(java);
	}
}

async function main(): Promise<void> {
	process.stderr.write('memmon bench (medians, this machine)\n');
	if (process.env.MEMMON_BENCH_ONLY === 'render') {
		await renderCost();
		process.exit(0);
	}

	if (process.env.MEMMON_BENCH_ONLY === 'analyze') {
		analyzeMonth();
		process.exit(0);
	}

	if (process.env.MEMMON_BENCH_ONLY === 'pss') {
		await pssCost();
		process.exit(0);
	}

	if (process.env.MEMMON_BENCH_ONLY === 'js-heap') {
		jsHeapRead();
		process.exit(0);
	}

	if (process.env.MEMMON_BENCH_ONLY === 'jvm') {
		await jvmHeapRead();
		process.exit(0);
	}

	if (process.env.MEMMON_BENCH_ONLY === 'tree') {
		await treeSample();
		await treeSample(1000);
		process.exit(0);
	}

	await samplerThroughput();
	await pssCost();
	await treeSample();
	await treeSample(1000);
	for (const cost of analysisCost()) {
		row(`Analysis: one evaluation, ${cost.label} of 1 s samples`, `${cost.medianMs.toFixed(2)} ms`, `p95 ${cost.p95Ms.toFixed(2)} ms · ${cost.points} points analysed (bounded)`, cost.label === '24 h' ? '≤ 5 ms' : '');
	}

	await renderCost();
	jsHeapRead();
	await jvmHeapRead();
	startup();
	analyzeMonth();
	if (process.env.MEMMON_BENCH_OVERHEAD_SECONDS !== '0') {
		await overhead();
	}

	ownMemory();
	const table = [
		'| what | memmon | side by side | bar |',
		'|---|---|---|---|',
		...rows.map(cells => `| ${cells.join(' | ')} |`),
	].join('\n');
	const text = `# memmon bench\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${execFileSync('nproc', {encoding: 'utf8'}).trim()} cores, Node ${process.version}; medians.\n\n${table}\n`;
	process.stdout.write(`\n${text}`);
	fs.writeFileSync(path.join(root, 'bench/results.md'), text);
	process.exit(0);
}

await main();
