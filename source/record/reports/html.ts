/**
report.html: one self-contained page (no script, no network, opens offline): the memory chart
(html-chart.ts), the verdict with its bounds, the thresholds, RSS by kind and by mapping, the memory
and run tables, the quarters, the phases, and what grew in the heap or by line when traced.
*/
import {count, formatBytes, formatDelta, formatDuration, formatRate, formatRateRange, MIB} from '../../units.js';
import {GAP_NOTE, growthBasis, operationsBasis} from '../../analysis/index.js';
import {seriesName, startedText, targetName, type RunReport} from '../run-report.js';
import {escapeHtml, renderChart, renderKindsChart, renderMappingChart} from './html-chart.js';
import {jvmHeapRows} from '../jvm-heap.js';
import {allocationRows, allocationsTitle, countNote, countValue, heapRows, heapTitle, initialNote, jsHeapRows, kindRows, limitNote, mappingRows, processRows, warmupPhrase} from './counts.js';

const e = escapeHtml;

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric = true): string {
	const th = head.map(cell => `<th>${e(cell)}</th>`).join('');
	const body = rows.map(row => `<tr>${row.map((cell, i) => `<td${numeric && i > 0 ? ' class="n"' : ''}>${e(cell)}</td>`).join('')}</tr>`).join('\n');
	return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const verdictClass: Readonly<Record<string, string>> = {acceptable: 'ok', warning: 'warn', failure: 'bad', leak: 'bad', undecided: 'unknown'};

const style = `
:root{color-scheme:light dark;--fg:#1d2125;--muted:#5f6b76;--bg:#fff;--card:#f5f7f9;--line:#d5dbe0;--rss:#1f6feb;--band:rgba(31,111,235,.16);--pss:#8250df;--swap:#bc4c00;--mark:#57606a;--step:#cf222e;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--unknown:#57606a;--warm:rgba(154,103,0,.08)}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--line:#30363d;--rss:#4493f8;--band:rgba(68,147,248,.2);--pss:#ab7df8;--swap:#f0883e;--mark:#9198a1;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--unknown:#9198a1;--warm:rgba(210,153,34,.1)}}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1040px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.sub{color:var(--muted);margin:0 0 16px;overflow-wrap:anywhere}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:14px;color:#fff;vertical-align:middle;margin-left:8px}
.badge.ok{background:var(--ok)}.badge.warn{background:var(--warn)}.badge.bad{background:var(--bad)}.badge.unknown{background:var(--unknown)}
.partial{background:var(--warm);border:1px solid var(--warn);padding:6px 10px;border-radius:6px}
.verdict{background:var(--card);border-radius:8px;padding:12px 16px}
.verdict .rate{font-size:20px;font-weight:600}
figure{margin:16px 0}svg{width:100%;height:auto;background:var(--card);border-radius:8px}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
.key{display:inline-block;width:18px;height:3px;vertical-align:middle;margin:0 6px 0 14px}
.key.rss{background:var(--rss)}.key.pss{background:var(--pss)}.key.swap{background:var(--swap)}
.grid{stroke:var(--line);stroke-width:1}.axis,.tickmark{stroke:var(--muted);stroke-width:1}
.tick{fill:var(--muted);font-size:12px}.note{fill:var(--fg);font-size:12px}
.band{fill:var(--band);stroke:none}.rss{fill:none;stroke:var(--rss);stroke-width:2}
.pss{fill:none;stroke:var(--pss);stroke-width:1.5;stroke-dasharray:6 3}.pss-dot{fill:var(--pss)}.swap{fill:none;stroke:var(--swap);stroke-width:1.5;stroke-dasharray:2 3}
.rate.reading{color:var(--muted)}.warmup{fill:var(--warm)}.mark{stroke:var(--mark);stroke-dasharray:4 3}.step{stroke:var(--step);stroke-dasharray:6 3}
.peak{fill:var(--bg);stroke:var(--bad);stroke-width:2}
.kind-anon{fill:var(--rss);opacity:.55}.kind-file{fill:var(--pss);opacity:.45}.kind-shmem{fill:var(--swap);opacity:.6}
.key.kind-anon{background:var(--rss);opacity:.55;height:10px}.key.kind-file{background:var(--pss);opacity:.45;height:10px}.key.kind-shmem{background:var(--swap);opacity:.6;height:10px}
.map-heap{fill:var(--step);opacity:.5}.map-stack{fill:var(--warn);opacity:.6}.map-anon{fill:var(--rss);opacity:.55}.map-file{fill:var(--pss);opacity:.45}.map-shmem{fill:var(--swap);opacity:.6}
.key.map-heap{background:var(--step);opacity:.5;height:10px}.key.map-stack{background:var(--warn);opacity:.6;height:10px}.key.map-anon{background:var(--rss);opacity:.55;height:10px}.key.map-file{background:var(--pss);opacity:.45;height:10px}.key.map-shmem{background:var(--swap);opacity:.6;height:10px}
table{border-collapse:collapse;margin:4px 0}th,td{padding:4px 12px;border-bottom:1px solid var(--line);text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.undecided{color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 32px}
footer{color:var(--muted);font-size:12px;margin-top:32px}
`;

/** The verdict with its rate, bounds, pattern and how it was reached. */
function verdictSection(report: RunReport): string {
	const {assessment} = report;
	const growth = assessment.growth;
	// Undecided, the rate is a reading so far (as the screen's "now"), not a finding.
	const sofar = growth.verdict === 'undecided' && growth.rate !== undefined ? ' so far' : '';
	const bounds = growth.low === undefined || growth.high === undefined ? '' : ` <span class="bounds">(95%${sofar}: ${e(formatRateRange(growth.low, growth.high))})</span>`;
	return [
		`<div class="rate${sofar || growth.rate === undefined ? ' reading' : ''}">${growth.rate === undefined ? 'rate not yet known' : e(formatRate(growth.rate))}${sofar}${bounds}</div>`,
		`<div>${e([growth.pattern, growth.note, growth.warmupEnd ? `after ${warmupPhrase(growth)}` : undefined].filter(Boolean).join(' · ') || growth.method)}</div>`,
		`<div class="sub">${e(growth.method)} · bands ${e(`${(assessment.bands[0] / MIB).toFixed(1)} / ${(assessment.bands[1] / MIB).toFixed(1)} MiB/h`)} · quarters ${e(formatRate(assessment.quarters?.ratePerHour))} · least squares ${e(formatRate(assessment.leastSquares))}</div>`,
	].join('\n');
}

/** The milestones and quarter averages side by side. */
function quarterTables(report: RunReport): string {
	const q = report.assessment.quarters;
	if (!q) {
		return '<p>Not enough samples for quarters (need at least 4).</p>';
	}

	const names = ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%'];
	return `<div class="grid2"><div>${table(['', seriesName(report.facts), 'Δ'], q.milestones.map((value, i) => [
		names[i]!,
		formatBytes(value),
		i === 0 ? initialNote(q.initialAt) : formatDelta(value - q.milestones[0]),
	]))}</div>
<div>${table(['quarter', 'average', 'Δ'], q.averages.map((value, i) => [
		`Q${i + 1}`,
		formatBytes(value),
		`${i === 0 ? '' : formatDelta(value - q.averages[0])}${q.gaps?.includes(i) ? ` (${GAP_NOTE})` : ''}`,
	]))}
<p>Growth Q1 → Q4 ${e(formatDelta(q.growth))}: ${e(formatRate(q.ratePerHour))}</p></div></div>`;
}

/** Initial, final, minimum, peaks, growth; threads, descriptors, kinds and mappings of a process run. */
function memoryTable(report: RunReport): string {
	const {facts, memory, assessment} = report;
	return table(['', ''], [
		['Initial', `${formatBytes(memory.initial)}${memory.initialAt ? ` (${initialNote(memory.initialAt)})` : ''}`],
		['Final', `${formatBytes(memory.final)} (${formatDelta(memory.growth)})`],
		['Minimum', formatBytes(memory.min)],
		['Peak (sampled)', `${formatBytes(memory.peakSampled)}${memory.peakSampledAtSeconds === undefined ? '' : ` at ${formatDuration(memory.peakSampledAtSeconds * 1000)}`}`],
		...facts.system ? [] : [['Peak (VmHWM)', memory.peakHwm === undefined ? '— (not available here)' : formatBytes(memory.peakHwm)]],
		['Growth', assessment.totalGrowth === undefined ? formatDelta(undefined) : `${formatDelta(assessment.totalGrowth)} (${growthBasis(assessment)})`],
		...report.perOperations ? [['Per 100K operations', `${formatDelta(report.perOperations.bytes)} (${operationsBasis(report.perOperations)})`]] : [],
		...facts.system ? [] : [
			['Threads', `${countValue(report.counts.threads)} (${countNote(report.counts.threads)})`],
			['Open descriptors', `${countValue(report.counts.fds)} (${countNote(report.counts.fds)})`],
			...kindRows(report.counts.kinds).map(([label, value, note]): [string, string] => [label, `${value} (${note})`]),
			...mappingRows(report.mappings).map(([label, value, note]): [string, string] => [label.trim(), value && note ? `${value} (${note})` : value || note]),
			...[...jsHeapRows(report.jsHeap), ...jvmHeapRows(report.jvmHeap)].map(([label, value, note]): [string, string] => [label.trim(), value && note ? `${value} (${note})` : value || note]),
			...processRows(report.processes, report.elapsedSeconds, report.facts.intervalMs / 1000).map(([label, value, note]): [string, string] => [label.trim(), value && note ? `${value} (${note})` : value || note]),
		],
	]);
}

/** The run's facts. */
function factsTable(report: RunReport, started: string | undefined): string {
	const {facts} = report;
	return table(['', ''], [
		['Target', targetName(facts)],
		...facts.system ? [] : [['PID', facts.pid === 0 ? '— (not recorded)' : `${facts.pid} (${facts.children ? 'with descendants' : 'process only'})`]],
		['Started', started ? `${started} UTC` : '— (not recorded)'],
		['Duration', formatDuration(report.elapsedSeconds * 1000)],
		['Interval', formatDuration(facts.intervalMs)],
		['Samples', `${report.samples}${report.failedSamples > 0 ? ` (${report.failedSamples} gaps)` : ''}`],
		['Ended', report.end?.text ?? 'still running'],
		['Host', facts.host],
		...facts.memoryLimit ? [['Memory limit', `${formatBytes(facts.memoryLimit.bytes)} · ${limitNote(facts.memoryLimit, facts.system ? undefined : report.memory.peakSampled)}`]] : [],
		['memmon', facts.version],
	], false);
}

/** The phases between marks, when there are marks. */
function phasesSection(report: RunReport): string {
	return report.phases.length > 1
		? `<h2>Phases</h2>\n${table(['phase', 'start', 'end', 'min', 'max', 'mean', 'ends at', 'Δ', 'rate'], report.phases.map(phase => [
			phase.label,
			formatDuration(phase.startSeconds * 1000),
			formatDuration(phase.endSeconds * 1000),
			formatBytes(phase.min),
			formatBytes(phase.max),
			formatBytes(phase.mean),
			formatBytes(phase.endLevel),
			formatDelta(phase.delta),
			formatRate(phase.ratePerHour),
		]))}`
		: '';
}

/** Where the memory goes: tracemalloc's lines, the heap's constructors, what to run next. */
function whereSections(report: RunReport): string {
	const {allocations, heap, nextSteps} = report;
	return [
		allocations ? `<h2>${e(allocationsTitle(allocations))}</h2>\n${allocations.note ? `<p>${e(allocations.note)}</p>` : table(['bytes added', 'blocks added', 'where'], allocationRows(allocations))}` : '',
		heap ? `<h2>${e(heapTitle(heap))}</h2>\n${heap.note ? `<p>${e(heap.note)}</p>` : `${table(['constructor', 'instances added', 'own size added', 'retained added'], heapRows(heap).map(([count, size, retained, name]) => [name, count, size, retained]))}${heap.path ? `<p>held by: <code>${e(heap.path)}</code></p>` : ''}`}` : '',
		nextSteps.length > 0 ? `<h2>Where the memory goes: what to run next</h2>\n<ul>${nextSteps.map(step => `<li>${e(step)}</li>`).join('')}</ul>` : '',
	].join('\n');
}

/** Render report.html. */
export function renderHtmlReport(report: RunReport): string {
	const {facts, assessment} = report;
	const growth = assessment.growth;
	const started = startedText(facts);
	const thresholds = assessment.thresholds.map(threshold => `<tr><td>${e(threshold.name)}</td><td class="${threshold.status}">${e(threshold.status.toUpperCase())}</td><td>${e(threshold.value)}</td><td>${e(threshold.limit)}</td></tr>`).join('\n');
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memmon: ${e(facts.label)} — ${e(growth.verdict)}</title>
<style>${style}</style>
</head>
<body>
<h1>memmon: ${e(facts.label)} <span class="badge ${verdictClass[growth.verdict] ?? 'unknown'}" id="verdict">${e(growth.verdict.toUpperCase())}</span></h1>
<p class="sub">${e(targetName(facts))} · ${started ? `${e(started)} UTC · ` : ''}${e(formatDuration(report.elapsedSeconds * 1000))} · ${count(report.samples, 'sample')} every ${e(formatDuration(facts.intervalMs))} · ${e(report.end?.text ?? 'still running')}</p>
${report.partial ? '<p class="partial">Partial report: the run is still in progress (or was cut off). It is rewritten at every checkpoint.</p>\n' : ''}${renderChart(report)}
<section class="verdict">
${verdictSection(report)}
</section>
<h2>Thresholds</h2>
<table><thead><tr><th>threshold</th><th>result</th><th>value</th><th>limit</th></tr></thead><tbody>
${thresholds}
</tbody></table>
${renderKindsChart(report)}
${renderMappingChart(report)}
<div class="grid2">
<div><h2>Memory</h2>
${memoryTable(report)}</div>
<div><h2>Run</h2>
${factsTable(report, started)}</div>
</div>
<h2>Quarters</h2>
${quarterTables(report)}
${phasesSection(report)}
${whereSections(report)}
<footer>Written by memmon ${e(facts.version)}. Samples: samples.csv in this folder; <code>memmon analyze</code> on this folder rebuilds every report.</footer>
</body>
</html>
`;
}
