/** Every bad input: one line on stderr naming the problem and the fix, exit code 2, no stack trace. */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {cliEnv, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
const blocker = path.join(dir, 'a-file');
fs.writeFileSync(blocker, 'not a folder');
const brokenLink = path.join(dir, 'unmounted');
fs.symlinkSync(path.join(dir, 'no-such-disk'), brokenLink);
const readOnly = path.join(dir, 'read-only');
fs.mkdirSync(readOnly);
fs.chmodSync(readOnly, 0o500);

const cases: Array<[string, string[], RegExp]> = [
	['no target', [], /nothing to watch: give --pid PID, a command after `--` .*, or --system/],
	['both --pid and a command', ['--pid', '1', '--', 'true'], /either --pid or a command/],
	['--system with a command', ['--system', '--', 'true'], /--system watches the whole machine: give it without --pid or a command/],
	['a PID that does not exist', ['--pid', '4194300'], /no process with PID 4194300: check it with `ps -p 4194300`/],
	['a command that is not found', ['--report-dir', dir, '--', 'no-such-command-memmon'], /command not found: no-such-command-memmon: check the spelling, or give its full path/],
	['--interval 0', ['--interval', '0', '--', 'true'], /--interval 0 must be positive/],
	['--interval 10x', ['--interval', '10x', '--', 'true'], /--interval 10x is not a duration: use a number with a unit, e.g. --interval 5s/],
	['--duration -5m', ['--duration', '-5m', '--', 'true'], /--duration -5m must be positive/],
	['a report folder blocked by a file', ['--report-dir', path.join(blocker, 'sub'), '--', 'true'], /cannot create report folder .*a-file\/sub \(a file is in the way\): choose another with --report-dir/],
	// Node's recursive mkdir spins at 100% of a core forever on these two.
	['a report folder behind a broken link', ['--report-dir', path.join(brokenLink, 'reports'), '--', 'true'], /cannot create report folder .*unmounted\/reports \(a folder on its path cannot hold folders: a broken link, or a file system like \/proc\): choose another with --report-dir$/],
	['a report folder under /proc', ['--report-dir', '/proc/memmon-reports', '--', 'true'], /cannot create report folder \/proc\/memmon-reports \(a folder on its path cannot hold folders/],
	['an unknown flag', ['--frobnicate', '--', 'true'], /unknown flag --frobnicate: see memmon --help/],
	['a stray argument', ['node', 'server.js'], /unexpected argument "node": put the command to run after `--`/],
	['a flag given twice', ['--interval', '1s', '--interval', '2s', '--', 'true'], /^memmon: --interval is given twice: give it once$/],
	['a threshold given twice', ['--max-growth', '1MB', '--max-growth=2MB', '--', 'true'], /^memmon: --max-growth is given twice: give it once$/],
	['--junit naming a folder', ['--junit', dir, '--report-dir', dir, '--', 'true'], /^memmon: --junit .* is a folder: give a file name, e.g. --junit .*junit\.xml$/],
	['--junit with no name', ['--junit=', '--', 'true'], /^memmon: --junit needs a file name/],
	['--kill-grace past what a timer holds', ['--kill-grace', '25d', '--', 'true'], /^memmon: --kill-grace 25d is too long: use at most 1h$/],
	['--pid in hex', ['--pid', '0x10'], /^memmon: --pid 0x10 is not a process ID: use its decimal number/],
	['a unit given twice', ['--duration', '1m1m', '--', 'true'], /^memmon: --duration 1m1m is not a duration/],
	['a flag of memmon report on a run', ['--since', '1h', '--', 'true'], /^memmon: --since is not a flag of a run \(it belongs to memmon report\): see memmon --help$/],
	['a flag of a run on memmon analyze', ['analyze', '--interval', '1s', dir], /^memmon: --interval is not a flag of memmon analyze \(it belongs to a run\): see memmon --help$/],
];

describe('bad input', () => {
	test.each(cases)('%s', async (_name, args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^memmon: /);
		expect(lines[0]).toMatch(message);
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	// Root may write anywhere; the read-only case only means something for other users.
	test.skipIf(process.getuid?.() === 0)('a report folder that cannot be written', async () => {
		const result = await runCli(['--report-dir', readOnly, '--', 'true']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/cannot write to report folder .* \(permission denied\): choose another with --report-dir/);
	});

	test('a command that is not found leaves no run folder behind', async () => {
		const reports = path.join(dir, 'reports');
		await runCli(['--report-dir', reports, '--', 'no-such-command-memmon']);
		expect(fs.readdirSync(reports).filter(name => name !== 'latest')).toEqual([]);
	});

	test('--help and --version', async () => {
		const help = await runCli(['--help']);
		expect(help.code).toBe(0);
		for (const flag of ['--pid', '--no-children', '--interval', '--duration', '--label', '--report-dir', '--plain', '--print-every', 'Exit codes', 'MB and MiB']) {
			expect(help.stdout).toContain(flag);
		}

		const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string; description: string};
		// As meow printed it: a blank line, the description, a blank line, the help unindented.
		expect(help.stdout.startsWith(`\n${pkg.description}\n\nUsage\n  $ memmon [options] --pid PID`)).toBe(true);
		expect(help.stdout.endsWith('  $ memmon analyze memmon-reports/latest --json\n\n')).toBe(true);
		// Anywhere among memmon's own flags, -h too: the help, not a run.
		for (const argv of [['-h'], ['--pid', '1', '--help'], ['--plain', '-h'], ['analyze', '--help']]) {
			const other = await runCli([...argv, '--report-dir', path.join(dir, 'help-reports')]);
			expect(other.code).toBe(0);
			expect(other.stdout).toBe(help.stdout);
		}

		expect(fs.existsSync(path.join(dir, 'help-reports'))).toBe(false);
		for (const argv of [['--version'], ['-v'], ['--plain', '--version']]) {
			const version = await runCli(argv);
			expect(version.code).toBe(0);
			expect(version.stdout.trim()).toBe(pkg.version);
		}
	});
});

test('GITHUB_STEP_SUMMARY naming a folder: one line at the start, exit 2, no run folder', async () => {
	const reports = temporaryDir();
	const result = await runCli(['--report-dir', reports, '--', 'true'], {...cliEnv(), GITHUB_STEP_SUMMARY: dir});
	expect(result.code).toBe(2);
	expect(result.stderr).toBe(`memmon: GITHUB_STEP_SUMMARY=${dir} is a folder: point it at a file (GitHub sets it so), or unset it\n`);
	expect(fs.readdirSync(reports)).toEqual([]);
});
