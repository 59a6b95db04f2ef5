/** One flag's value checked: durations, counts, labels, patterns; each bad one a usage error naming the fix. */
import fs from 'node:fs';
import path from 'node:path';
import {UsageError} from './errors.js';
import {parseDuration} from './units.js';

/** What to watch. */
export type TargetSpec =
	| {readonly kind: 'pid'; readonly pid: number}
	| {readonly kind: 'command'; readonly argv: readonly string[]}
	| {readonly kind: 'system'}
	| {readonly kind: 'resume'; readonly runDir: string};

/** A positive duration flag (`5s`, `10m`, `1h30m`), in milliseconds. */
export function durationFlag(name: string, value: string, example: string): number {
	const ms = parseDuration(value);
	if (ms === undefined) {
		throw new UsageError(`--${name} ${value} is not a duration: use a number with a unit, e.g. --${name} ${example}`);
	}

	if (ms <= 0) {
		throw new UsageError(`--${name} ${value} must be positive: use e.g. --${name} ${example}`);
	}

	return ms;
}

const interpreters = new Set(['node', 'nodejs', 'python', 'python3', 'python2', 'bun', 'deno', 'ruby', 'perl', 'php', 'java', 'sh', 'bash', 'npx', 'uv', 'pypy3']);

/**
A short run name from the command (`node server.js` → `server`), for an attached process from its
command line as /proc shows it (`pid-1234` where that cannot be read: a kernel thread, a process
gone, or another user's under hidepid).
*/
export function defaultLabel(target: TargetSpec, procRoot = '/proc'): string {
	if (target.kind === 'pid') {
		let argv: string[] = [];
		try {
			argv = fs.readFileSync(`${procRoot}/${target.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
		} catch {
			// Unreadable: named by its PID.
		}

		return argv.length > 0 ? nameOf(argv, `pid-${target.pid}`) : `pid-${target.pid}`;
	}

	if (target.kind === 'resume') {
		return 'resumed';
	}

	if (target.kind === 'system') {
		return 'system';
	}

	return nameOf(target.argv, 'run');
}

/** The program's name in a command line: the script an interpreter runs, or the executable's. */
function nameOf(argv: readonly string[], fallback: string): string {
	const [file = fallback, ...args] = argv;
	let name = path.basename(file);
	if (interpreters.has(name)) {
		const script = args.find(arg => !arg.startsWith('-'));
		// A script read from a descriptor (`bash /dev/fd/3`, as a version manager's shim starts) has
		// no name worth keeping: the interpreter's is kept.
		if (script && !/^\/(?:dev|proc)\//.test(script)) {
			name = path.basename(script).replace(/\.[a-z]+$/i, '');
		}
	}

	return sanitizeLabel(name) || fallback;
}

/** `--ops 100000`, `--ops 100K`, `--ops 1.5M`: a positive count of operations. */
export function operationCount(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
	const value = match ? Number(match[1]) * ({k: 1e3, m: 1e6}[match[2]!.toLowerCase()] ?? 1) : Number.NaN;
	if (!Number.isFinite(value) || value < 1) {
		throw new UsageError(`--ops ${text} is not a count of operations: use e.g. --ops 100000 or --ops 100K`);
	}

	return Math.round(value);
}

/** Keep a label safe to use in a folder name. */
export function sanitizeLabel(label: string): string {
	return label.replaceAll(/[^\w.-]+/g, '-').replaceAll(/^-+|-+$/g, '').slice(0, 60);
}

/** A regular expression flag (`--mark-pattern`, `--ops-pattern`), or undefined when not given. */
export function markPattern(source: string | undefined, flag = 'mark-pattern', example = "'PHASE (\\w+)'"): RegExp | undefined {
	if (source === undefined) {
		return undefined;
	}

	try {
		return new RegExp(source);
	} catch (error) {
		throw new UsageError(`--${flag} ${JSON.stringify(source)} is not a regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')}): e.g. --${flag} ${example}`);
	}
}
