/** The Prometheus metrics of a run: names, labels, the verdict gauge, absent values, the endpoint. */
import net from 'node:net';
import {afterEach, describe, expect, test} from 'vitest';
import {RunMetrics, serveMetrics, targetLabel, type MetricsServer} from '../source/metrics.js';
import {UsageError} from '../source/errors.js';
import {leakSnapshot, leakStore} from './helpers/snapshot.js';

const labels = {label: 'demo', target: 'node server.js', mode: 'process', version: '9.9.9'} as const;

/** `name{labels} value` lines → a map from the whole series text to its value. */
function series(text: string): Map<string, number> {
	const map = new Map<string, number>();
	for (const line of text.split('\n')) {
		const match = /^(memmon_\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
		if (match) {
			map.set(match[1]!, Number(match[2]));
		}
	}

	return map;
}

describe('RunMetrics', () => {
	test('each figure of the snapshot, under the run\'s label and target', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		const snapshot = leakSnapshot();
		metrics.update(snapshot);
		const values = series(await metrics.text());
		const id = '{label="demo",target="node server.js"}';
		expect(values.get('memmon_info{label="demo",target="node server.js",mode="process",version="9.9.9"}')).toBe(1);
		expect(values.get(`memmon_resident_bytes${id}`)).toBe(snapshot.now!.rss);
		expect(values.get(`memmon_proportional_bytes${id}`)).toBe(snapshot.pss!.pss);
		expect(values.get(`memmon_peak_bytes${id}`)).toBe(Math.max(snapshot.peak!, snapshot.hwm!));
		expect(values.get(`memmon_samples_total${id}`)).toBe(snapshot.samples);
		const growth = snapshot.assessment.growth;
		expect(growth.rate).toBeGreaterThan(0);
		expect(values.get(`memmon_growth_rate_bytes_per_hour${id}`)).toBe(growth.rate);
		expect(values.get(`memmon_growth_rate_low_bytes_per_hour${id}`)).toBe(growth.low);
		expect(values.get(`memmon_growth_rate_high_bytes_per_hour${id}`)).toBe(growth.high);
		expect(values.get('memmon_system_memory_bytes{label="demo",kind="available"}')).toBe(snapshot.system!.available);
	});

	test('threads, open descriptors and RSS by kind, where they were read', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		const count = (first: number, last: number) => ({first, last, peak: last});
		metrics.update(leakSnapshot(leakStore(), {threads: count(4, 40), fds: count(10, 300), kinds: {anon: count(1, 70), file: count(2, 20), shmem: count(0, 5)}}));
		const values = series(await metrics.text());
		expect(values.get('memmon_threads{label="demo",target="node server.js"}')).toBe(40);
		expect(values.get('memmon_open_fds{label="demo",target="node server.js"}')).toBe(300);
		expect(values.get('memmon_resident_kind_bytes{label="demo",target="node server.js",kind="anon"}')).toBe(70);
		expect(values.get('memmon_resident_kind_bytes{label="demo",target="node server.js",kind="shmem"}')).toBe(5);
		// Not read (pidusage, --system): absent, never 0.
		metrics.update(leakSnapshot(leakStore(), {threads: undefined, fds: undefined}));
		expect([...series(await metrics.text()).keys()].some(name => name.startsWith('memmon_threads{'))).toBe(false);
	});

	test('the verdict gauge: 1 for the current verdict, 0 for the other four; it follows changes', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		const verdicts = async (): Promise<Record<string, number>> => Object.fromEntries([...series(await metrics.text())]
			.filter(([name]) => name.startsWith('memmon_verdict{'))
			.map(([name, value]) => [/verdict="(\w+)"/.exec(name)![1]!, value]));
		// 25 minutes of steady growth: long enough to be called (a minute of it is "can't tell yet").
		const leaking = leakSnapshot(leakStore(1500));
		metrics.update(leaking);
		expect(leaking.assessment.growth.verdict).toBe('failure');
		expect(await verdicts()).toEqual({acceptable: 0, warning: 0, failure: 1, leak: 0, undecided: 0});
		const early = leakStore(5);
		metrics.update(leakSnapshot(early));
		expect(await verdicts()).toEqual({acceptable: 0, warning: 0, failure: 0, leak: 0, undecided: 1});
	});

	test('the warm-up is done only once its end is found; while it goes on, the end so far is where the rate is judged from', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		const snapshot = leakSnapshot(leakStore(300));
		const at = (warmupOpen: boolean | undefined) => ({...snapshot, assessment: {...snapshot.assessment, growth: {...snapshot.assessment.growth, warmupEnd: 150, warmupOpen}}});
		metrics.update(at(true));
		expect(series(await metrics.text()).get('memmon_warmup_done{label="demo",target="node server.js"}')).toBe(0);
		expect(series(await metrics.text()).get('memmon_warmup_end_seconds{label="demo",target="node server.js"}')).toBe(150);
		metrics.update(at(undefined));
		expect(series(await metrics.text()).get('memmon_warmup_done{label="demo",target="node server.js"}')).toBe(1);
	});

	test('unknown figures are absent, never 0; the samples counter only counts new samples', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		const store = leakStore(5);
		metrics.update(leakSnapshot(store, {pss: undefined}));
		metrics.update(leakSnapshot(store, {pss: undefined}));
		const text = await metrics.text();
		expect(text).not.toMatch(/^memmon_growth_rate_bytes_per_hour\{/m);
		expect(text).not.toMatch(/^memmon_proportional_bytes\{/m);
		expect(text).not.toMatch(/^memmon_warmup_end_seconds\{/m);
		expect(series(text).get('memmon_samples_total{label="demo",target="node server.js"}')).toBe(5);
	});

	test('the target label is bounded: one line, at most 80 characters', () => {
		expect(targetLabel('node  server.js\n--port 0')).toBe('node server.js --port 0');
		const long = targetLabel(`python3 ${'x'.repeat(200)}`);
		expect(long).toHaveLength(80);
		expect(long.endsWith('…')).toBe(true);
	});

	test('memmon\'s own process metrics are there by default', async () => {
		const text = await new RunMetrics(labels).text();
		expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
		expect(text).toMatch(/^process_cpu_seconds_total /m);
	});
});

describe('the endpoint', () => {
	let server: MetricsServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	test('serves /metrics on loopback, and nothing else', async () => {
		const metrics = new RunMetrics(labels, {processMetrics: false});
		server = await serveMetrics(metrics, '127.0.0.1', 0, () => leakSnapshot());
		expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
		const response = await fetch(server.url);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		expect(await response.text()).toMatch(/^memmon_resident_bytes\{label="demo",target="node server.js"\} \d+$/m);
		expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
	});

	test('a port in use is a usage error naming the port and the fix', async () => {
		const blocker = net.createServer();
		await new Promise<void>(resolve => {
			blocker.listen(0, '127.0.0.1', resolve);
		});
		const {port} = blocker.address() as net.AddressInfo;
		try {
			const attempt = serveMetrics(new RunMetrics(labels, {processMetrics: false}), '127.0.0.1', port, () => undefined);
			await expect(attempt).rejects.toThrow(UsageError);
			await expect(attempt).rejects.toThrow(`--metrics-port: 127.0.0.1:${port} is already in use: choose another port with --metrics-port (0 picks a free one)`);
		} finally {
			blocker.close();
		}
	});
});
