#!/usr/bin/env node
/**
The entry: the environment, the flags, and a dispatch to a command. Nothing else.
React and Ink are loaded only by the live view, so `--help` and plain mode stay fast and small.
A plain `node` shebang: no V8 flags, which Node refuses to start on once V8 renames them, and no
`env -S`, which BusyBox's env does not know.
*/
// First: memmon's React in production mode, the workload's environment kept as it was.
import './environment.js';
import fs from 'node:fs';
import {UsageError} from './errors.js';
import {flagsOf, KNOWN, meowFlags, optionsHelp, ownersOf, VALUED, type Command} from './flags.js';
import {findRepeatedFlag, findUnknownFlag, splitCommand} from './argv.js';
import {parseAnalysisOptions} from './options-analysis.js';
import {parseRunOptions, type RawRunFlags} from './options.js';
import {parseDuration} from './units.js';
import {description, version} from './version.js';

const help = `
  Usage
    $ memmon [options] --pid PID         watch a running process (never signalled)
    $ memmon [options] -- COMMAND [ARG…] run COMMAND (argv, no shell), watch it, exit with its code
    $ memmon [options] --system          the whole machine: used memory (total − available) over
                                         time, with available, cache, swap and the largest processes
    $ memmon analyze FILE|RUN_DIR… [--json] [verdict options]
                                         recompute everything from recorded samples (memmon's
                                         samples.csv, a run folder — its reports are rebuilt — or
                                         any CSV with t_seconds,rss_bytes columns)
    $ memmon report [DIR…] [--label TEXT] [--since DUR] [--json]
                                         every run in or below the folders (default
                                         ./memmon-reports), newest first: memory, growth, rate with
                                         bounds, verdict, gates, status (running, finished,
                                         interrupted); exit 1 when a listed run failed a gate
    $ memmon compare RUN_A RUN_B… [--json | --markdown]
                                         the same workload on different implementations: initial,
                                         under load, peak, growth (per 100K operations with --ops
                                         or --ops-pattern), rate, and % difference from A

${optionsHelp()}
  Keys (live screen)
    q quit and write the report · r write the report now · m mark · p pause the view · z zoom · ? help

  Units
    DUR is a number with ms, s, m, h or d (500ms, 5s, 10m, 24h, 1h30m); a bare number is seconds.
    Sizes are binary: MB and MiB both mean 1,048,576 bytes; output says KiB, MiB, GiB.

  Exit codes
    the spawned command's exit code when it is not 0 (128+N when killed by signal N); else
    1 when a threshold fails, or the verdict (failure, or leak: ≥ the low band for certain) when
    it is a gate (see --verdict-gate);
    130/143/129 when stopped by SIGINT/SIGTERM/SIGHUP; 0 otherwise.
    1 also on an internal error, 2 on bad input. analyze: 2 when a file cannot be read.

  Examples
    $ memmon --pid 1234 --interval 5m --duration 24h --label soak
    $ memmon --duration 10m --report-dir ./reports -- node server.js --port 0
    $ memmon --max-growth 50MB --max-rate 1MB/h -- python3 -m pytest tests/test_leaks.py
    $ memmon --system --duration 10m --interval 10s
    $ memmon analyze memmon-reports/latest --json
`;

function fail(message: string): never {
	process.stderr.write(`memmon: ${message}\n`);
	process.exit(2);
}

/** `--duration -5m` → `--duration=-5m`, so a negative value reaches validation instead of looking like flags. */
function glueNegativeValues(argv: readonly string[]): string[] {
	const result: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const next = argv[i + 1];
		if (VALUED.has(arg) && next !== undefined && /^-\d/.test(next)) {
			result.push(`${arg}=${next}`);
			i++;
		} else {
			result.push(arg);
		}
	}

	return result;
}

/**
The help as meow would print it (the description, a blank line, the help without its indent),
printed by memmon itself: importing meow is ~60 ms of the ~220 ms `--help` takes, and meow shows
help only for a lone `--help`.
*/
function helpText(): string {
	const lines = help.replace(/^\n+|\n+$/g, '').split('\n');
	const indent = Math.min(...lines.filter(line => line.trim() !== '').map(line => /^ */.exec(line)![0].length));
	return `\n${description()}\n\n${lines.map(line => line.slice(indent)).join('\n')}\n\n`;
}

type Flags = RawRunFlags & {readonly since?: string | undefined; readonly markdown?: boolean | undefined};

/** `memmon analyze FILE|DIR…`: the reports rebuilt, in a worker thread. */
async function analyzeCommand(inputs: readonly string[], flags: Flags, analysisFlags: Flags): Promise<void> {
	const files = [...inputs];
	if (files.length === 0) {
		fail('analyze needs at least one file or run folder, e.g. memmon analyze memmon-reports/latest');
	}

	const {analyzeInWorker} = await import('./commands/analyze-worker.js');
	process.exitCode = await analyzeInWorker(files, parseAnalysisOptions(analysisFlags), Boolean(flags.json));
}

