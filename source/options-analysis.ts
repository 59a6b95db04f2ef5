/** The analysis flags (bands, warm-up, CI thresholds) → an analysis config, for a run and `memmon analyze`. */
import {DEFAULT_BANDS, type AnalysisConfig} from './analysis/index.js';
import {UsageError} from './errors.js';
import {parseDuration, parseRate, parseSize} from './units.js';

/** The raw analysis flags, shared by a run and `memmon analyze`. */
export type RawAnalysisFlags = {
	readonly maxGrowth?: string | undefined;
	readonly maxRate?: string | undefined;
	readonly bands?: string | undefined;
	readonly warmup?: string | undefined;
	readonly baselineTolerance?: string | undefined;
	readonly verdictGate?: boolean | undefined;
};

/** Validate the analysis flags. */
export function parseAnalysisOptions(flags: RawAnalysisFlags): AnalysisConfig {
	let bands = DEFAULT_BANDS;
	if (flags.bands !== undefined) {
		const parts = flags.bands.split(',').map(part => parseRate(part.trim()));
		if (parts.length !== 2 || parts.some(part => part === undefined || part < 0) || parts[0]! >= parts[1]!) {
			throw new UsageError(`--bands ${flags.bands} is not two increasing rates: use e.g. --bands 1,5 (MiB/h) or --bands 500KB/h,2MB/h`);
		}

		bands = [parts[0]!, parts[1]!];
	}

	let warmup: number | 'auto' = 'auto';
	if (flags.warmup !== undefined && flags.warmup !== 'auto') {
		const ms = parseDuration(flags.warmup);
		if (ms === undefined || ms < 0) {
			throw new UsageError(`--warmup ${flags.warmup} is not a duration: use auto, 0, or e.g. --warmup 10m`);
		}

		warmup = ms / 1000;
	}

	let maxGrowth: number | undefined;
	if (flags.maxGrowth !== undefined) {
		maxGrowth = parseSize(flags.maxGrowth);
		if (maxGrowth === undefined || maxGrowth < 0) {
			throw new UsageError(`--max-growth ${flags.maxGrowth} is not a size: use e.g. --max-growth 50MB`);
		}
	}

	let maxRate: number | undefined;
	if (flags.maxRate !== undefined) {
		maxRate = parseRate(flags.maxRate);
		if (maxRate === undefined || maxRate < 0) {
			throw new UsageError(`--max-rate ${flags.maxRate} is not a rate: use e.g. --max-rate 1MB/h`);
		}
	}

	let baselineTolerance: number | undefined;
	if (flags.baselineTolerance !== undefined) {
		baselineTolerance = parseSize(flags.baselineTolerance);
		if (baselineTolerance === undefined || baselineTolerance < 0) {
			throw new UsageError(`--baseline-tolerance ${flags.baselineTolerance} is not a size: use e.g. --baseline-tolerance 10MB`);
		}
	}

	return {bands, warmup, maxGrowth, maxRate, baselineTolerance, verdictGate: flags.verdictGate};
}

