/**
report.html: one self-contained page (no script, no network, opens offline) with the memory chart
drawn as SVG at report time: the RSS band (min–max per bucket) and mean, PSS and swap when known,
the warm-up shaded, a step and the marks as labelled rules, the peak circled. Below it the verdict
with its bounds, the thresholds, the quarter table, the phases and the run's facts.

The SVG is written here rather than by a charting library: what the chart needs beyond a polyline is
axis ticks in binary units (1-2-5 MiB steps) and in clock steps (15 s, 5 min, 6 h), which general
libraries do not give, and every one of them wants a DOM or a browser to render.
*/
import {count, formatBytes, formatDelta, formatDuration, formatRate, GIB, KIB, MIB} from '../../units.js';
import {seriesName, targetName, type RunReport} from '../run-report.js';
import {allocationRows, allocationsTitle, countNote, countValue, heapRows, heapTitle, kindRows, mappingRows} from './counts.js';

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll('\'', '&#39;');
}

const e = escapeHtml;

/** Tick values for a byte axis: a 1-2-5 step in the unit the range reads best in. */
export function byteTicks(min: number, max: number, count = 6): {values: number[]; label: (value: number) => string} {
	const span = Math.max(max - min, 1);
	const unit = Math.max(max, Math.abs(min)) >= GIB ? GIB : Math.max(max, Math.abs(min)) >= MIB ? MIB : KIB;
	const name = unit === GIB ? 'GiB' : unit === MIB ? 'MiB' : 'KiB';
	const raw = span / unit / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = ([1, 2, 5, 10].find(factor => factor * power >= raw) ?? 10) * power * unit;
	const values: number[] = [];
	for (let value = Math.ceil(min / step) * step; value <= max + (step * 1e-9); value += step) {
		values.push(value);
	}

	const decimals = Math.max(0, -Math.floor(Math.log10(step / unit) + 1e-9));
	return {values, label: value => `${(value / unit).toFixed(decimals)} ${name}`};
}

const timeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/** Tick values for a time axis in seconds: a clock step giving about `count` ticks. */
export function timeTicks(from: number, to: number, count = 8): number[] {
	const span = Math.max(to - from, 1e-3);
	const step = timeSteps.find(candidate => span / candidate <= count) ?? timeSteps.at(-1)!;
	const sub = span < count ? [0.1, 0.2, 0.5].find(candidate => span / candidate <= count) ?? 1 : undefined;
	const size = sub ?? step;
	const values: number[] = [];
	for (let value = Math.ceil(from / size) * size; value <= to + (size * 1e-9); value += size) {
		values.push(Math.round(value * 1000) / 1000);
	}

	return values;
}

const W = 960;
const H = 380;
const M = {top: 24, right: 24, bottom: 40, left: 84};

