/**
The SVG charts of report.html, drawn at report time: the memory chart (the RSS band and mean, PSS
and swap when known, the warm-up shaded, a step and the marks as labelled rules, the peak circled)
and stacked charts of RSS by kind and by mapping.

The SVG is written here rather than by a charting library: what the chart needs beyond a polyline is
axis ticks in binary units (1-2-5 MiB steps) and in clock steps (15 s, 5 min, 6 h), which general
libraries do not give, and every one of them wants a DOM or a browser to render.
*/
import {formatBytes, formatDelta, formatDuration, GIB, KIB, MIB} from '../../units.js';
import {seriesName, targetName, targetRecorded, type RunReport} from '../run-report.js';

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
const f = (n: number): string => n.toFixed(1);

/** Where a chart draws: its scales and the SVG parts so far. */
type Frame = {readonly x: (t: number) => number; readonly y: (v: number) => number; readonly height: number; readonly parts: string[]};

/** A chart's frame over [t0, t1] × [low, high], `height` tall. */
function frame(t0: number, t1: number, low: number, high: number, height: number): Frame {
	return {
		x: t => M.left + ((t - t0) / (t1 - t0) * (W - M.left - M.right)),
		y: v => height - M.bottom - ((v - low) / (high - low) * (height - M.top - M.bottom)),
		height,
		parts: [],
	};
}

/** The byte grid with its labels, and the axis line at the bottom. */
function byteGrid(chart: Frame, low: number, high: number): void {
	const ticks = byteTicks(low, high);
	for (const value of ticks.values) {
		chart.parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(chart.y(value))}" y2="${f(chart.y(value))}"/>`,
			`<text class="tick" x="${M.left - 8}" y="${f(chart.y(value) + 4)}" text-anchor="end">${e(ticks.label(value))}</text>`);
	}

	chart.parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${chart.height - M.bottom}" y2="${chart.height - M.bottom}"/>`);
}

/** An SVG figure with its legend. */
function figure(id: string, title: string, chart: Frame, keys: ReadonlyArray<readonly [string, string]>): string {
	return `<figure>
<svg id="${id}" viewBox="0 0 ${W} ${chart.height}" role="img" aria-label="${e(title)}" xmlns="http://www.w3.org/2000/svg">
<title>${e(title)}</title>
${chart.parts.join('\n')}
</svg>
<figcaption>${keys.map(([cls, text]) => `<span class="key ${cls}"></span>${e(text)}`).join(' ')}</figcaption>
</figure>`;
}

/** The byte range the memory chart shows: what is drawn, at least 1 MiB tall, padded. */
function memoryRange(report: RunReport, swapDrawn: boolean): [number, number] {
	const values = report.series.points.flatMap(point => [point.min, point.max, point.pss ?? point.min, swapDrawn ? point.swap ?? point.min : point.min]);
	let low = Math.min(...values);
	let high = Math.max(...values, report.memory.peakSampled ?? 0);
	// At least 1 MiB tall, so a few pages of noise do not fill the chart.
	if (high - low < MIB) {
		const middle = (high + low) / 2;
		low = Math.max(0, middle - (MIB / 2));
		high = low + MIB;
	}

	const pad = (high - low) * 0.06;
	return [Math.max(0, low - pad), high + pad];
}

/** The series: the min–max band, the mean, then PSS and swap where they were read; their legend. */
function memorySeries(chart: Frame, report: RunReport, swapDrawn: boolean): Array<[string, string]> {
	const {points} = report.series;
	const {x, y, parts} = chart;
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

	return legend;
}

/** A one-off step and the marks as labelled rules, and the peak circled. */
function memoryNotes(chart: Frame, report: RunReport): void {
	const {x, y, parts} = chart;
	const rule = (t: number, text: string, cls: string, row: number): void => {
		parts.push(`<line class="${cls}" x1="${f(x(t))}" x2="${f(x(t))}" y1="${M.top}" y2="${H - M.bottom}"/>`,
			`<text class="note" x="${f(x(t) + 4)}" y="${M.top + 14 + (row * 14)}">${e(text)}</text>`);
	};

	const {step} = report.assessment.growth;
	if (step) {
		rule(step.at, `step ${formatDelta(step.size)}`, 'step', 1);
	}

	for (const [i, mark] of report.series.marks.entries()) {
		rule(mark.t, mark.label, 'mark', 2 + (i % 3));
	}

	const peak = report.memory.peakSampled;
	if (peak !== undefined && report.memory.peakSampledAtSeconds !== undefined) {
		const px = x(report.memory.peakSampledAtSeconds);
		const anchor = px > W - 160 ? 'end' : 'start';
		parts.push(`<circle class="peak" cx="${f(px)}" cy="${f(y(peak))}" r="4"/>`,
			`<text class="note" x="${f(px + (anchor === 'end' ? -8 : 8))}" y="${f(Math.max(y(peak) - 6, M.top + 10))}" text-anchor="${anchor}">peak ${e(formatBytes(peak))}</text>`);
	}
}

