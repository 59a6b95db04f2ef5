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

/**
Interpreters and runtimes whose program is an argument: for each, the options that take the next
argument as their value (`java -cp lib Main`, `node -r dotenv/config app.js`), and those that run
code given inline, which leaves no program name but the interpreter's (`python3 -c …`, `node -e …`).
*/
type Interpreter = {readonly valued: ReadonlySet<string>; readonly inline: ReadonlySet<string>; readonly run?: string};
const shell: Interpreter = {valued: new Set(['-o', '-O', '+o', '+O']), inline: new Set(['-c'])};
const nodeLike: Interpreter = {
	valued: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--inspect-port', '--title', '--input-type']),
	inline: new Set(['-e', '--eval', '-p', '--print']),
};
const pythonLike: Interpreter = {valued: new Set(['-W', '-X', '--check-hash-based-pycs']), inline: new Set(['-c'])};
const interpreters = new Map<string, Interpreter>([
	['node', nodeLike], ['nodejs', nodeLike], ['bun', {...nodeLike, run: 'run'}], ['deno', {valued: new Set(), inline: new Set(['eval']), run: 'run'}],
	['python', pythonLike], ['python3', pythonLike], ['python2', pythonLike], ['pypy3', pythonLike],
	['ruby', {valued: new Set(['-I', '-r', '-C', '-E', '--encoding']), inline: new Set(['-e'])}],
	['perl', {valued: new Set(['-I', '-x']), inline: new Set(['-e', '-E'])}],
	['php', {valued: new Set(['-c', '-d', '-z']), inline: new Set(['-r'])}],
	['java', {
		valued: new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--upgrade-module-path', '--add-modules', '--add-opens', '--add-exports', '--add-reads', '--enable-native-access', '--limit-modules']),
		inline: new Set(),
	}],
	['sh', shell], ['bash', shell], ['dash', shell], ['zsh', shell], ['npx', {valued: new Set(['-p', '--package']), inline: new Set(['-c', '--call'])}], ['uv', {valued: new Set(), inline: new Set(), run: 'run'}],
]);

/**
The program an interpreter runs, as a name: a script's file name without its extension, a Java
main class without its package (`com.acme.Server` → `Server`) or a jar's name, a Python module
(`-m http.server`); undefined when there is none (inline code, a script read from a descriptor).
*/
function programOf(interpreter: string, kind: Interpreter, args: readonly string[]): string | undefined {
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (kind.inline.has(arg)) {
			return undefined;
		}

		if (kind.valued.has(arg)) {
			i++;
			continue;
		}

		if (interpreter === 'java' && (arg === '-jar' || arg === '-m' || arg === '--module')) {
			const value = args[i + 1];
			return value === undefined ? undefined : arg === '-jar' ? path.basename(value).replace(/\.jar$/i, '') : value.split('/').at(-1)!.split('.').at(-1);
		}

		if (pythonLike === kind && arg === '-m') {
			return args[i + 1];
		}

		if (arg === kind.run) {
			continue;
		}

		if (arg === '--' || !arg.startsWith('-')) {
			const at = arg === '--' ? i + 1 : i;
			const script = args[at];
			// One runner starting another (`uv run python3 app.py`, `npx node app.js`): the inner one's program.
			if (script !== undefined && interpreters.has(path.basename(script))) {
				return nameOf(args.slice(at), '') || undefined;
			}

			// A script read from a descriptor (`bash /dev/fd/3`, as a version manager's shim starts)
			// has no name worth keeping.
			if (script === undefined || /^\/(?:dev|proc)\//.test(script)) {
				return undefined;
			}

			return interpreter === 'java' ? script.split('.').at(-1) : path.basename(script).replace(/\.[a-z]+$/i, '');
		}
	}

	return undefined;
}

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
	const name = path.basename(file);
	// `python3.12`, `node22`: the interpreter's family.
	const family = name.replace(/[\d.]+$/, '');
	const interpreter = interpreters.get(name) ?? interpreters.get(family);
	const program = interpreter ? programOf(interpreters.has(name) ? name : family, interpreter, args) : undefined;
	return sanitizeLabel(program ?? name) || sanitizeLabel(name) || fallback;
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

/**
Keep a label safe to use in a folder name: letters, digits, '.', '_', '-', and no leading dot
(`--label ../x` made a hidden folder, `..-x-…`, that `ls` and `memmon report` passed over).
*/
export function sanitizeLabel(label: string): string {
	return label.replaceAll(/[^\w.-]+/g, '-').replaceAll(/^[-.]+|-+$/g, '').slice(0, 60);
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
