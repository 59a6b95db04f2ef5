/**
Writing a run's reports: the four files in the run folder, each atomically, and the extras (JUnit,
the GitHub step summary) at the end. The report's data is `run-report.ts`.
*/
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectory} from '../files.js';
import {writeAtomic} from './run-dir.js';
import {renderJsonReport} from './reports/json.js';
import {renderJunit} from './reports/junit.js';
import {renderHtmlReport} from './reports/html.js';
import {renderMarkdownReport} from './reports/markdown.js';
import {renderTextReport} from './reports/text.js';
import type {RunReport} from './run-report.js';

/** Where else the final report goes. */
export type ReportOutputs = {
	/** `--junit FILE`. */
	readonly junit?: string | undefined;
	/** $GITHUB_STEP_SUMMARY: report.md is appended to it (final reports only). */
	readonly stepSummary?: string | undefined;
};

/** Write report.txt, report.json, report.md and report.html into the run folder, each atomically; the extras when final. */
export function writeReports(report: RunReport, outputs: ReportOutputs = {}): void {
	const dir = report.facts.runDir;
	makeDirectory(dir);
	writeAtomic(path.join(dir, 'report.txt'), renderTextReport(report));
	writeAtomic(path.join(dir, 'report.json'), renderJsonReport(report));
	const markdown = renderMarkdownReport(report);
	writeAtomic(path.join(dir, 'report.md'), markdown);
	writeAtomic(path.join(dir, 'report.html'), renderHtmlReport(report));
	if (report.partial) {
		return;
	}

	if (outputs.junit) {
		writeAtomic(path.resolve(outputs.junit), renderJunit(report));
	}

	if (outputs.stepSummary) {
		fs.appendFileSync(outputs.stepSummary, `${markdown}\n`);
	}
}