/** The chart as an SVG element (a string); a note instead when there is nothing to draw. */
export function renderChart(report: RunReport): string {
	const {points} = report.series;
	if (points.length === 0) {
		return '<p class="empty">No samples were recorded.</p>';
	}

	const growth = report.assessment.growth;
	const t0 = Math.min(points[0]!.t, 0);
	const t1 = Math.max(points.at(-1)!.t, report.elapsedSeconds, t0 + 1e-3);
	// The range covers what is drawn: swap only when some was used (a swap of 0 would pin the axis at 0).
	const swapDrawn = points.some(point => (point.swap ?? 0) > 0);
	const [low, high] = memoryRange(report, swapDrawn);
	const chart = frame(t0, t1, low, high, H);
	const {x, parts} = chart;
	// Warm-up: shaded, left of the analysed window.
	if (growth.warmupEnd !== undefined && growth.warmupEnd > t0) {
		parts.push(`<rect class="warmup" x="${f(x(t0))}" y="${M.top}" width="${f(x(Math.min(growth.warmupEnd, t1)) - x(t0))}" height="${H - M.top - M.bottom}"/>`,
			`<text class="note" x="${f(x(t0) + 6)}" y="${M.top + 14}">warm-up${growth.warmupOpen ? ' so far' : ''}</text>`);
	}

	byteGrid(chart, low, high);
	for (const t of timeTicks(t0, t1)) {
		parts.push(`<line class="tickmark" x1="${f(x(t))}" x2="${f(x(t))}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}"/>`,
			`<text class="tick" x="${f(x(t))}" y="${H - M.bottom + 20}" text-anchor="middle">${e(formatDuration(t * 1000))}</text>`);
	}

	parts.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/>`);
	const legend = memorySeries(chart, report, swapDrawn);
	memoryNotes(chart, report);
	const of = targetRecorded(report.facts) ? ` of ${targetName(report.facts)}` : '';
	return figure('chart', `${seriesName(report.facts)}${of} over ${formatDuration(report.elapsedSeconds * 1000)}`, chart, legend);
}

const STACKED_H = 200;

/**
Layers stacked from zero, bottom first (each row's values in the layers' order): a polygon a layer,
its lower edge the upper edge of the one below.
*/
function renderStacked(id: string, title: string, rows: ReadonlyArray<{readonly t: number; readonly values: readonly number[]}>, layers: ReadonlyArray<readonly [string, string]>): string {
	const t0 = Math.min(rows[0]!.t, 0);
	const t1 = Math.max(rows.at(-1)!.t, t0 + 1e-3);
	const sums = rows.map(row => row.values.reduce((sum, value) => sum + value, 0));
	const top = Math.max(...sums, MIB) * 1.06;
	const chart = frame(t0, t1, 0, top, STACKED_H);
	byteGrid(chart, 0, top);
	const below = (row: {values: readonly number[]}, layer: number): number => row.values.slice(0, layer).reduce((sum, value) => sum + value, 0);
	for (const [layer, [cls]] of layers.entries()) {
		const upper = rows.map(row => `${f(chart.x(row.t))},${f(chart.y(below(row, layer + 1)))}`);
		const lower = rows.toReversed().map(row => `${f(chart.x(row.t))},${f(chart.y(below(row, layer)))}`);
		chart.parts.push(`<polygon class="${cls}" points="${[...upper, ...lower].join(' ')}"/>`);
	}

	return figure(id, title, chart, layers);
}

/**
RSS by kind, stacked from zero: anonymous at the bottom, file-backed, shared on top (their sum is
the RSS mean of each bucket). Empty where the kinds were not read (pidusage, --system).
*/
export function renderKindsChart(report: RunReport): string {
	const points = report.series.points.filter(point => point.kinds !== undefined);
	if (points.length < 2) {
		return '';
	}

	return renderStacked('kinds', 'RSS by kind', points.map(point => ({t: point.t, values: [point.kinds!.anon, point.kinds!.file, point.kinds!.shmem]})), [
		['kind-anon', 'anonymous (heaps, arenas, a VM\'s heap)'],
		['kind-file', 'file-backed'],
		['kind-shmem', 'shared (shmem)'],
	]);
}

/**
The tree's RSS by mapping over the run (smaps.csv), stacked: the malloc heap at the bottom,
the main stack, other anonymous memory, files, shared memory. Empty with fewer than two reads.
*/
export function renderMappingChart(report: RunReport): string {
	const reads = report.mappings?.points ?? [];
	if (reads.length < 2) {
		return '';
	}

	return renderStacked('mappings', 'RSS by mapping', reads.map(([t, ...values]) => ({t, values})), [
		['map-heap', 'malloc heap [heap]'],
		['map-stack', 'main stack'],
		['map-anon', 'other anonymous (arenas, mmap, a VM\'s heap)'],
		['map-file', 'files'],
		['map-shmem', 'shared memory'],
	]);
}

function bucketSeconds(report: RunReport): number {
	const {points} = report.series;
	return points.length > 1 ? (points.at(-1)!.t - points[0]!.t) / (points.length - 1) : report.facts.intervalMs / 1000;
}
