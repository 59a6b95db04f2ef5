/**
report.txt, in the style of the memory-test plan's hand-made reports: Initial / After 25% / 50% / 75% /
100% with Δ, the quarter averages, the rates, the peak, and how the run ended.
*/
import {formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../../units.js';
import {GAP_NOTE, growthBasis, operationsBasis} from '../../analysis/index.js';
import {startedText, targetName, type RunReport} from '../run-report.js';
import {jvmHeapRows} from '../jvm-heap.js';
import {allocationRows, allocationsTitle, countNote, countValue, heapRows, heapTitle, initialNote, jsHeapRows, kindRows, limitNote, mappingRows, processRows} from './counts.js';

function row(label: string, value: string, extra = ''): string {
	return `  ${label.padEnd(22)}${value.padStart(12)}${extra ? `   ${extra}` : ''}`;
}

/** The phases between marks, when there are marks. */
function phaseLines(report: RunReport): string[] {
	const lines: string[] = [];
	if (report.phases.length > 1) {
		lines.push('', 'Phases (between marks)', `  ${'phase'.padEnd(16)}${'start'.padStart(9)}${'end'.padStart(9)}${'min'.padStart(11)}${'max'.padStart(11)}${'mean'.padStart(11)}${'ends at'.padStart(11)}${'Δ'.padStart(11)}  rate`);
		for (const phase of report.phases) {
			lines.push(`  ${phase.label.slice(0, 15).padEnd(16)}${formatDuration(phase.startSeconds * 1000).padStart(9)}${formatDuration(phase.endSeconds * 1000).padStart(9)}${formatBytes(phase.min).padStart(11)}${formatBytes(phase.max).padStart(11)}${formatBytes(phase.mean).padStart(11)}${formatBytes(phase.endLevel).padStart(11)}${formatDelta(phase.delta).padStart(11)}  ${formatRate(phase.ratePerHour)}`);
		}
	}

	return lines;
}

/** Where the memory goes: tracemalloc's lines and the heap's constructors, when traced. */
function whereLines(report: RunReport): string[] {
	const lines: string[] = [];
	const allocations = report.allocations;
	if (allocations) {
		lines.push('', allocationsTitle(allocations));
		lines.push(...allocations.note ? [`  ${allocations.note}`] : allocations.lines.length === 0 ? ['  no line holds more than at the baseline'] : allocationRows(allocations).map(([size, blocks, where]) => `  ${size.padStart(11)}  ${blocks.padStart(16)}  ${where}`));
	}

	const heap = report.heap;
	if (heap) {
		lines.push('', heapTitle(heap));
		if (heap.note) {
			lines.push(`  ${heap.note}`);
		} else if (heap.classes.length === 0) {
			lines.push('  no constructor has more instances than at the baseline');
		} else {
			lines.push(`  ${'instances'.padStart(11)}  ${'own size'.padStart(11)}  ${'retained'.padStart(11)}  constructor`, ...heapRows(heap).map(([count, size, retained, name]) => `  ${count.padStart(11)}  ${size.padStart(11)}  ${retained.padStart(11)}  ${name}`));
			if (heap.path) {
				lines.push(`  held by: ${heap.path}`);
			}
		}
	}

	return lines;
}

/** Render the plain-text report. */
export function renderTextReport(report: RunReport): string {
	const {facts, memory, assessment} = report;
	const q = assessment.quarters;
	const lines: string[] = [];
	const started = startedText(facts);
	const title = `memmon report: ${facts.label}${report.partial ? '  (PARTIAL: run in progress)' : ''}`;
	lines.push(title, '='.repeat(title.length), '');
	lines.push(
		row('Target', targetName(facts), ''),
		...facts.system ? [] : [facts.pid === 0 ? row('PID', '—', 'not recorded') : row('PID', String(facts.pid), facts.children ? 'with descendants' : 'process only')],
		started ? row('Started', `${started} UTC`) : row('Started', '—', 'not recorded'),
		row('Duration', formatDuration(report.elapsedSeconds * 1000)),
		row('Interval', formatDuration(facts.intervalMs)),
		row('Samples', String(report.samples), report.failedSamples > 0 ? `${report.failedSamples} failed reads (gaps)` : ''),
		row('Ended', report.end?.text ?? 'still running'),
		row('Host', facts.host),
		...facts.memoryLimit ? [row('Memory limit', formatBytes(facts.memoryLimit.bytes), limitNote(facts.memoryLimit, facts.system ? undefined : report.memory.peakSampled))] : [],
		'',
		facts.system ? 'Memory (used: total − available)' : 'Memory (RSS)',
	);
	if (q) {
		const base = q.milestones[0];
		const names = ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%'];
		for (const [i, value] of q.milestones.entries()) {
			lines.push(row(names[i]!, formatBytes(value), i === 0 ? initialNote(q.initialAt) : `Δ ${formatDelta(value - base)}`));
		}
	} else {
		lines.push(row('Initial', formatBytes(memory.initial), initialNote(memory.initialAt)), row('Final', formatBytes(memory.final), memory.growth === undefined ? '' : `Δ ${formatDelta(memory.growth)}`));
	}

	lines.push(
		row('Minimum', formatBytes(memory.min)),
		row('Peak (sampled)', formatBytes(memory.peakSampled), memory.peakSampledAtSeconds === undefined ? '' : `at ${formatDuration(memory.peakSampledAtSeconds * 1000)}`),
		...facts.system ? [] : [row('Peak (VmHWM)', formatBytes(memory.peakHwm), memory.peakHwm === undefined ? 'not available here' : 'kernel high-water marks, summed')],
		...facts.system ? [] : [row('Threads', countValue(report.counts.threads), countNote(report.counts.threads)), row('Open descriptors', countValue(report.counts.fds), countNote(report.counts.fds)), ...kindRows(report.counts.kinds).map(([label, value, note]) => row(label, value, note)), ...mappingRows(report.mappings).map(([label, value, note]) => row(label, value, note)), ...jsHeapRows(report.jsHeap).map(([label, value, note]) => row(label, value, note)), ...jvmHeapRows(report.jvmHeap).map(([label, value, note]) => row(label, value, note)), ...processRows(report.processes, report.elapsedSeconds, facts.intervalMs / 1000).map(([label, value, note]) => row(label, value, note))],
		'',
	);
	if (q) {
		lines.push('Quarter averages');
		for (const [i, value] of q.averages.entries()) {
			const delta = i === 0 ? '' : `Δ ${formatDelta(value - q.averages[0])}`;
			lines.push(row(`Q${i + 1}`, formatBytes(value), q.gaps?.includes(i) ? `${delta}   ${GAP_NOTE}` : delta));
		}

		lines.push(
			row('Growth Q1 → Q4', formatDelta(q.growth), `over ${formatDuration((q.centres[3] - q.centres[0]) * 1000)} between quarter centres`),
			row('Rate (quarters)', formatRate(q.ratePerHour)),
		);
	} else {
		lines.push('Quarter averages: not enough samples (need at least 4)');
	}

	lines.push(row('Rate (least squares)', formatRate(assessment.leastSquares)), '');
	const growth = assessment.growth;
	const mib = (v: number) => (v / 1_048_576).toFixed(1);
	lines.push(
		'Growth verdict',
		row('Verdict', growth.verdict.toUpperCase(), growth.note ?? ''),
		row('Rate', formatRate(growth.rate), growth.rate === undefined ? 'not yet known' : growth.low === undefined || growth.high === undefined ? growth.method : `95% bounds${growth.verdict === 'undecided' && report.partial ? ' so far' : ''}: ${formatRateRange(growth.low, growth.high)}`),
		// No Mann–Kendall p here: the verdict is the bounds', and on a clean line the p behind the
		// autocorrelation-corrected variance reads "not significant" (0.14 beside 103 … 110 MiB/h).
		row('Method', '', growth.method),
		row('Pattern', '', growth.pattern ?? '—'),
		row('Warm-up', ...warmupRow(growth)),
		row('Growth', formatDelta(assessment.totalGrowth), assessment.totalGrowth === undefined ? '' : growthBasis(assessment)),
		...report.perOperations ? [row('Per 100K operations', formatDelta(report.perOperations.bytes), operationsBasis(report.perOperations))] : [],
		row('Bands (MiB/h)', `${mib(assessment.bands[0])} · ${mib(assessment.bands[1])}`, 'acceptable below · warning · failure above'),
	);
	lines.push(...phaseLines(report));
	lines.push(...whereLines(report));
	lines.push('', 'Thresholds');
	for (const threshold of assessment.thresholds) {
		lines.push(row(threshold.name, threshold.status.toUpperCase(), `${threshold.value} (limit ${threshold.limit})`));
	}

	if (report.nextSteps.length > 0) {
		lines.push('', 'Where the memory goes: what to run next', ...report.nextSteps.map(step => `  - ${step}`));
	}

	return `${lines.join('\n')}\n`;
}

/** The Warm-up row's value and note: how long it lasted and that it was dropped, or that none was found. */
function warmupRow(growth: RunReport['assessment']['growth']): [string, string] {
	if (growth.warmupEnd === undefined) {
		return ['—', ''];
	}

	if (growth.warmupEnd === 0) {
		return ['none found', 'the rate is read from the start'];
	}

	const open = growth.warmupOpen;
	return [`${formatDuration(growth.warmupEnd * 1000)}${open ? ' so far' : ''}`, `dropped before the rate was judged${open ? '; its end not found yet (the rise may not be over)' : ''}`];
}
