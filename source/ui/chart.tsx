/**
The RSS chart: asciichart, fitted to the given width and exactly `height` rows, with min and max
pinned so a flat series keeps its height, and a time axis under it carrying the marks.
*/
import asciichart from 'asciichart';
import chalk from 'chalk';
import type {ChartWindow} from './chart-window.js';
import {formatDuration, GIB, KIB, MIB} from '../units.js';
import {fit} from './text.js';

/** Width of the value labels on the left, axis included. */
export const LABEL_WIDTH = 11;

/** Columns available for data in a chart of `width`. */
export function chartColumns(width: number): number {
	return Math.max(2, width - LABEL_WIDTH - 1);
}

/** Draw `window` as `height` chart rows plus two axis rows, each exactly `width` wide. */
export function chartLines(window: ChartWindow, width: number, height: number): string[] {
	const rows = Math.max(2, height);
	// Indexed loops here and in plotLines: a frame's code runs unoptimised (memmon's JIT budget,
	// cli.tsx), where a callback or an iterator per column costs more than the column's own work.
	const values: number[] = [];
	let previous: number | undefined;
	const source = window.values;
	for (let i = 0; i < source.length; i++) {
		previous = source[i] ?? previous;
		if (previous !== undefined) {
			values.push(previous);
		}
	}

	const lines: string[] = [];
	if (values.length === 0) {
		for (let i = 0; i < rows; i++) {
			lines.push(fit(i === Math.floor(rows / 2) ? `${' '.repeat(LABEL_WIDTH)}waiting for the first sample…` : '', width));
		}
	} else {
		let lo = Math.min(...values);
		let hi = Math.max(...values);
		// Pin the range: at least 1 MiB tall, so noise of a few pages does not fill the chart, and on
		// a 128 KiB grid, so the labels hold still while a steady process moves by a few pages.
		if (hi - lo < MIB) {
			const step = MIB / 8;
			const bottom = Math.max(0, Math.round((((hi + lo) / 2) - (MIB / 2)) / step) * step);
			const top = bottom + MIB;
			lo = lo < bottom ? bottom - step : bottom;
			hi = hi > top ? top + step : top;
		} else {
			// Snapped outward to a power of two bytes near 1/64 of the range: a column that moves a
			// little (the first one's average, as the zoomed-out view packs more samples into it)
			// leaves the range — and so the plot and its labels — as they were.
			const quantum = 2 ** Math.floor(Math.log2((hi - lo) / 64));
			lo = Math.floor(lo / quantum) * quantum;
			hi = Math.ceil(hi / quantum) * quantum;
		}

		lines.push(...plotLines(values, lo, hi, rows, width));
	}

	lines.push(...axisLines(window, width, Math.max(1, values.length)));
	return lines;
}

/**
The last plot drawn. asciichart rounds every value to a row, so a new sample that moves no column
to another row and leaves the range alone gives the same plot: it is reused, not redrawn (on a
steady target, most frames).
*/
let lastPlot: {width: number; rows: number; lo: number; hi: number; cells: number[]; lines: string[]} | undefined;

function plotLines(values: readonly number[], lo: number, hi: number, rows: number, width: number): string[] {
	const scale = (rows - 1) / (hi - lo);
	const last = lastPlot;
	let same = last !== undefined && last.width === width && last.rows === rows && last.lo === lo && last.hi === hi && last.cells.length === values.length;
	const cells: number[] = [];
	for (let i = 0; i < values.length; i++) {
		const cell = Math.round((values[i]! - lo) * scale);
		cells.push(cell);
		same &&= cell === last!.cells[i];
	}

	if (same) {
		return last!.lines;
	}

	const plot = asciichart.plot(cells, {
		min: 0,
		max: rows - 1,
		height: rows - 1,
		// asciichart puts the whole label in one cell before the axis: offset 2 = label + axis.
		offset: 2,
		format: axisFormat(lo, hi, rows, scale),
	});
	// Labels, axis and curve are all one column per character: fitting by length is exact.
	const lines = plot.split('\n').slice(0, rows).map(line => chalk.cyan(line.length > width ? line.slice(0, width) : line.padEnd(width)));
	while (lines.length < rows) {
		lines.push(fit('', width));
	}

	lastPlot = {width, rows, lo, hi, cells, lines};
	return lines;
}

/** Labels in one unit, with just enough decimals that neighbouring rows differ. */
function axisFormat(lo: number, hi: number, rows: number, scale: number): (x: number) => string {
	const [unit, name] = hi >= GIB ? [GIB, 'GiB'] : hi >= MIB ? [MIB, 'MiB'] : [KIB, 'KiB'];
	const step = (hi - lo) / Math.max(1, rows - 1) / unit;
	const decimals = Math.min(2, Math.max(0, Math.ceil(-Math.log10(step))));
	return (x: number) => `${((lo + (x / scale)) / unit).toFixed(decimals)} ${name}`.padStart(LABEL_WIDTH - 1);
}

function axisLines(window: ChartWindow, width: number, used: number): [string, string] {
	const columns = Math.min(chartColumns(width), used);
	const axis = [...'─'.repeat(columns)];
	const labels: string[] = [];
	for (const mark of window.marks) {
		if (mark.column < columns) {
			axis[mark.column] = mark.symbol ?? '┴';
			labels.push(mark.label);
		}
	}

	const axisLine = `${' '.repeat(LABEL_WIDTH - 1)}└${axis.join('')}${'─'.repeat(Math.max(0, chartColumns(width) - columns))}`;
	const left = formatDuration(window.from * 1000);
	const right = formatDuration(window.to * 1000);
	const middle = labels.length > 0 ? `marks: ${labels.slice(-3).join(', ')}` : '';
	const inner = Math.max(columns, left.length + right.length + 2) - left.length - right.length;
	let text = left;
	if (middle && inner > middle.length + 2) {
		const pad = Math.floor((inner - middle.length) / 2);
		text += ' '.repeat(pad) + middle + ' '.repeat(inner - pad - middle.length);
	} else {
		text += ' '.repeat(Math.max(1, inner));
	}

	text += right;
	return [fit(axisLine, width), fit(`${' '.repeat(LABEL_WIDTH)}${text}`, width)];
}
