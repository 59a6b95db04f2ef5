/** report.md: the summary as Markdown with a small table, for CI step summaries and PRs. */
import {count, formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../../units.js';
import {operationsBasis} from '../../analysis/index.js';
import {seriesName, targetName, type RunReport} from '../run-report.js';
import {jvmHeapRows} from '../jvm-heap.js';
import {allocationRows, allocationsTitle, countNote, countValue, heapRows, heapTitle, initialNote, jsHeapRows, kindRows, mappingRows, processRows, warmupPhrase} from './counts.js';

const icon = {pass: '✅', fail: '❌', undecided: '➖'} as const;

/** Render the Markdown summary. */
export function renderMarkdownReport(report: RunReport): string {
	const {facts, memory, assessment} = report;
	const growth = assessment.growth;
	const q = assessment.quarters;
	const lines = [
		`### memmon: ${facts.label} — ${growth.verdict.toUpperCase()}${report.partial ? ' (partial)' : ''}`,
		'',
		`\`${targetName(facts)}\` · ${formatDuration(report.elapsedSeconds * 1000)} · ${count(report.samples, 'sample')} every ${formatDuration(facts.intervalMs)} · ${report.end?.text ?? 'still running'}`,
		'',
		`| | ${seriesName(facts)} | Δ |`,
		'|---|---|---|',
	];
	if (q) {
		const names = ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%'];
		for (const [i, value] of q.milestones.entries()) {
			lines.push(`| ${names[i]} | ${formatBytes(value)} | ${i === 0 ? initialNote(q.initialAt) : formatDelta(value - q.milestones[0])} |`);
		}
	} else {
		lines.push(`| Initial | ${formatBytes(memory.initial)} | ${initialNote(memory.initialAt)} |`, `| Final | ${formatBytes(memory.final)} | ${formatDelta(memory.growth)} |`);
	}

	lines.push(
		`| Peak | ${formatBytes(memory.peakHwm ?? memory.peakSampled)} | |`,
		...report.perOperations ? [`| Per 100K operations | ${formatDelta(report.perOperations.bytes)} | ${operationsBasis(report.perOperations)} |`] : [],
		...report.facts.system ? [] : [
			`| Threads | ${countValue(report.counts.threads)} | ${countNote(report.counts.threads)} |`,
			`| Open descriptors | ${countValue(report.counts.fds)} | ${countNote(report.counts.fds)} |`,
			...kindRows(report.counts.kinds).map(([label, value, note]) => `| ${label} | ${value} | ${note} |`),
			...mappingRows(report.mappings).map(([label, value, note]) => `| ${label.trim()} | ${value} | ${note} |`),
			...[...jsHeapRows(report.jsHeap), ...jvmHeapRows(report.jvmHeap)].map(([label, value, note]) => `| ${label.trim()} | ${value} | ${note} |`),
			...processRows(report.processes, report.elapsedSeconds, report.facts.intervalMs / 1000).map(([label, value, note]) => `| ${label.trim()} | ${value} | ${note} |`),
		],
		'',
		`**Growth rate** ${growth.rate === undefined ? 'not yet known' : formatRate(growth.rate)}${growth.verdict === 'undecided' && growth.rate !== undefined ? ' so far' : ''}${growth.low === undefined || growth.high === undefined ? '' : ` (95%: ${formatRateRange(growth.low, growth.high)})`} — ${growth.pattern ?? growth.note ?? growth.verdict}${growth.warmupEnd ? `, after ${warmupPhrase(growth)}` : ''}.`,
		q ? `Quarter method for comparison: ${formatRate(q.ratePerHour)}.` : '',
		'',
		...report.phases.length > 1 ? [
			'| phase | start | end | min | max | mean | ends at | Δ | rate |',
			'|---|---|---|---|---|---|---|---|---|',
			...report.phases.map(phase => `| ${phase.label} | ${formatDuration(phase.startSeconds * 1000)} | ${formatDuration(phase.endSeconds * 1000)} | ${formatBytes(phase.min)} | ${formatBytes(phase.max)} | ${formatBytes(phase.mean)} | ${formatBytes(phase.endLevel)} | ${formatDelta(phase.delta)} | ${formatRate(phase.ratePerHour)} |`),
			'',
		] : [],
		...report.allocations ? [
			`**${allocationsTitle(report.allocations)}**`,
			'',
			...report.allocations.note ? [report.allocations.note] : ['| bytes added | blocks added | where |', '|---|---|---|', ...allocationRows(report.allocations).map(([size, blocks, where]) => `| ${size} | ${blocks} | \`${where}\` |`)],
			'',
		] : [],
		...report.heap ? [
			`**${heapTitle(report.heap)}**`,
			'',
			...report.heap.note ? [report.heap.note] : ['| instances added | own size added | retained added | constructor |', '|---:|---:|---:|---|', ...heapRows(report.heap).map(([count, size, retained, name]) => `| ${count} | ${size} | ${retained} | \`${name}\` |`)],
			...report.heap.path ? ['', `held by: \`${report.heap.path}\``] : [],
			'',
		] : [],
		'| threshold | result | value | limit |',
		'|---|---|---|---|',
		...assessment.thresholds.map(threshold => `| ${threshold.name} | ${icon[threshold.status]} ${threshold.status} | ${threshold.value} | ${threshold.limit} |`),
		'',
		...report.nextSteps.length > 0 ? ['**Where the memory goes: what to run next**', '', ...report.nextSteps.map(step => `- ${step}`), ''] : [],
	);
	return `${lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n')}\n`;
}
