/// <reference lib="dom" />
/**
The report commands on recorded runs (test/fixtures/runs/, made by its record.sh): `memmon report`,
`compare` and `analyze`, and report.html opened in headless Chromium.
*/
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import puppeteer, {type Browser} from 'puppeteer-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fixture, readSamples, runCli, temporaryDir} from '../helpers/cli.js';

const runs = fixture('runs');
const run = (name: string): string => path.join(runs, name);
const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

/** A copy of a fixture run: analyze rewrites the reports of the folder it is given. */
function copyRun(name: string): string {
	const target = path.join(dir, name);
	fs.cpSync(run(name), target, {recursive: true});
	return target;
}

/** The samples of a run as numbers, by column name. */
function column(runDir: string, name: string): number[] {
	const [header, ...rows] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').split('\n').filter(line => /^\d.*,/.test(line) || line.startsWith('t_seconds'));
	const index = header!.split(',').indexOf(name);
	return rows.map(row => Number(row.split(',')[index])).filter(value => Number.isFinite(value) && value > 0);
}

type ReportRow = {label: string; status: string; samples: number; peakBytes: number; verdict: string};

test('memmon report: every recorded run, newest first, with its status', async () => {
	const result = await runCli(['report', runs, '--json']);
	// The leaky run failed its gate (the verdict, when it was recorded): report says so in its exit code.
	expect(result.code).toBe(1);
	const rows = JSON.parse(result.stdout) as ReportRow[];
	expect(rows.map(row => row.label)).toEqual(['killed', 'system', 'cleanup', 'leaky', 'impl-b', 'impl-a']);
	const byLabel = Object.fromEntries(rows.map(row => [row.label, row]));
	// Killed by -9 after a checkpoint: its report is the partial one, rewritten long ago.
	expect(byLabel.killed!.status).toBe('interrupted');
	expect(rows.filter(row => row.status === 'finished')).toHaveLength(5);
	expect(byLabel.leaky!.verdict).toBe('failure');
	// The peak in the table is the recorded one.
	expect(byLabel['impl-b']!.peakBytes).toBe(Math.max(...column(run('impl-b'), 'rss_bytes'), ...column(run('impl-b'), 'hwm_bytes')));

	const table = (await runCli(['report', runs])).stdout.split('\n');
	expect(table[1]).toMatch(/^killed +\d{4}-\d\d-\d\d \d\d:\d\d .* interrupted$/);
	expect(table.find(line => line.startsWith('leaky'))).toMatch(/ failure +FAIL verdict +finished$/);
});

test('memmon compare: the two implementations, with the peak difference computed from their samples', async () => {
	const result = await runCli(['compare', run('impl-a'), run('impl-b')]);
	expect(result.code).toBe(0);
	const peak = (name: string): number => Math.max(...column(run(name), 'rss_bytes'), ...column(run(name), 'hwm_bytes'));
	const percent = Math.round((peak('impl-b') - peak('impl-a')) / peak('impl-a') * 100);
	expect(percent).toBeGreaterThan(30);
	expect(result.stdout).toContain(`impl-b uses ${percent}% more memory at peak than impl-a`);
	expect(result.stdout).not.toContain('differ in length');
});

test('memmon analyze: a run cut by kill -9 is rebuilt, its half line dropped with a note', async () => {
	const killed = copyRun('killed');
	const rows = column(killed, 'rss_bytes').length;
	const result = await runCli(['analyze', '--json', killed]);
	expect(result.code).toBe(0);
	expect(result.stderr).toMatch(/the last line was cut off .* it was dropped/);
	expect(JSON.parse(result.stdout)).toMatchObject({samples: rows, truncated: true});
	const report = JSON.parse(fs.readFileSync(path.join(killed, 'report.json'), 'utf8')) as {partial: boolean; samples: number};
	expect(report).toMatchObject({partial: false, samples: rows});
	expect(fs.existsSync(path.join(killed, 'report.html'))).toBe(true);
});

// CI installs Chromium (.ci/run sets MEMMON_CI=1); a developer machine without it skips, CI never does.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(file => fs.existsSync(file));
if (process.env.MEMMON_CI === '1' && !chromium) {
	throw new Error('Chromium is required in CI for the report.html test: .ci/run installs it (Debian package chromium)');
}

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await puppeteer.launch({executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']});
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
	});

	test.each([
		['cleanup', 3, /^peak /],
		['leaky', 0, /^peak /],
		['system', 0, /^peak /],
	])('%s: loads offline with no console errors; the chart is drawn across the run', async (name, marks, peakLabel) => {
		const runDir = copyRun(name);
		// Rebuilt by today's verdict: four seconds of growth are "can't tell yet", so no run fails.
		expect((await runCli(['analyze', runDir])).code).toBe(0);
		const html = path.join(runDir, 'report.html');
		const page = await browser.newPage();
		const problems: string[] = [];
		const requests: string[] = [];
		page.on('console', message => {
			if (message.type() === 'error' || message.type() === 'warn') {
				problems.push(message.text());
			}
		});
		page.on('pageerror', error => problems.push(String(error)));
		page.on('request', request => requests.push(request.url()));
		await page.goto(pathToFileURL(html).href, {waitUntil: 'load'});
		const drawn = await page.evaluate(() => {
			const svg = document.querySelector('svg#chart') as SVGSVGElement;
			const line = svg.querySelector('polyline.rss') as SVGPolylineElement;
			const plot = svg.viewBox.baseVal;
			return {
				viewWidth: plot.width,
				lineWidth: line.getBBox().width,
				lineHeight: line.getBBox().height,
				points: line.points.numberOfItems,
				shown: svg.getBoundingClientRect().width,
				marks: svg.querySelectorAll('line.mark').length,
				notes: Array.from(svg.querySelectorAll('text.note'), text => text.textContent ?? ''),
				yTicks: Array.from(svg.querySelectorAll('text.tick[text-anchor="end"]'), text => text.textContent ?? ''),
				verdict: document.querySelector('#verdict')?.textContent,
			};
		});
		await page.close();

		expect(problems).toEqual([]);
		// Self-contained: the page itself is the only thing loaded.
		expect(requests).toEqual([pathToFileURL(html).href]);
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {samples: number; growth: {verdict: string}; memory: {min_bytes: number}};
		// The axis spans what is drawn (every sample, a started command's exec moment too): a swap of 0
		// does not pin it at 0 MiB.
		const lowest = Number(drawn.yTicks[0]!.split(' ')[0]) * (drawn.yTicks[0]!.endsWith('GiB') ? 1024 : 1) * 1024 * 1024;
		const sampled = Math.min(...readSamples(runDir).map(row => Number(row.rss_bytes ?? row.used_bytes)));
		expect(report.memory.min_bytes).toBeGreaterThanOrEqual(sampled);
		expect(lowest).toBeGreaterThan(sampled / 2);
		expect(drawn.verdict).toBe(report.growth.verdict.toUpperCase());
		// One point per bucket (each about one sample here), spanning the plot from start to end.
		expect(drawn.points).toBeGreaterThan(report.samples * 0.7);
		expect(drawn.points).toBeLessThanOrEqual(report.samples);
		expect(drawn.lineWidth).toBeGreaterThan((drawn.viewWidth - 84 - 24) * 0.9);
		expect(drawn.lineHeight).toBeGreaterThan(0);
		expect(drawn.shown).toBeGreaterThan(300);
		expect(drawn.marks).toBe(marks);
		expect(drawn.notes.some(note => peakLabel.test(note))).toBe(true);
	}, 30_000);
});