/** `memmon compare RUN RUN…`: footprints, peaks, growth, side by side. */
async function compareCommand(runs: readonly string[], flags: Flags, analysisFlags: Flags): Promise<void> {
	if (runs.length < 2) {
		fail('compare needs at least two run folders, e.g. memmon compare reports/rust-* reports/python-*');
	}

	const {compareRow, compareVerdict, DEFINITIONS, distinctLabels, renderCompare, renderCompareMarkdown} = await import('./commands/compare.js');
	const config = parseAnalysisOptions(analysisFlags);
	const rows = distinctLabels(runs.map(run => compareRow(run, config)));
	process.stdout.write(flags.json
		? `${JSON.stringify({runs: rows, definitions: DEFINITIONS, summary: compareVerdict(rows)}, null, 2)}\n`
		: flags.markdown ? renderCompareMarkdown(rows) : renderCompare(rows));
}

/** `memmon report [DIR…]`: every run in a table; exit 1 when one failed a gate. */
async function reportCommand(inputs: readonly string[], flags: Flags): Promise<void> {
	const dirs = inputs.length > 0 ? [...inputs] : [flags.reportDir ?? 'memmon-reports'];
	const missing = dirs.find(dir => !fs.existsSync(dir) || !fs.statSync(dir).isDirectory());
	if (missing !== undefined) {
		fail(`no report folder at ${missing}: give the folder your runs went to (--report-dir), e.g. memmon report ./reports`);
	}

	let sinceMs: number | undefined;
	if (flags.since !== undefined) {
		sinceMs = parseDuration(flags.since);
		if (sinceMs === undefined || sinceMs <= 0) {
			fail(`--since ${flags.since} is not a duration: use e.g. --since 24h`);
		}
	}

	const {listRuns, renderRunTable} = await import('./commands/report.js');
	const runs = listRuns(dirs, {label: flags.label, sinceMs});
	process.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : runs.length === 0 ? `no runs in ${dirs.join(', ')}\n` : renderRunTable(runs));
	// In CI: exit 1 when a listed run failed a gate.
	process.exitCode = runs.some(run => run.failed) ? 1 : 0;
}

async function main(): Promise<void> {
	const split = splitCommand(process.argv.slice(2));
	// --help or --version among memmon's own flags (not the command's, after `--`) answers and
	// exits, wherever it stands: `memmon --pid 1234 --help` shows the help, it does not start a run.
	if (split.own.some(arg => arg === '--help' || arg === '-h')) {
		process.stdout.write(helpText());
		return;
	}

	if (split.own.some(arg => arg === '--version' || arg === '-v')) {
		process.stdout.write(`${version()}\n`);
		return;
	}

	const own = glueNegativeValues(split.own);
	const {command} = split;
	const unknown = findUnknownFlag(own, KNOWN);
	if (unknown) {
		fail(`unknown flag ${unknown}: see memmon --help for the flags there are`);
	}

	const repeated = findRepeatedFlag(own);
	if (repeated) {
		fail(`${repeated} is given twice: give it once`);
	}

	const {default: meow} = await import('meow');
	const cli = meow(help, {
		importMeta: import.meta,
		argv: own,
		flags: meowFlags(),
		allowUnknownFlags: true,
		helpIndent: 0,
	});
	// meow's flags typed by the table (its own inference needs a literal list).
	const flags = cli.flags as Flags;
	// A flag of another command is an error, not silently ignored (`memmon --since 1h -- cmd`).
	const commandName: Command = cli.input[0] === 'analyze' || cli.input[0] === 'compare' || cli.input[0] === 'report' ? cli.input[0] : 'run';
	const misplaced = findUnknownFlag(own, flagsOf(commandName));
	if (misplaced) {
		const owners = ownersOf(misplaced.replace(/^--?(no-)?/, ''));
		fail(`${misplaced} is not a flag of ${commandName === 'run' ? 'a run' : `memmon ${commandName}`}${owners.length > 0 ? ` (it belongs to ${owners.map(name => name === 'run' ? 'a run' : `memmon ${name}`).join(', ')})` : ''}: see memmon --help`);
	}

	// meow reads an absent boolean as false: the verdict gate's default (on only without explicit
	// thresholds) needs to know whether it was given at all.
	const gate = own.findLast(arg => /^--(no-)?verdict-gate(=|$)/.test(arg));
	const analysisFlags = {...flags, verdictGate: gate === undefined ? undefined : !gate.startsWith('--no-') && !/=(false|0)$/.test(gate)};
	const [name, ...inputs] = cli.input;
	if (name === 'analyze' || name === 'compare' || name === 'report') {
		await (name === 'analyze' ? analyzeCommand(inputs, flags, analysisFlags) : name === 'compare' ? compareCommand(inputs, flags, analysisFlags) : reportCommand(inputs, flags));
		return;
	}

	if (cli.input.length > 0) {
		fail(`unexpected argument ${JSON.stringify(cli.input[0])}: put the command to run after \`--\`, e.g. memmon -- ${cli.input.join(' ')}`);
	}

	const options = parseRunOptions(analysisFlags, command, {
		stdoutIsTTY: Boolean(process.stdout.isTTY),
		ci: /^(1|true|yes)$/i.test(process.env.CI ?? ''),
	});
	const [{run}, {hooksFromEnvironment}, {systemClock}] = await Promise.all([import('./commands/run.js'), import('./commands/run-hooks.js'), import('./clock.js')]);
	const result = await run(options, systemClock(), hooksFromEnvironment(process.env));
	process.exitCode = result.exitCode;
}

try {
	await main();
} catch (error) {
	if (error instanceof UsageError) {
		fail(error.message);
	}

	process.stderr.write(`memmon: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