/** The chart as an SVG element (a string); a note instead when there is nothing to draw. */
export function renderChart(report: RunReport): string {
	const {points, marks} = report.series;
	if (points.length === 0) {
		return '<p class="empty">No samples were recorded.</p>';
	}

	const growth = report.assessment.growth;
	const t0 = Math.min(report.series.points[0]!.t, 0);
	const t1 = Math.max(points.at(-1)!.t, report.elapsedSeconds, t0 + 1e-3);
	// The range covers what is drawn: swap only when some was used (a swap of 0 would pin the axis at 0).
	const swapDrawn = points.some(point => (point.swap ?? 0) > 0);
	const values = points.flatMap(point => [point.min, point.max, point.pss ?? point.min, swapDrawn ? point.swap ?? point.min : point.min]);
	const peak = report.memory.peakSampled;
	let low = Math.min(...values);
	let high = Math.max(...values, peak ?? 0);
	// At least 1 MiB tall, so a few pages of noise do not fill the chart.
	if (high - low < MIB) {
		const middle = (high + low) / 2;
		low = Math.max(0, middle - (MIB / 2));
		high = low + MIB;
	}

	const pad = (high - low) * 0.06;
	low = Math.max(0, low - pad);
	high += pad;
	const x = (t: number): number => M.left + ((t - t0) / (t1 - t0) * (W - M.left - M.right));
	const y = (v: number): number => H - M.bottom - ((v - low) / (high - low) * (H - M.top - M.bottom));
	const f = (n: number): string => n.toFixed(1);
	const parts: string[] = [];

	// Warm-up: shaded, left of the analysed window.
	if (growth.warmupEnd !== undefined && growth.warmupEnd > t0) {
		parts.push(`<rect class="warmup" x="${f(x(t0))}" y="${M.top}" width="${f(x(Math.min(growth.warmupEnd, t1)) - x(t0))}" height="${H - M.top - M.bottom}"/>`,
			`<text class="note" x="${f(x(t0) + 6)}" y="${M.top + 14}">warm-up</text>`);
	}

	// Axes and grid.
	const yTicks = byteTicks(low, high);
	for (const value of yTicks.values) {
		parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(y(value))}" y2="${f(y(value))}"/>`,
			`<text class="tick" x="${M.left - 8}" y="${f(y(value) + 4)}" text-anchor="end">${e(yTicks.label(value))}</text>`);
	}

	for (const t of timeTicks(t0, t1)) {
		parts.push(`<line class="tickmark" x1="${f(x(t))}" x2="${f(x(t))}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}"/>`,
			`<text class="tick" x="${f(x(t))}" y="${H - M.bottom + 20}" text-anchor="middle">${e(formatDuration(t * 1000))}</text>`);
	}

	parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`,
		`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/>`);

	// The series: the min–max band, the mean, then PSS and swap where they were read.
	const band = [...points.map(point => `${f(x(point.t))},${f(y(point.max))}`), ...points.toReversed().map(point => `${f(x(point.t))},${f(y(point.min))}`)];
	parts.push(`<polygon class="band" points="${band.join(' ')}"/>`);
	const line = (key: 'mean' | 'pss' | 'swap'): string => points.filter(point => point[key] !== undefined).map(point => `${f(x(point.t))},${f(y(point[key]!))}`).join(' ');
	const legend: Array<[string, string]> = [['rss', `${seriesName(report.facts)} (mean, and min–max per ${formatDuration(bucketSeconds(report) * 1000)})`]];
	parts.push(`<polyline class="rss" points="${line('mean')}"/>`);
	const withPss = points.filter(point => point.pss !== undefined);
	if (withPss.length > 0) {
		parts.push(`<polyline class="pss" points="${line('pss')}"/>`);
		// PSS is read less often than RSS: dots show where it was read, so the line between is not
		// mistaken for data.
		if (withPss.length < 120) {
			parts.push(...withPss.map(point => `<circle class="pss-dot" cx="${f(x(point.t))}" cy="${f(y(point.pss!))}" r="2.5"/>`));
		}

		legend.push(['pss', 'PSS (where read)']);
	}

	if (swapDrawn) {
		parts.push(`<polyline class="swap" points="${line('swap')}"/>`);
		legend.push(['swap', 'swap']);
	}

	// A one-off step and the marks: labelled rules.
	const rule = (t: number, text: string, cls: string, row: number): void => {
		parts.push(`<line class="${cls}" x1="${f(x(t))}" x2="${f(x(t))}" y1="${M.top}" y2="${H - M.bottom}"/>`,
			`<text class="note" x="${f(x(t) + 4)}" y="${M.top + 14 + (row * 14)}">${e(text)}</text>`);
	};

	if (growth.step) {
		rule(growth.step.at, `step ${formatDelta(growth.step.size)}`, 'step', 1);
	}

	for (const [i, mark] of marks.entries()) {
		rule(mark.t, mark.label, 'mark', 2 + (i % 3));
	}

	// The peak.
	if (peak !== undefined && report.memory.peakSampledAtSeconds !== undefined) {
		const px = x(report.memory.peakSampledAtSeconds);
		const anchor = px > W - 160 ? 'end' : 'start';
		parts.push(`<circle class="peak" cx="${f(px)}" cy="${f(y(peak))}" r="4"/>`,
			`<text class="note" x="${f(px + (anchor === 'end' ? -8 : 8))}" y="${f(Math.max(y(peak) - 6, M.top + 10))}" text-anchor="${anchor}">peak ${e(formatBytes(peak))}</text>`);
	}

	const title = `${seriesName(report.facts)} of ${targetName(report.facts)} over ${formatDuration(report.elapsedSeconds * 1000)}`;
	const keys = legend.map(([cls, text]) => `<span class="key ${cls}"></span>${e(text)}`).join(' ');
	return `<figure>
