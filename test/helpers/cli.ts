/** Run the built CLI as a user would, and small helpers for real processes. */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(root, 'dist/cli.js');

/** Node's arguments that start memmon as the installed command does (a plain `node` shebang). */
export function cliArgs(): string[] {
	return [cliPath];
}
export const fixture = (name: string): string => path.join(root, 'test/fixtures', name);

/**
The Python interpreter itself, not a version manager's shim: pyenv's `python3` is a bash script that
runs `pyenv` children before it execs Python, and a test that counts the tree's processes or reads
its first samples would read those (a loaded machine once took seconds over them).
*/
export const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {encoding: 'utf8'}).trim();

/** What a finished CLI run printed and returned. */
export type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Environment for a plain, colourless, non-CI run (tests set what they need). */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra};
	delete env.CI;
	delete env.NODE_OPTIONS;
	return env;
}

/** Start the CLI; the caller decides when it ends. */
export function startCli(args: readonly string[], env = cliEnv()): {child: ChildProcess; result: Promise<CliResult>} {
	const child = spawn(process.execPath, [...cliArgs(), ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const result = new Promise<CliResult>(resolve => {
		child.on('close', (code, signal) => {
			resolve({code, signal, stdout, stderr});
		});
	});
	return {child, result};
}

/** Run the CLI to the end. */
export async function runCli(args: readonly string[], env = cliEnv()): Promise<CliResult> {
	return startCli(args, env).result;
}

/** A fresh temporary folder. */
export function temporaryDir(prefix = 'memmon-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The single run folder under a report folder. */
export function onlyRunDir(reportDir: string): string {
	const entries = fs.readdirSync(reportDir).filter(name => name !== 'latest' && !name.startsWith('.'));
	if (entries.length !== 1) {
		throw new Error(`expected one run folder in ${reportDir}, found ${entries.join(', ') || 'none'}`);
	}

	return path.join(reportDir, entries[0]!);
}

/** Parse samples.csv into rows of named fields. */
export function readSamples(runDir: string): Array<Record<string, string>> {
	const [header, ...lines] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n');
	const names = header!.split(',');
	return lines.map(line => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
}

/** Wait until `check` returns a value, polling. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}

/** True when `command` runs here with `args` (a tool a test drives: tmux, a JDK): a machine without it skips such tests, CI never does. */
export function runs(command: string, args: readonly string[]): boolean {
	try {
		execFileSync(command, args, {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/** True while a process with this PID exists (and is not a zombie). */
export function alive(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		return state !== 'Z' && state !== 'X';
	} catch {
		return false;
	}
}

/**
Spawn a throw-away fixture process (not through memmon) in its own process group; `kill()` on
it signals the whole group, so the fixture's children never outlive the test.
*/
export function startFixture(name: string, args: readonly string[] = [], nodeArgs: readonly string[] = []): ChildProcess {
	const child = spawn(process.execPath, [...nodeArgs, fixture(name), ...args], {stdio: ['ignore', 'pipe', nodeArgs.length > 0 ? 'ignore' : 'inherit'], detached: true});
	const kill = child.kill.bind(child);
	child.kill = (signal?: NodeJS.Signals | number) => {
		try {
			process.kill(-child.pid!, signal ?? 'SIGTERM');
			return true;
		} catch {
			return kill(signal);
		}
	};

	return child;
}

/** VmRSS of a process from /proc/PID/status, in bytes. */
export function vmRss(pid: number): number {
	const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(text)![1]) * 1024;
}
