/**
Golden tests of the report renderers: a recorded run (test/fixtures/runs/leaky) analysed in
process and rendered as text, Markdown and JSON, compared with the files in golden/. A change to
a report shows here as a diff; when it is meant, MEMMON_UPDATE_GOLDEN=1 rewrites the files.
*/
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {analyzePath} from '../../source/commands/analyze.js';
import {renderHtmlReport} from '../../source/record/reports/html.js';
import {renderJsonReport} from '../../source/record/reports/json.js';
import {renderMarkdownReport} from '../../source/record/reports/markdown.js';
import {renderTextReport} from '../../source/record/reports/text.js';
import {fixture, root} from '../helpers/cli.js';

const golden = path.join(root, 'test', 'record', 'golden');
const {report} = analyzePath(fixture('runs/leaky'), DEFAULT_ANALYSIS, {write: false});
// The run folder's path and memmon's version are the machine's, not the report's.
const stable = (text: string): string => text.replaceAll(root, '<root>').replaceAll(report.facts.version, '<version>');

describe('report renderers on a recorded run', () => {
	for (const [name, render] of [
		['report.txt', renderTextReport],
		['report.md', renderMarkdownReport],
		['report.json', renderJsonReport],
	] as const) {
		test(name, () => {
			const file = path.join(golden, name);
			const text = stable(render(report));
			if (process.env.MEMMON_UPDATE_GOLDEN === '1') {
				fs.writeFileSync(file, text);
			}

			expect(text).toBe(fs.readFileSync(file, 'utf8'));
		});
	}

	test('a run too short for a rate: report.txt, report.md and report.html say so (not the method twice, not a dash beside a dash)', () => {
		const short = {...report, assessment: {...report.assessment, growth: {...report.assessment.growth, rate: undefined, low: undefined, high: undefined, verdict: 'undecided' as const}}};
		const text = renderTextReport(short);
		expect(text).toMatch(/^ {2}Rate +— +not yet known$/m);
		expect(text.match(/Theil–Sen after warm-up/g)).toHaveLength(1);
		expect(renderMarkdownReport(short)).toMatch(/^\*\*Growth rate\*\* not yet known — /m);
		expect(renderHtmlReport(short)).toContain('<div class="rate reading">rate not yet known</div>');
	});

	test('an undecided verdict\'s bounds are "so far" only while the run goes on (a partial report)', () => {
		const undecided = {...report, assessment: {...report.assessment, growth: {...report.assessment.growth, verdict: 'undecided' as const}}};
		expect(renderTextReport(undecided)).toMatch(/^ {2}Rate +\S+ GiB\/h +95% bounds: /m);
		expect(renderTextReport({...undecided, partial: true})).toMatch(/^ {2}Rate +\S+ GiB\/h +95% bounds so far: /m);
	});

	test('no warm-up found: report.txt says so and where the rate is read from, not "0s"', () => {
		const none = {...report, assessment: {...report.assessment, growth: {...report.assessment.growth, warmupEnd: 0}}};
		expect(renderTextReport(none)).toMatch(/^ {2}Warm-up +none found +the rate is read from the start$/m);
	});
});
