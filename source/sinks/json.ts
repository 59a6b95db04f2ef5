/**
`--json`: the run as NDJSON on stdout, for `jq` and log shippers. One object per line:
`{"type":"sample",…}` per sample, `{"type":"verdict",…}` whenever the verdict shown (or why it is undecided) changes, and
`{"type":"summary",…}` (report.json's fields) at the end. Bytes, seconds, bytes per hour.
*/
import {growthJson} from '../record/reports/json.js';
import type {Snapshot} from '../snapshot.js';

/** Writes the NDJSON lines of one run. */
export class JsonSink {
	readonly #write: (line: string) => void;
	readonly #startedAtMs: number;
	#samples = 0;
	#verdict: string | undefined;

	constructor(write: (line: string) => void, startedAtMs: number) {
		this.#write = write;
		this.#startedAtMs = startedAtMs;
	}

	/** A new snapshot: a sample line when there is a new sample, a verdict line when it changed. */
	update(snapshot: Snapshot): void {
		if (snapshot.samples !== this.#samples && snapshot.now) {
			this.#samples = snapshot.samples;
			const now = snapshot.now;
			const system = snapshot.system;
			this.#line({
				type: 'sample',
				t: Math.round(snapshot.elapsedMs) / 1000,
				time: new Date(this.#startedAtMs + snapshot.elapsedMs).toISOString(),
				[snapshot.mode === 'system' ? 'used_bytes' : 'rss_bytes']: now.rss,
				...snapshot.mode === 'system' ? {
					available_bytes: system?.available ?? null,
					total_bytes: system?.total ?? null,
					buffers_cache_bytes: system?.buffersCache ?? null,
					swap_used_bytes: system?.swapUsed ?? null,
				} : {
					pss_bytes: now.pss ?? null,
					uss_bytes: now.uss ?? null,
					swap_bytes: now.swap ?? null,
					cpu_percent: now.cpu ?? null,
					processes: now.processes.length,
				},
				samples: snapshot.samples,
				failed_samples: snapshot.failed,
			});
		}

		// A line when the verdict changes, and when an undecided verdict's reason does ("rising" → "flat so far").
		const growth = snapshot.assessment.growth;
		const key = `${growth.verdict} ${growth.verdict === 'undecided' ? growth.reason ?? '' : ''}`;
		if (key !== this.#verdict) {
			this.#verdict = key;
			this.#line({
				type: 'verdict',
				t: Math.round(snapshot.elapsedMs) / 1000,
				...growthJson(growth),
			});
		}
	}

	/** The final line: report.json's fields, with `type: "summary"` first. */
	summary(reportJson: string, runDir: string): void {
		this.#line({type: 'summary', run_dir: runDir, ...JSON.parse(reportJson) as Record<string, unknown>});
	}

	#line(value: Record<string, unknown>): void {
		this.#write(`${JSON.stringify(value)}\n`);
	}
}