<svg id="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(title)}" xmlns="http://www.w3.org/2000/svg">
<title>${e(title)}</title>
${parts.join('\n')}
</svg>
<figcaption>${keys}</figcaption>
</figure>`;
}

const KINDS_H = 200;

/**
RSS by kind, stacked from zero: anonymous at the bottom, file-backed, shared on top (their sum is
the RSS mean of each bucket). Empty where the kinds were not read (pidusage, --system).
*/
export function renderKindsChart(report: RunReport): string {
	const points = report.series.points.filter(point => point.kinds !== undefined);
	if (points.length < 2) {
		return '';
	}

	const t0 = Math.min(points[0]!.t, 0);
	const t1 = Math.max(points.at(-1)!.t, t0 + 1e-3);
	const top = Math.max(...points.map(point => point.kinds!.anon + point.kinds!.file + point.kinds!.shmem), MIB) * 1.06;
	const x = (t: number): number => M.left + ((t - t0) / (t1 - t0) * (W - M.left - M.right));
	const y = (v: number): number => KINDS_H - M.bottom - (v / top * (KINDS_H - M.top - M.bottom));
	const f = (n: number): string => n.toFixed(1);
	const layers: Array<[string, string, (k: {anon: number; file: number; shmem: number}) => [number, number]]> = [
		['anon', 'anonymous (heaps, arenas, a VM\'s heap)', k => [0, k.anon]],
		['file', 'file-backed', k => [k.anon, k.anon + k.file]],
		['shmem', 'shared (shmem)', k => [k.anon + k.file, k.anon + k.file + k.shmem]],
	];
	const parts: string[] = [];
	const ticks = byteTicks(0, top);
	for (const value of ticks.values) {
		parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(y(value))}" y2="${f(y(value))}"/>`,
			`<text class="tick" x="${M.left - 8}" y="${f(y(value) + 4)}" text-anchor="end">${e(ticks.label(value))}</text>`);
	}

	for (const [cls, , range] of layers) {
		const upper = points.map(point => `${f(x(point.t))},${f(y(range(point.kinds!)[1]))}`);
		const lower = points.toReversed().map(point => `${f(x(point.t))},${f(y(range(point.kinds!)[0]))}`);
		parts.push(`<polygon class="kind-${cls}" points="${[...upper, ...lower].join(' ')}"/>`);
	}

	parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${KINDS_H - M.bottom}" y2="${KINDS_H - M.bottom}"/>`);
	const keys = layers.map(([cls, text]) => `<span class="key kind-${cls}"></span>${e(text)}`).join(' ');
	return `<figure>
<svg id="kinds" viewBox="0 0 ${W} ${KINDS_H}" role="img" aria-label="RSS by kind" xmlns="http://www.w3.org/2000/svg">
<title>RSS by kind</title>
${parts.join('\n')}
</svg>
<figcaption>${keys}</figcaption>
</figure>`;
}

