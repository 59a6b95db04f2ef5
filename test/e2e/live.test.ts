/**
The live screen in a real terminal (tmux): it draws, fits, follows a resize, takes keys, and on
`q` writes the final report and gives the terminal back.
*/
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {cliArgs, fixture, onlyRunDir, readSamples, runs, temporaryDir, waitFor} from '../helpers/cli.js';

// CI installs tmux (.ci/run sets MEMMON_CI=1); a developer machine without it skips, CI never does.
const required = process.env.MEMMON_CI === '1';
const available = runs('tmux', ['-V']);
if (required && !available) {
	throw new Error('tmux is required in CI for the live-screen tests: .ci/run installs it');
}

const session = `memmon-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', session, ...args], {encoding: 'utf8'});
const screen = (): string => tmux('capture-pane', '-p', '-t', session).replace(/\n+$/, '');
// A server of its own: a kill-server returns while the server is still going, and a new session on
// the same socket right after it failed ("server exited unexpectedly").
const stopTmux = (...args: string[]): string => execFileSync('tmux', ['-L', `${session}-stop`, ...args], {encoding: 'utf8'});

describe.skipIf(!available)('live screen in tmux', () => {
	const dir = temporaryDir();
	const done = `${dir}.exit-code`;

	beforeAll(() => {
		const command = `FORCE_COLOR=0 ${process.execPath} ${cliArgs().join(' ')} --interval 200ms --report-dir ${dir} -- ${process.execPath} ${fixture('leaky.js')} 256 100; echo $? > ${done}; echo SHELL-BACK; sleep 60`;
		tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', 'sh', '-c', command);
	});

	afterAll(() => {
		try {
			tmux('kill-server');
		} catch {}

		fs.rmSync(dir, {recursive: true, force: true});
		fs.rmSync(done, {force: true});
	});

	test('draws the dashboard within the terminal, follows a resize, and q ends with a report', async () => {
		const first = await waitFor(() => {
			const text = screen();
			return /\d+ samples/.test(text) && text.includes('Quarters  Q1') && text.includes('leaky: started') ? text : undefined;
		}, 15_000, 'the dashboard');
		const lines = first.split('\n');
		expect(lines[0]).toMatch(/^memmon · leaky · PID \d+ · .*● live/);
		expect(first).toMatch(/^Growth {2}[─●[\]]+ {2}(?:[+−]?[\d.]+ MiB\/h|—) {2}[A-Z]+/m);
		expect(first).toMatch(/q quit\+report {2}r report {2}m mark {2}p pause {2}z zoom \(all\) {2}\? help/);
		for (const line of lines) {
			expect(line.length).toBeLessThanOrEqual(100);
		}

		tmux('resize-window', '-t', session, '-x', '80', '-y', '24');
		const small = await waitFor(() => {
			const text = screen();
			const rows = text.split('\n');
			return rows.length <= 24 && rows[0]!.startsWith('memmon ·') && rows[0]!.length <= 80 && text.includes('q quit+report') ? text : undefined;
		}, 10_000, 'a redraw at 80×24');
		expect(small.split('\n').filter(line => line.length > 80)).toEqual([]);

		tmux('resize-window', '-t', session, '-x', '120', '-y', '40');
		await waitFor(() => {
			const rows = screen().split('\n');
			return rows.length > 30 && rows.some(row => row.length > 100) && rows.at(-1)!.startsWith('q quit+report') ? true : undefined;
		}, 10_000, 'a redraw at 120×40');

		tmux('send-keys', '-t', session, 'q');
		await waitFor(() => fs.existsSync(done) && screen().includes('SHELL-BACK'), 15_000, 'memmon to exit');
		const after = screen();
		// The terminal is back: the final report was printed below, the shell runs again.
		expect(after).toContain('Reports: ');
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {end: {by: string}; partial: boolean; thresholds: Array<{status: string}>};
		expect(report).toMatchObject({partial: false, end: {by: 'q'}});
		// q is not an interruption: the exit code is the verdict's (1 when it failed, else 0).
		const failed = report.thresholds.some(threshold => threshold.status === 'fail');
		expect(fs.readFileSync(done, 'utf8').trim()).toBe(failed ? '1' : '0');
		// The workload's output went to workload.log, never onto the screen Ink draws.
		expect(fs.readFileSync(path.join(onlyRunDir(dir), 'workload.log'), 'utf8')).toContain('leaky: started');
	});
});

describe.skipIf(!available)('the live screen\'s first read', () => {
	const name = `${session}-first`;
	// A server of its own too: begun on the first block's socket right after its kill-server, the new
	// session failed on Node 26 in CI ("server exited unexpectedly").
	const firstTmux = (...args: string[]): string => execFileSync('tmux', ['-L', name, ...args], {encoding: 'utf8'});
	afterAll(() => {
		try {
			firstTmux('kill-server');
		} catch {}
	});

	test('comes as the command starts, not after the screen has loaded and drawn', async () => {
		// A shell that waits 0.3 s, then runs Node. Ink and React took about 0.6 s to load after the
		// command had started and the first frame was drawn before the first read. That read was Node,
		// loaded, with its first leak unseen. Now the screen loads before the command and draws after
		// the first read: the shell, a few MiB.
		const dir = temporaryDir();
		const done = `${dir}.exit-code`;
		const command = `FORCE_COLOR=0 ${process.execPath} ${cliArgs().join(' ')} --interval 200ms --duration 2s --report-dir ${dir} -- sh -c 'sleep 0.3; exec ${process.execPath} ${fixture('steady.js')} 5'; echo $? > ${done}`;
		firstTmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', 'sh', '-c', command);
		await waitFor(() => fs.existsSync(done), 20_000, 'memmon to exit');
		const samples = readSamples(onlyRunDir(dir));
		expect(Number(samples[0]!.rss_bytes)).toBeLessThan(8 * 1024 * 1024);
		// Node came later, and was read loaded.
		expect(Math.max(...samples.map(sample => Number(sample.rss_bytes)))).toBeGreaterThan(30 * 1024 * 1024);
		fs.rmSync(dir, {recursive: true, force: true});
		fs.rmSync(done, {force: true});
	});
});

describe.skipIf(!available)('stopping the live screen', () => {
	const start = (name: string, dir: string, done: string): void => {
		const command = `FORCE_COLOR=0 ${process.execPath} ${cliArgs().join(' ')} --interval 200ms --report-dir ${dir} -- ${process.execPath} ${fixture('steady.js')} 5; echo $? > ${done}; echo SHELL-BACK; sleep 60`;
		stopTmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', 'sh', '-c', command);
	};

	afterAll(() => {
		try {
			stopTmux('kill-server');
		} catch {}
	});

	test('Ctrl+C: interrupted, final report, exit 130, the terminal is back', async () => {
		const dir = temporaryDir();
		const done = `${dir}.exit-code`;
		start('ctrl-c', dir, done);
		await waitFor(() => /\d+ samples/.test(stopTmux('capture-pane', '-p', '-t', 'ctrl-c')) ? true : undefined, 15_000, 'the dashboard');
		stopTmux('send-keys', '-t', 'ctrl-c', 'C-c');
		await waitFor(() => fs.existsSync(done) && stopTmux('capture-pane', '-p', '-t', 'ctrl-c').includes('SHELL-BACK'), 15_000, 'memmon to exit');
		expect(fs.readFileSync(done, 'utf8').trim()).toBe('130');
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {partial: boolean; end: {by: string}};
		expect(report).toMatchObject({partial: false, end: {by: 'SIGINT'}});
		// The cursor is shown again and the shell's output follows the report.
		expect(stopTmux('capture-pane', '-p', '-t', 'ctrl-c')).toMatch(/Reports: .*\n130\nSHELL-BACK|Reports: [^\n]*\n(?:.*\n)*SHELL-BACK/);
		fs.rmSync(dir, {recursive: true, force: true});
		fs.rmSync(done, {force: true});
	});

	test('the terminal closed (SIGHUP, no screen/tmux to keep it): final report, workload stopped', async () => {
		const dir = temporaryDir();
		const done = `${dir}.exit-code`;
		start('hangup', dir, done);
		await waitFor(() => /\d+ samples/.test(stopTmux('capture-pane', '-p', '-t', 'hangup')) ? true : undefined, 15_000, 'the dashboard');
		const runDir = onlyRunDir(dir);
		const workload = (JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {pid: number}).pid;
		const memmon = memmonPid(dir);
		stopTmux('kill-session', '-t', 'hangup');
		const report = await waitFor(() => {
			try {
				const parsed = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {partial: boolean; end: {by: string} | null};
				return parsed.partial ? undefined : parsed;
			} catch {
				return undefined;
			}
		}, 15_000, 'the final report');
		expect(report.end).toMatchObject({by: 'SIGHUP'});
		const gone = (pid: number): boolean => {
			try {
				return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
			} catch {
				return true;
			}
		};

		await waitFor(() => gone(workload), 10_000, 'the workload to stop');
		// memmon itself exits too (after the report.json seen above it still writes the others).
		await waitFor(() => gone(memmon), 10_000, 'memmon to exit');
		fs.rmSync(dir, {recursive: true, force: true});
		fs.rmSync(done, {force: true});
	});
});

describe.skipIf(!available)('quiet when there is nothing new', () => {
	// A server of its own: the other blocks' servers may still be shutting down.
	const quiet = (...args: string[]): string => execFileSync('tmux', ['-L', `${session}-quiet`, ...args], {encoding: 'utf8'});
	afterAll(() => {
		try {
			quiet('kill-server');
		} catch {}
	});

	test('between samples nothing is written to the terminal', async () => {
		const dir = temporaryDir();
		const log = `${dir}.pty`;
		quiet('new-session', '-d', '-s', 'quiet', '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', process.execPath, ...cliArgs(), '--interval', '10s', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5');
		quiet('pipe-pane', '-t', 'quiet', '-o', `cat >> ${log}`);
		await waitFor(() => / 1 sample\b/.test(quiet('capture-pane', '-p', '-t', 'quiet')) ? true : undefined, 15_000, 'the first frame');
		// The first frame is out; the next sample is due at 10 s (a loaded machine can be seconds late
		// with the first frame). Let the frame settle, then listen.
		await new Promise(resolve => {
			setTimeout(resolve, 1000);
		});
		const before = fs.statSync(log).size;
		await new Promise(resolve => {
			setTimeout(resolve, 3000);
		});
		expect(fs.statSync(log).size).toBe(before);
		await waitFor(() => /2 samples/.test(quiet('capture-pane', '-p', '-t', 'quiet')) ? true : undefined, 10_000, 'the second sample');
		// The pane shows a frame before tmux's pipe (through `cat`) has appended it to the log: the
		// second sample's frame reaches the log, not necessarily at once.
		await waitFor(() => fs.statSync(log).size > before, 5000, 'the second frame in the log');
		quiet('send-keys', '-t', 'quiet', 'q');
		fs.rmSync(log, {force: true});
	});
});

/** The PID of the memmon writing to `dir`: the parent of the workload its run.json names. */
function memmonPid(dir: string): number {
	const workload = (JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'run.json'), 'utf8')) as {pid: number}).pid;
	const stat = fs.readFileSync(`/proc/${workload}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe.skipIf(!available)('every stop path under a terminal restores it', () => {
	const term = (...args: string[]): string => execFileSync('tmux', ['-L', `${session}-paths`, ...args], {encoding: 'utf8'});
	afterAll(() => {
		try {
			term('kill-server');
		} catch {}
	});

	type Path = {name: string; args: string[]; env?: string; trigger?: (dir: string) => void; by: string | undefined; reason: string};
	const paths: Path[] = [
		{name: 'q', args: [], trigger: () => term('send-keys', '-t', 'q', 'q'), by: 'q', reason: 'stopped'},
		{name: 'ctrlc', args: [], trigger: () => term('send-keys', '-t', 'ctrlc', 'C-c'), by: 'SIGINT', reason: 'stopped'},
		{name: 'sigterm', args: [], trigger: dir => process.kill(memmonPid(dir), 'SIGTERM'), by: 'SIGTERM', reason: 'stopped'},
		{name: 'duration', args: ['--duration', '1500ms'], by: undefined, reason: 'duration'},
		{name: 'exits', args: [], by: undefined, reason: 'target-exited'},
		{name: 'error', args: [], env: 'MEMMON_FAULT=throw-after:4', by: 'error', reason: 'stopped'},
	];

	// Each path mostly waits on memmon in its own tmux session: they run at once.
	test.concurrent.each(paths.map(p => [p.name, p]))('%s', async (name, p) => {
		const dir = temporaryDir();
		// The workload that exits lives long enough for the dashboard to be seen first, even under load.
		const workload = name === 'exits' ? `${fixture('exit-early.js')} 0 4000` : `${fixture('steady.js')} 5`;
		const command = `${p.env ?? ''} FORCE_COLOR=0 ${process.execPath} ${cliArgs().join(' ')} --interval 200ms ${p.args.join(' ')} --report-dir ${dir} -- ${process.execPath} ${workload}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}icanon\\|-\\{0,1\\}echo'; echo SHELL-BACK; sleep 60`;
		term('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', 'sh', '-c', command);
		// The scrollback too: a path that ends by itself may have printed its report below the last frame.
		await waitFor(() => /\d+ samples/.test(term('capture-pane', '-p', '-t', name, '-S', '-200')) ? true : undefined, 15_000, 'the dashboard');
		if (p.trigger) {
			// Ink turns raw mode on just after its first frame. A Ctrl-C typed before that is the
			// terminal's SIGINT to the whole foreground group, which also ends the test's own shell.
			// (The paths without a trigger end by themselves, perhaps before this could see raw mode.)
			const tty = term('display', '-p', '-t', name, '#{pane_tty}').trim();
			await waitFor(() => /(^|\s)-icanon(\s|$)/.test(execFileSync('stty', ['-a', '-F', tty], {encoding: 'utf8'})) ? true : undefined, 5000, 'raw mode');
			p.trigger(dir);
		}

		const screen = await waitFor(() => {
			const text = term('capture-pane', '-p', '-t', name, '-S', '-200');
			return text.includes('SHELL-BACK') ? text : undefined;
		}, 20_000, 'memmon to exit');
		// Raw mode is off again (canonical input, echo) and the cursor is visible.
		expect(screen).toMatch(/^icanon$/m);
		expect(screen).toMatch(/^echo$/m);
		expect(term('display', '-p', '-t', name, '#{cursor_flag}').trim()).toBe('1');
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {partial: boolean; end: {reason: string; by?: string}};
		expect(report.partial).toBe(false);
		expect(report.end.reason).toBe(p.reason);
		expect(report.end.by).toBe(p.by);

		term('kill-session', '-t', name);
		fs.rmSync(dir, {recursive: true, force: true});
	});
});

