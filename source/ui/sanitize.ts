/** Workload output made safe for the screen; on its own so plain mode loads nothing of the view. */
import stripAnsi from 'strip-ansi';

/** Text from a workload made safe for one screen line: no colour codes, no control characters. */
export function sanitizeLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return stripAnsi(text).replaceAll('\t', '  ').replaceAll(/[\u0000-\u001F\u007F]/g, '');
}
