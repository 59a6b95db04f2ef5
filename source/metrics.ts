/**
`--metrics-port`: the run as Prometheus metrics, through prom-client. Every scrape reads the
session's latest snapshot (the assessment is cached per sample), so a scrape costs a few gauge
sets and the text rendering, and nothing runs between scrapes.

Labels: `label` (the run's label) and `target` (the command, `pid:N` or `system`, cut to 80
characters): one series per metric per memmon, so cardinality is bounded by the number of runs.
memmon's own process metrics are prom-client's defaults (`process_*`, `nodejs_*`).
*/
import http from 'node:http';
import {collectDefaultMetrics, Counter, Gauge, Registry} from 'prom-client';
import type {Verdict} from './analysis/index.js';
import {UsageError} from './errors.js';
import type {Snapshot} from './snapshot.js';

const verdicts: readonly Verdict[] = ['acceptable', 'warning', 'failure', 'leak', 'undecided'];

/** What identifies the run in every series. */
export type MetricLabels = {
	readonly label: string;
	/** The command line, `pid:1234` or `system`; cut to 80 characters. */
	readonly target: string;
	readonly mode: 'process' | 'system';
	readonly version: string;
};

/** The target label's value: bounded, one line. */
export function targetLabel(target: string): string {
	const line = target.replaceAll(/\s+/g, ' ').trim();
	return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The registry of one run; `update` copies a snapshot into it. */
export class RunMetrics {
	readonly registry = new Registry();
	readonly #labels: {label: string; target: string};
	readonly #resident: Gauge<'label' | 'target'>;
	readonly #proportional: Gauge<'label' | 'target'>;
	readonly #swap: Gauge<'label' | 'target'>;
	readonly #peak: Gauge<'label' | 'target'>;
	readonly #samples: Counter<'label' | 'target'>;
	readonly #failed: Counter<'label' | 'target'>;
	readonly #rate: Gauge<'label' | 'target'>;
	readonly #rateLow: Gauge<'label' | 'target'>;
	readonly #rateHigh: Gauge<'label' | 'target'>;
	readonly #growth: Gauge<'label' | 'target'>;
	readonly #verdict: Gauge<'label' | 'target' | 'verdict'>;
	readonly #warmupDone: Gauge<'label' | 'target'>;
	readonly #warmupEnd: Gauge<'label' | 'target'>;
	readonly #elapsed: Gauge<'label' | 'target'>;
	readonly #system: Gauge<'label' | 'kind'>;
	readonly #threads: Gauge<'label' | 'target'>;
	readonly #fds: Gauge<'label' | 'target'>;
	readonly #kinds: Gauge<'label' | 'target' | 'kind'>;
	#counted = {samples: 0, failed: 0};

	constructor(labels: MetricLabels, {processMetrics = true}: {processMetrics?: boolean} = {}) {
		const registers = [this.registry];
		const names = ['label', 'target'] as const;
		this.#labels = {label: labels.label, target: targetLabel(labels.target)};
		const gauge = (name: string, help: string): Gauge<'label' | 'target'> => new Gauge({name, help, labelNames: names, registers});
		new Gauge({name: 'memmon_info', help: 'The run memmon is watching (value 1).', labelNames: ['label', 'target', 'mode', 'version'], registers})
			.set({...this.#labels, mode: labels.mode, version: labels.version}, 1);
		this.#resident = gauge('memmon_resident_bytes', 'Resident memory (RSS) of the target and its descendants; with --system, the machine\'s used memory (total - available).');
		this.#proportional = gauge('memmon_proportional_bytes', 'Proportional set size (PSS) of the target and its descendants, as last read (smaps_rollup, every --pss-every).');
		this.#swap = gauge('memmon_swap_bytes', 'Swap used by the target and its descendants; with --system, by the machine.');
		this.#peak = gauge('memmon_peak_bytes', 'Peak resident memory: the largest sample, or the kernel high-water mark (VmHWM) when larger.');
		this.#samples = new Counter({name: 'memmon_samples_total', help: 'Samples taken.', labelNames: names, registers});
		this.#failed = new Counter({name: 'memmon_samples_failed_total', help: 'Samples that could not be read (gaps).', labelNames: names, registers});
		this.#rate = gauge('memmon_growth_rate_bytes_per_hour', 'Growth rate after warm-up (Theil-Sen on the memory floor); absent until known.');
		this.#rateLow = gauge('memmon_growth_rate_low_bytes_per_hour', 'One-sided 95% lower bound of the growth rate; absent until known.');
		this.#rateHigh = gauge('memmon_growth_rate_high_bytes_per_hour', 'One-sided 95% upper bound of the growth rate; absent until known.');
		this.#growth = gauge('memmon_growth_bytes', 'Growth to now, from the level after a warm-up that levelled off, else after start-up (a started command: its runtime loaded, a build before it ended) or from the first sample.');
		this.#verdict = new Gauge({name: 'memmon_verdict', help: 'The growth verdict: 1 for the current one, 0 for the others (acceptable, warning, failure, leak, undecided).', labelNames: [...names, 'verdict'], registers});
		this.#warmupDone = gauge('memmon_warmup_done', '1 once the warm-up end is known (the rate is judged after it), else 0 (also while its estimate sits at its cap, the rise maybe not over).');
		this.#warmupEnd = gauge('memmon_warmup_end_seconds', 'Elapsed seconds where the rate is judged from: the warm-up end, or how long it has lasted so far; absent until known.');
		this.#elapsed = gauge('memmon_elapsed_seconds', 'Run time so far, as of the last sample.');
		this.#threads = gauge('memmon_threads', 'Threads of the target and its descendants.');
		this.#fds = gauge('memmon_open_fds', 'Open file descriptors of the target and its descendants (counted less often for thousands).');
		this.#kinds = new Gauge({name: 'memmon_resident_kind_bytes', help: 'Resident memory of the target and its descendants by kind: anon, file, shmem (they add up to memmon_resident_bytes).', labelNames: [...names, 'kind'], registers});
		this.#system = new Gauge({name: 'memmon_system_memory_bytes', help: 'The machine\'s memory from /proc/meminfo: kind = total, available, used, buffers_cache, swap_used.', labelNames: ['label', 'kind'], registers});
		if (processMetrics) {
			collectDefaultMetrics({register: this.registry});
		}
	}

	/** Copy a snapshot into the gauges. */
	update(snapshot: Snapshot): void {
		const labels = this.#labels;
		const optional = (gauge: Gauge<'label' | 'target'>, value: number | undefined): void => {
			if (value === undefined || !Number.isFinite(value)) {
				gauge.remove(labels);
			} else {
				gauge.set(labels, value);
			}
		};

		optional(this.#resident, snapshot.now?.rss);
		optional(this.#proportional, snapshot.pss?.pss);
		optional(this.#swap, snapshot.now?.swap);
		optional(this.#peak, snapshot.peak === undefined ? snapshot.hwm : Math.max(snapshot.peak, snapshot.hwm ?? 0));
		// Counters only go up: a snapshot is never older than the last one, but guard anyway.
		this.#samples.inc(labels, Math.max(0, snapshot.samples - this.#counted.samples));
		this.#failed.inc(labels, Math.max(0, snapshot.failed - this.#counted.failed));
		this.#counted = {samples: Math.max(snapshot.samples, this.#counted.samples), failed: Math.max(snapshot.failed, this.#counted.failed)};
		const {growth, totalGrowth} = snapshot.assessment;
		optional(this.#rate, growth.rate);
		optional(this.#rateLow, growth.low);
		optional(this.#rateHigh, growth.high);
		optional(this.#growth, totalGrowth);
		for (const verdict of verdicts) {
			this.#verdict.set({...labels, verdict}, verdict === growth.verdict ? 1 : 0);
		}

		this.#warmupDone.set(labels, growth.warmupEnd === undefined || growth.warmupOpen ? 0 : 1);
		optional(this.#warmupEnd, growth.warmupEnd);
		this.#elapsed.set(labels, snapshot.elapsedMs / 1000);
		optional(this.#threads, snapshot.threads?.last);
		optional(this.#fds, snapshot.fds?.last);
		if (snapshot.kinds) {
			for (const kind of ['anon', 'file', 'shmem'] as const) {
				this.#kinds.set({...labels, kind}, snapshot.kinds[kind].last);
			}
		}

		const system = snapshot.system;
		if (system) {
			const kinds: Array<[string, number | undefined]> = [['total', system.total], ['available', system.available], ['used', system.used], ['buffers_cache', system.buffersCache], ['swap_used', system.swapUsed]];
			for (const [kind, value] of kinds) {
				if (value !== undefined) {
					this.#system.set({label: labels.label, kind}, value);
				}
			}
		}
	}

	/** The exposition text. */
	async text(): Promise<string> {
		return this.registry.metrics();
	}
}

/** A running /metrics endpoint. */
export type MetricsServer = {
	readonly url: string;
	close(): Promise<void>;
};

/**
Serve `/metrics` on host:port. The snapshot is read at each scrape (`undefined` before the first
sample: only memmon_info and memmon's own metrics). A port that cannot be bound is a UsageError.
*/
export async function serveMetrics(metrics: RunMetrics, host: string, port: number, snapshot: () => Snapshot | undefined): Promise<MetricsServer> {
	const server = http.createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0];
		if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
			response.writeHead(path === '/metrics' ? 405 : 404, {'content-type': 'text/plain'}).end(path === '/metrics' ? 'GET only\n' : 'memmon serves /metrics\n');
			return;
		}

		const now = snapshot();
		if (now) {
			metrics.update(now);
		}

		metrics.text().then(text => {
			response.writeHead(200, {'content-type': metrics.registry.contentType}).end(request.method === 'HEAD' ? undefined : text);
		}, (error: unknown) => {
			response.writeHead(500, {'content-type': 'text/plain'}).end(`${String(error)}\n`);
		});
	});
	// Scrapers keep connections alive; they must not hold memmon open at the end.
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			const where = `${host}:${port}`;
			const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'needs privileges (ports below 1024)' : error.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be bound (${error.code ?? error.message})`;
			reject(new UsageError(`--metrics-port: ${where} ${why}: choose another port with --metrics-port (0 picks a free one)${error.code === 'EADDRNOTAVAIL' ? ' or fix --metrics-host' : ''}`));
		});
		server.listen(port, host, resolve);
	});
	const address = server.address();
	const bound = typeof address === 'object' && address ? address.port : port;
	const shown = host.includes(':') ? `[${host}]` : host;
	return {
		url: `http://${shown}:${bound}/metrics`,
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
