/** What CI systems read: JUnit XML (--junit), report.md and $GITHUB_STEP_SUMMARY. */
import fs from 'node:fs';
import path from 'node:path';
import {XMLParser} from 'fast-xml-parser';
import {validateXML} from 'xmllint-wasm';
import {afterAll, describe, expect, test} from 'vitest';
import {cliEnv, fixture, onlyRunDir, runCli, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

/** Validate against the common JUnit schema (test/fixtures/junit.xsd) with libxml2's xmllint. */
async function schemaErrors(xml: string): Promise<string[]> {
	const result = await validateXML({xml: {fileName: 'junit.xml', contents: xml}, schema: {fileName: 'junit.xsd', contents: fs.readFileSync(fixture('junit.xsd'), 'utf8')}});
	return result.errors.map(error => error.rawMessage);
}

type Case = {'@_name': string; '@_classname': string; failure?: {'@_message': string}; skipped?: {'@_message': string}};

describe('CI reports', () => {
	test('a failing gate: JUnit with one case per threshold, failures carrying the numbers; the step summary appended', async () => {
		const junit = path.join(dir, 'junit.xml');
		const summary = path.join(dir, 'summary.md');
		fs.writeFileSync(summary, '# earlier step\n');
		const reports = path.join(dir, 'gate');
		// Stopped by memmon at --duration, after its last sample (one that exits on its own can be
		// sampled mid-teardown, its growth then reading low).
		const result = await runCli(['--interval', '100ms', '--duration', '1500ms', '--max-growth', '5MB', '--max-rate', '1MB/h', '--junit', junit, '--report-dir', reports, '--', process.execPath, fixture('leaky.js'), '1024', '50'], cliEnv({GITHUB_STEP_SUMMARY: summary}));
		expect(result.code).toBe(1);

		const xml = new XMLParser({ignoreAttributes: false, isArray: name => name === 'testcase'}).parse(fs.readFileSync(junit, 'utf8')) as {testsuites: {'@_tests': string; '@_failures': string; testsuite: {'@_name': string; '@_tests': string; testcase: Case[]}}};
		const suite = xml.testsuites.testsuite;
		expect(await schemaErrors(fs.readFileSync(junit, 'utf8'))).toEqual([]);
		expect(suite['@_name']).toBe('memmon.leaky');
		// The gates the user asked for; the verdict gates only when none is given (--verdict-gate).
		expect(suite.testcase.map(c => c['@_name'].split(' ')[0])).toEqual(['growth', 'rate']);
		const growth = suite.testcase[0]!;
		// Node's own start-up (its RSS doubling in the first tenth of a second) is not growth: it counts
		// from the end of that step, or of a warm-up (test/analysis/pipeline.test.ts). On a loaded
		// machine the first sample can come after Node has loaded; then there is no step to skip.
		expect(growth.failure!['@_message']).toMatch(/^growth: [\d.]+ MiB (since start-up ended at (?:\d+ms|[\d.]+s)|since the warm-up's end at (?:\d+ms|[\d.]+s)|since the first sample) \(limit ≤ 5\.0 MiB\)$/);
		expect(Number(suite['@_tests'])).toBe(2);
		expect(Number(xml.testsuites['@_failures'])).toBe(suite.testcase.filter(c => c.failure).length);

		const markdown = fs.readFileSync(path.join(onlyRunDir(reports), 'report.md'), 'utf8');
		expect(markdown).toMatch(/^### memmon: leaky — /);
		expect(markdown).toMatch(/\| growth \| ❌ fail \| [\d.]+ MiB (since start-up ended at (?:\d+ms|[\d.]+s)|since the warm-up's end at (?:\d+ms|[\d.]+s)|since the first sample) \| ≤ 5\.0 MiB \|/);
		expect(markdown).toContain('| After 100% |');
		// Appended after what earlier steps wrote.
		expect(fs.readFileSync(summary, 'utf8')).toBe(`# earlier step\n${markdown}\n`);
	});

	test('a passing gate: no failures; an undecided threshold (the verdict, asked for) is skipped with its reason', async () => {
		const junit = path.join(dir, 'pass.xml');
		const result = await runCli(['--interval', '100ms', '--duration', '1s', '--max-growth', '500MB', '--verdict-gate', '--junit', junit, '--report-dir', path.join(dir, 'pass'), '--', process.execPath, fixture('steady.js'), '5']);
		const xml = new XMLParser({ignoreAttributes: false, isArray: name => name === 'testcase'}).parse(fs.readFileSync(junit, 'utf8')) as {testsuites: {testsuite: {testcase: Case[]}}};
		expect(await schemaErrors(fs.readFileSync(junit, 'utf8'))).toEqual([]);
		const [growth, verdict] = xml.testsuites.testsuite.testcase;
		expect(growth!.failure).toBeUndefined();
		// A second of data: no verdict yet, said so, and no failure.
		expect(verdict!.skipped!['@_message']).toMatch(/^verdict: not yet known — undecided: (too few points|rising — warm-up or leak\?)$/);
		expect(result.code).toBe(0);
	});

	test('a run too short to judge growth: the gate is undecided, not PASS, and says how to fix it', async () => {
		const junit = path.join(dir, 'short.xml');
		const result = await runCli(['--interval', '1s', '--max-growth', '5MB', '--junit', junit, '--report-dir', path.join(dir, 'short'), '--', process.execPath, '-e', 'setTimeout(() => {}, 1500)']);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/growth\s+UNDECIDED\s+fewer than 5 samples: too few to judge; use a shorter --interval/);
		const xml = new XMLParser({ignoreAttributes: false, isArray: name => name === 'testcase'}).parse(fs.readFileSync(junit, 'utf8')) as {testsuites: {testsuite: {testcase: Case[]}}};
		expect(xml.testsuites.testsuite.testcase.map(c => Boolean(c.skipped))).toEqual([true]);
	});

	test('a 3-s leaking test without --interval is judged: the first seconds are sampled at 5 Hz, and the gate fails', async () => {
		const result = await runCli(['--max-growth', '20MB', '--report-dir', path.join(dir, 'fast'), '--', process.execPath, '-e',
			'const kept = []; setInterval(() => kept.push(Buffer.alloc(4e6, 1)), 100); setTimeout(() => process.exit(0), 3000)']);
		// From the end of Node's start-up when the first samples caught it loading, else from the first.
		expect(result.stderr).toMatch(/growth\s+FAIL\s+[\d.]+ MiB since (the first sample|start-up ended at (?:\d+ms|[\d.]+s)) \(limit ≤ 20\.0 MiB\)/);
		expect(result.code).toBe(1);
		const rows = fs.readFileSync(path.join(dir, 'fast', 'latest', 'samples.csv'), 'utf8').trim().split('\n').length - 1;
		expect(rows).toBeGreaterThanOrEqual(12);
	});

	test('the schema check can fail: a case with two outcomes, or no name, is rejected', async () => {
		const suite = (body: string): string => `<testsuites><testsuite name="s" tests="1" failures="1">${body}</testsuite></testsuites>`;
		expect(await schemaErrors(suite('<testcase classname="c" name="n"><failure message="m"/><skipped/></testcase>'))).not.toEqual([]);
		expect(await schemaErrors(suite('<testcase classname="c"/>'))).not.toEqual([]);
		expect(await schemaErrors(suite('<testcase classname="c" name="n" time="0.5"><failure message="m">text</failure></testcase>'))).toEqual([]);
	});

	test('a --junit path that cannot be written is an error before sampling', async () => {
		const result = await runCli(['--junit', path.join(dir, 'no/such/folder/junit.xml'), '--report-dir', path.join(dir, 'never'), '--', 'true']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^memmon: cannot write --junit .*junit\.xml: its folder does not exist or is not writable; create it or choose another path\n$/);
		expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
	});
});