describe.skipIf(!available)('a mark label typed and pasted in a real terminal', () => {
	const name = `memmon-paste-${process.pid}`;
	const term = (...args: string[]): string => execFileSync('tmux', ['-L', name, ...args], {encoding: 'utf8'});
	const view = (): string => term('capture-pane', '-p', '-t', name).replace(/\n+$/, '');
	const dir = temporaryDir();
	const done = `${dir}.exit-code`;

	afterAll(() => {
		try {
			term('kill-server');
		} catch {}

		fs.rmSync(dir, {recursive: true, force: true});
		fs.rmSync(done, {force: true});
	});

	test('m, then a label sent in one piece and one pasted: both marked as given, and the frame stays whole', async () => {
		const command = `FORCE_COLOR=0 ${process.execPath} ${cliArgs().join(' ')} --interval 200ms --report-dir ${dir} -- ${process.execPath} ${fixture('steady.js')} 30; echo $? > ${done}; sleep 60`;
		term('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', 'TERM=screen', 'sh', '-c', command);
		const whole = (text: string): boolean => {
			const rows = text.split('\n');
			return rows[0]!.startsWith('memmon · ') && rows.at(-1)!.startsWith('q quit+report') && rows.every(row => row.length <= 100);
		};

		await waitFor(() => /\b([3-9]|\d\d+) samples/.test(view()) ? true : undefined, 15_000, 'the dashboard, a few samples in');
		// As a user did it: `send-keys m`, then the label and Enter in one send-keys.
		term('send-keys', '-t', name, 'm');
		await waitFor(() => view().split('\n').at(-1)!.startsWith('mark label: ') ? true : undefined, 5000, 'the label prompt');
		term('send-keys', '-t', name, 'mid soak', 'Enter');
		await waitFor(() => whole(view()) ? true : undefined, 5000, 'the key bar back after the first mark');
		// Two samples on, so the next mark is not merged into this one (marks closer than a sample are).
		const samples = (): number => Number(/(\d+) samples/.exec(view())?.[1] ?? 0);
		const before = samples();
		await waitFor(() => samples() >= before + 2 ? true : undefined, 5000, 'two more samples');
		// A real paste (tmux's paste buffer, bracketed when the application asks for it).
		term('send-keys', '-t', name, 'm');
		await waitFor(() => view().split('\n').at(-1)!.startsWith('mark label: ') ? true : undefined, 5000, 'the label prompt again');
		term('set-buffer', 'after load');
		term('paste-buffer', '-p', '-t', name);
		await waitFor(() => view().split('\n').at(-1) === 'mark label: after load▏ (Enter marks, Esc cancels)' ? true : undefined, 5000, 'the pasted label in the prompt');
		term('send-keys', '-t', name, 'Enter');
		// Within two samples the frame is whole again: header first, key bar last, nothing wider than the terminal.
		const repaired = await waitFor(() => {
			const text = view();
			return whole(text) && !text.includes('mark label') ? text : undefined;
		}, 5000, 'a whole frame after the paste');
		expect(repaired).not.toMatch(/mid soak mid|after loada/);

		term('send-keys', '-t', name, 'q');
		await waitFor(() => fs.existsSync(done) ? true : undefined, 15_000, 'memmon to exit');
		const report = JSON.parse(fs.readFileSync(path.join(onlyRunDir(dir), 'report.json'), 'utf8')) as {phases: Array<{label: string}>};
		expect(report.phases.map(phase => phase.label)).toEqual(['start', 'mid soak', 'after load']);
	});
});
