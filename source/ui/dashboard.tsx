/**
The whole live screen as lines: a pure function of the snapshot, the chart window and the size.
Always exactly `height` lines of `width` columns, so a frame never outgrows the terminal (Ink
clears the scrollback when one does) and never changes height between frames.
*/
import chalk from 'chalk';
import React from 'react';
import type {ChartWindow, Zoom} from './chart-window.js';
import type {Snapshot} from '../snapshot.js';
import {chartLines} from './chart.js';
import {gatesLine, gaugeLines} from './gauge.js';
import {helpLines, keyLine} from './keys.js';
import {Lines} from './lines.js';
import {logTailLines} from './log-tail.js';
import {processLines} from './processes.js';
import {quarterLine} from './quarters.js';
import {headerLine, statsLine, systemLine} from './system.js';
import {fit} from './text.js';
import {formatBytes, formatDuration} from '../units.js';

/** Props of the dashboard. */
export type DashboardProps = {
	readonly snapshot: Snapshot;
	readonly chart: ChartWindow;
	readonly width: number;
	readonly height: number;
	readonly zoom: Zoom;
	readonly paused: boolean;
	readonly help: boolean;
	/** A line of input in progress (a mark's label): shown instead of the keys. */
	readonly prompt?: string | undefined;
};

/** How many rows each panel gets at a given height. */
export type PanelRows = {readonly chart: number; readonly processes: number; readonly log: number; readonly details: boolean};

/** Share `height` rows out between the panels. */
export function panelRows(height: number, processCount: number, spawned: boolean, heapLine = false, system = false, gates = false): PanelRows {
	// Header, 2 axis rows, quarters, 2 gauge rows, the gates given, stats, system (not with
	// --system: the stats line is the machine's), keys; the heap line of an attached process (a
	// spawned workload's takes a row of its log).
	const fixed = (heapLine && !spawned ? 10 : 9) - (system ? 1 : 0) + (gates ? 1 : 0);
	let rest = height - fixed;
	if (rest < 3) {
		// Tiny terminal: header, chart, axis, gauge line 1, keys.
		return {chart: Math.max(1, height - 6), processes: 0, log: 0, details: false};
	}

	let chart = Math.max(3, Math.min(20, Math.round(rest * 0.6)));
	rest -= chart;
	const processes = processCount > 1 ? Math.min(rest, Math.min(5, processCount + 1)) : 0;
	rest -= processes;
	const log = spawned ? Math.min(rest, 8) : 0;
	rest -= log;
	chart += rest;
	return {chart, processes, log, details: true};
}

/** Below this many columns the screen shows its figures without the chart. */
const MIN_WIDTH = 30;

/** Build every line of the screen. */
export function dashboardLines(props: DashboardProps): string[] {
	const {snapshot, chart, width, zoom, paused} = props;
	const height = Math.max(1, props.height);
	const processes = snapshot.now?.processes ?? [];
	const system = snapshot.mode === 'system';
	const gates = gatesLine(snapshot.assessment, width);
	const rows = panelRows(height, snapshot.children || system ? processes.length : 1, snapshot.spawned, snapshot.heapLine !== undefined, system, gates !== undefined);
	const notice = snapshot.diskError ? chalk.red.bold(`cannot write samples: ${snapshot.diskError} (retrying)`) : snapshot.ended ?? snapshot.notice;
	if (width < MIN_WIDTH) {
		// Too narrow for the chart and its labels: the figures alone, one per line, each cut to fit.
		const growth = snapshot.assessment.growth;
		const tiny = [
			`memmon ${formatDuration(snapshot.elapsedMs)}`,
			`RSS ${snapshot.now?.rss === undefined ? '—' : formatBytes(snapshot.now.rss)}`,
			growth.verdict.toUpperCase(),
			notice ?? `wider than ${MIN_WIDTH - 1} columns for more`,
		];
		return Array.from({length: height}, (_, i) => fit(tiny[i] ?? '', width));
	}

	const lines = [headerLine(snapshot, paused, width)];
	if (props.help) {
		lines.push(...helpLines(snapshot.runDir, height - 2, width));
	} else if (rows.details) {
		lines.push(
			...chartLines(chart, width, rows.chart),
			quarterLine(snapshot.assessment.quarters, width, snapshot.kindGrowth, snapshot.heapGrowth),
			...gaugeLines(snapshot.assessment, width),
			...gates === undefined ? [] : [gates],
			statsLine(snapshot, width),
			...system ? [] : [systemLine(snapshot, width)],
			...processLines(processes, rows.processes, width, system ? 'Top processes' : 'Processes', snapshot.processFirst),
			...snapshot.heapLine ? [fit(snapshot.heapLine, width)] : [],
			...logTailLines(snapshot.logTail, 'workload.log', snapshot.heapLine ? Math.max(0, rows.log - 1) : rows.log, width),
		);
	} else {
		lines.push(...chartLines(chart, width, rows.chart), gaugeLines(snapshot.assessment, width)[0]);
	}

	const keys = props.prompt === undefined ? keyLine(zoom, notice, width, snapshot.heapKey) : fit(props.prompt, width);
	const body = lines.slice(0, height - 1);
	while (body.length < height - 1) {
		body.push(fit('', width));
	}

	return height === 1 ? [keys] : [...body, keys];
}

/** The live screen. */
export function Dashboard(props: DashboardProps): React.JSX.Element | null {
	return <Lines lines={dashboardLines(props)} width={props.width}/>;
}
