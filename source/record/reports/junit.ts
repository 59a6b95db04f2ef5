/**
junit.xml (`--junit FILE`): one test case per threshold — growth, rate, verdict — in the common
JUnit format CI systems read. A failed threshold is a <failure> carrying the numbers; an
undecided one is <skipped> with the reason.
*/
import type {RunReport} from '../run-report.js';

function escape(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Render the JUnit XML. */
export function renderJunit(report: RunReport): string {
	const {thresholds} = report.assessment;
	const failures = thresholds.filter(threshold => threshold.status === 'fail').length;
	const skipped = thresholds.filter(threshold => threshold.status === 'undecided').length;
	const suite = `memmon.${report.facts.label}`;
	const time = report.elapsedSeconds.toFixed(3);
	const cases = thresholds.map(threshold => {
		const name = `${threshold.name} ${threshold.limit}`;
		const head = `    <testcase classname="${escape(suite)}" name="${escape(name)}" time="${time}">`;
		if (threshold.status === 'fail') {
			const message = `${threshold.name}: ${threshold.value} (limit ${threshold.limit})`;
			return `${head}\n      <failure message="${escape(message)}" type="threshold">${escape(message)}</failure>\n    </testcase>`;
		}

		if (threshold.status === 'undecided') {
			return `${head}\n      <skipped message="${escape(`${threshold.name}: not yet known — ${threshold.value}`)}"/>\n    </testcase>`;
		}

		return `${head}\n      <system-out>${escape(`${threshold.value} (limit ${threshold.limit})`)}</system-out>\n    </testcase>`;
	});
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="memmon" tests="${thresholds.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
		`  <testsuite name="${escape(suite)}" tests="${thresholds.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${new Date(report.facts.startedAtMs).toISOString().slice(0, 19)}" hostname="${escape(report.facts.host)}">`,
		...cases,
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}