function bucketSeconds(report: RunReport): number {
	const {points} = report.series;
	return points.length > 1 ? (points.at(-1)!.t - points[0]!.t) / (points.length - 1) : report.facts.intervalMs / 1000;
}

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
.warmup{fill:var(--warm)}.mark{stroke:var(--mark);stroke-dasharray:4 3}.step{stroke:var(--step);stroke-dasharray:6 3}
.peak{fill:var(--bg);stroke:var(--bad);stroke-width:2}
.kind-anon{fill:var(--rss);opacity:.55}.kind-file{fill:var(--pss);opacity:.45}.kind-shmem{fill:var(--swap);opacity:.6}
.key.kind-anon{background:var(--rss);opacity:.55;height:10px}.key.kind-file{background:var(--pss);opacity:.45;height:10px}.key.kind-shmem{background:var(--swap);opacity:.6;height:10px}
table{border-collapse:collapse;margin:4px 0}th,td{padding:4px 12px;border-bottom:1px solid var(--line);text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.undecided{color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 32px}
footer{color:var(--muted);font-size:12px;margin-top:32px}
`;

/** Render report.html. */
export function renderHtmlReport(report: RunReport): string {
	const {facts, memory, assessment} = report;
	const growth = assessment.growth;
	const q = assessment.quarters;
	const started = new Date(facts.startedAtMs).toISOString().replace('T', ' ').slice(0, 19);
	const bounds = growth.low === undefined || growth.high === undefined ? '' : ` <span class="bounds">(95%: ${e(formatRate(growth.low))} … ${e(formatRate(growth.high))})</span>`;
	const verdictLines = [
		`<div class="rate">${e(formatRate(growth.rate))}${bounds}</div>`,
		`<div>${e([growth.pattern, growth.note, growth.warmupEnd ? `after a ${formatDuration(growth.warmupEnd * 1000)} warm-up` : undefined].filter(Boolean).join(' · ') || growth.method)}</div>`,
		`<div class="sub">${e(growth.method)}${growth.p === undefined ? '' : ` · Mann–Kendall p = ${e(growth.p < 0.0001 ? growth.p.toExponential(1) : growth.p.toFixed(4))}`} · bands ${e(`${(assessment.bands[0] / MIB).toFixed(1)} / ${(assessment.bands[1] / MIB).toFixed(1)} MiB/h`)} · quarters ${e(formatRate(q?.ratePerHour))} · least squares ${e(formatRate(assessment.leastSquares))}</div>`,
	];
	const thresholds = assessment.thresholds.map(threshold => `<tr><td>${e(threshold.name)}</td><td class="${threshold.status}">${e(threshold.status.toUpperCase())}</td><td>${e(threshold.value)}</td><td>${e(threshold.limit)}</td></tr>`).join('\n');
	const names = ['Initial', 'After 25%', 'After 50%', 'After 75%', 'After 100%'];
	const quarterTable = q
		? `<div class="grid2"><div>${table(['', seriesName(facts), 'Δ'], q.milestones.map((value, i) => [
			names[i]!,
			formatBytes(value),
			i === 0 ? '' : formatDelta(value - q.milestones[0]),
		]))}</div>
<div>${table(['quarter', 'average', 'Δ'], q.averages.map((value, i) => [
			`Q${i + 1}`,
			formatBytes(value),
			i === 0 ? '' : formatDelta(value - q.averages[0]),
		]))}
<p>Growth Q1 → Q4 ${e(formatDelta(q.growth))}: ${e(formatRate(q.ratePerHour))}</p></div></div>`
		: '<p>Not enough samples for quarters (need at least 4).</p>';
	const memoryTable = table(['', ''], [
		['Initial', formatBytes(memory.initial)],
		['Final', `${formatBytes(memory.final)} (${formatDelta(memory.growth)})`],
		['Minimum', formatBytes(memory.min)],
		['Peak (sampled)', `${formatBytes(memory.peakSampled)}${memory.peakSampledAtSeconds === undefined ? '' : ` at ${formatDuration(memory.peakSampledAtSeconds * 1000)}`}`],
		...facts.system ? [] : [['Peak (VmHWM)', memory.peakHwm === undefined ? '— (not available here)' : formatBytes(memory.peakHwm)]],
		['Growth', formatDelta(assessment.totalGrowth)],
		...facts.system ? [] : [
			['Threads', `${countValue(report.counts.threads)} (${countNote(report.counts.threads)})`],
			['Open descriptors', `${countValue(report.counts.fds)} (${countNote(report.counts.fds)})`],
			...kindRows(report.counts.kinds).map(([label, value, note]): [string, string] => [label, `${value} (${note})`]),
			...mappingRows(report.mappings).map(([label, value, note]): [string, string] => [label.trim(), value ? `${value} (${note})` : note]),
		],
	]);
	const factsTable = table(['', ''], [
		['Target', targetName(facts)],
		...facts.system ? [] : [['PID', `${facts.pid} (${facts.children ? 'with descendants' : 'process only'})`]],
		['Started', `${started} UTC`],
		['Duration', formatDuration(report.elapsedSeconds * 1000)],
		['Interval', formatDuration(facts.intervalMs)],
		['Samples', `${report.samples}${report.failedSamples > 0 ? ` (${report.failedSamples} gaps)` : ''}`],
		['Ended', report.end?.text ?? 'still running'],
		['Host', facts.host],
		['memmon', facts.version],
	], false);
	const phases = report.phases.length > 1
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
<p class="sub">${e(targetName(facts))} · ${e(started)} UTC · ${e(formatDuration(report.elapsedSeconds * 1000))} · ${count(report.samples, 'sample')} every ${e(formatDuration(facts.intervalMs))} · ${e(report.end?.text ?? 'still running')}</p>
${report.partial ? '<p class="partial">Partial report: the run is still in progress (or was cut off). It is rewritten at every checkpoint.</p>\n' : ''}${renderChart(report)}
<section class="verdict">
${verdictLines.join('\n')}
</section>
<h2>Thresholds</h2>
<table><thead><tr><th>threshold</th><th>result</th><th>value</th><th>limit</th></tr></thead><tbody>
${thresholds}
</tbody></table>
${renderKindsChart(report)}
<div class="grid2">
<div><h2>Memory</h2>
${memoryTable}</div>
<div><h2>Run</h2>
${factsTable}</div>
</div>
<h2>Quarters</h2>
${quarterTable}
${phases}
${report.allocations ? `<h2>${e(allocationsTitle(report.allocations))}</h2>\n${report.allocations.note ? `<p>${e(report.allocations.note)}</p>` : table(['bytes added', 'blocks added', 'where'], allocationRows(report.allocations))}` : ''}
${report.heap ? `<h2>${e(heapTitle(report.heap))}</h2>\n${report.heap.note ? `<p>${e(report.heap.note)}</p>` : `${table(['constructor', 'instances added', 'own size added', 'retained added'], heapRows(report.heap).map(([count, size, retained, name]) => [name, count, size, retained]))}${report.heap.path ? `<p>held by: <code>${e(report.heap.path)}</code></p>` : ''}`}` : ''}
${report.nextSteps.length > 0 ? `<h2>Where the memory goes: what to run next</h2>\n<ul>${report.nextSteps.map(step => `<li>${e(step)}</li>`).join('')}</ul>` : ''}
<footer>Written by memmon ${e(facts.version)}. Samples: samples.csv in this folder; <code>memmon analyze</code> on this folder rebuilds every report.</footer>
</body>
</html>
`;
}
