/**
memmon scraped by a real Prometheus server (Debian `prometheus`, installed by .ci/run), and the
example alert rules checked by promtool. Loopback only; the server is stopped whatever happens.
*/
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {fixture, readSamples, root, startCli, temporaryDir, waitFor} from '../helpers/cli.js';

function which(command: string): boolean {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

// CI installs Prometheus and promtool (.ci/run sets MEMMON_CI=1); a machine without them skips, CI never does.
const available = which('prometheus') && which('promtool');
if (process.env.MEMMON_CI === '1' && !available) {
	throw new Error('prometheus and promtool are required in CI: .ci/run installs the Debian package prometheus');
}

const dir = temporaryDir();
const children: ChildProcess[] = [];
afterAll(async () => {
	// SIGTERM first: memmon then stops its workload (SIGKILL would leave the leaking workload running).
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await new Promise(resolve => {
				const timer = setTimeout(resolve, 8000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
			child.kill('SIGKILL');
		}
	}

	fs.rmSync(dir, {recursive: true, force: true});
});

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => {
		server.close(resolve);
	});
	return port;
}

type Vector = Array<{metric: Record<string, string>; value: [number, string]}>;

describe.skipIf(!available)('Prometheus', () => {
	test('promtool accepts the example alert rules and scrape config', () => {
		const examples = path.join(root, 'examples/prometheus');
		expect(execFileSync('promtool', ['check', 'rules', path.join(examples, 'alerts.yml')], {encoding: 'utf8'})).toMatch(/SUCCESS: 4 rules found/);
		expect(execFileSync('promtool', ['check', 'config', path.join(examples, 'prometheus.yml')], {encoding: 'utf8'})).toMatch(/is valid prometheus config file syntax/);
	});

	test('a real Prometheus scrapes memmon: the RSS and growth-rate series match memmon\'s own record', async () => {
		// memmon on a steady leak (64 KiB every 50 ms), metrics on a free loopback port.
		const reports = path.join(dir, 'reports');
		const memmon = startCli(['--plain', '--interval', '200ms', '--metrics-port', '0', '--label', 'scraped', '--report-dir', reports, '--', process.execPath, fixture('leaky.js'), '64', '50']);
		children.push(memmon.child);
		let stderr = '';
		memmon.child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const target = await waitFor(() => /metrics at http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1], 10_000, 'the metrics URL');

		// Prometheus, scraping every second, its data in a temporary folder.
		const port = await freePort();
		const config = path.join(dir, 'prometheus.yml');
		fs.writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: memmon\n    static_configs:\n      - targets: ['${target}']\n`);
		const prometheus = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], {stdio: 'ignore'});
		children.push(prometheus);
		const api = `http://127.0.0.1:${port}`;
		const query = async (expr: string, time?: number): Promise<Vector> => {
			const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}${time === undefined ? '' : `&time=${time}`}`);
			const body = await response.json() as {status: string; data: {result: Vector}};
			expect(body.status).toBe('success');
			return body.data.result;
		};

		try {
			// Two scrapes, and a growth rate known to memmon (it needs a few seconds of samples): the
			// series read at one instant, again until all are there (a loaded machine scrapes late).
			let scrapes = 0;
			let series: {resident?: Vector[number]; count?: Vector[number]; rate?: Vector[number]; verdicts: Vector} = {verdicts: []};
			for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
				try {
					scrapes = Number((await query('count_over_time(memmon_resident_bytes{label="scraped"}[5m])'))[0]?.value[1] ?? 0);
					// Three seconds back: a scrape stamped before `at` but stored between two of the queries
					// below (a loaded machine) gave the resident bytes of one scrape and the count of the next.
					const at = (Date.now() / 1000) - 3;
					series = {
						resident: (await query('memmon_resident_bytes{label="scraped"}', at))[0],
						count: (await query('memmon_samples_total{label="scraped"}', at))[0],
						rate: (await query('memmon_growth_rate_bytes_per_hour{label="scraped"}', at))[0],
						verdicts: await query('memmon_verdict{label="scraped"} == 1', at),
					};
					// At least 40 samples (8 s) behind the scraped rate: on a loaded machine Node's own start-up
					// spans the first seconds' samples, and a rate over a dozen of them is mostly that (CI read 9.6×).
					if (scrapes >= 2 && series.resident && series.rate && Number(series.count?.value[1] ?? 0) >= 40) {
						break;
					}
				} catch {}

				await new Promise(resolve => {
					setTimeout(resolve, 500);
				});
			}

			expect(scrapes).toBeGreaterThanOrEqual(2);
			const {resident, count, rate, verdicts} = series;
			expect(rate, 'a growth rate scraped within a minute').toBeDefined();
			// The command, cut to 80 characters (a Node installed in a deep folder cuts it early).
			const command = [process.execPath, fixture('leaky.js'), '64', '50'].join(' ');
			expect(resident!.metric).toMatchObject({job: 'memmon', label: 'scraped', target: command.length > 80 ? `${command.slice(0, 79)}…` : command});
			expect(verdicts).toHaveLength(1);

			// Stop memmon (its final report), then compare with what it recorded.
			memmon.child.kill('SIGINT');
			expect((await memmon.result).code).toBe(130);
			const run = fs.readdirSync(reports).find(name => name.startsWith('scraped-'))!;
			const samples = readSamples(path.join(reports, run));
			// The scraped RSS is the recorded sample the scraped count points at: both come from one snapshot.
			const n = Number(count!.value[1]);
			expect(n).toBeGreaterThanOrEqual(2);
			expect(Number(resident!.value[1])).toBe(Number(samples[n - 1]!.rss_bytes));
			// A steady leak: the live rate Prometheus saw agrees with the report's within 25%.
			const report = JSON.parse(fs.readFileSync(path.join(reports, run, 'report.json'), 'utf8')) as {growth: {rate_bytes_per_hour: number}};
			const live = Number(rate!.value[1]);
			expect(live).toBeGreaterThan(0);
			expect(Math.abs(live - report.growth.rate_bytes_per_hour) / report.growth.rate_bytes_per_hour, `live ${live} at sample ${n}, report ${report.growth.rate_bytes_per_hour}`).toBeLessThan(0.25);
		} finally {
			prometheus.kill('SIGTERM');
			await new Promise(resolve => {
				const timer = setTimeout(() => {
					prometheus.kill('SIGKILL');
				}, 5000);
				prometheus.once('exit', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
		}
	}, 90_000);
});
