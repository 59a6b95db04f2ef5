/** The target's figures now, and the machine's memory. */
import type {Count} from '../series.js';
import type {Snapshot} from '../snapshot.js';
import {count, formatBytes, formatDuration, formatMinutes, formatRate} from '../units.js';
import {fit, fitParts} from './text.js';

/** How old a reading is, in whole minutes passed (hours and minutes from an hour). */
function pssAge(ageMs: number): string {
	const minutes = Math.floor(ageMs / 60_000);
	return minutes === 0 ? `${Math.floor(ageMs / 1000)}s` : minutes < 60 ? `${minutes} min` : formatDuration(minutes * 60_000);
}

/** A count as the screen shows it: `12`, or `12→140` once it has changed. */
function countText(count: Count | undefined): string {
	return count === undefined ? '—' : count.last === count.first ? String(count.last) : `${count.first}→${count.last}`;
}

/**
One line: now, peak (and the kernel's peak when it saw more), min, PSS/USS (with its age once a
minute old), swap, CPU, threads and open descriptors. Absent figures are shown as `—`.
*/
export function statsLine(snapshot: Snapshot, width: number): string {
	const now = snapshot.now;
	if (snapshot.mode === 'system') {
		// The machine's one line (no separate System line: it would say the same again): what
		// `free -h` gives first, then the run's peak and minimum, which a narrow screen cuts.
		const s = snapshot.system;
		const percent = s && s.total > 0 && now?.rss !== undefined ? ` (${Math.round(now.rss / s.total * 100)}%)` : '';
		// Inside a container /proc/meminfo is the host's; memmon's own cgroup limit is the container's.
		return fitParts('', [
			`Used ${formatBytes(now?.rss)}${s ? ` of ${formatBytes(s.total)}${percent}` : ''}`,
			...snapshot.memoryLimit === undefined ? [] : [`Limit ${formatBytes(snapshot.memoryLimit)} (cgroup)`],
			`Available ${formatBytes(s?.available)}${lastsText(lastsFor(snapshot))}`,
			`Cache ${formatBytes(s?.buffersCache)}`,
			`Swap ${formatBytes(s?.swapUsed)}${s?.swapTotal === undefined ? '' : ` of ${formatBytes(s.swapTotal)}`}`,
			`Peak ${formatBytes(snapshot.peak)}`,
			`Min ${formatBytes(snapshot.min)}`,
		], '  ', width);
	}

	const parts = [
		`Now ${formatBytes(now?.rss)}`,
		`Peak ${formatBytes(snapshot.peak)}${snapshot.hwm === undefined || formatBytes(snapshot.hwm) === formatBytes(snapshot.peak) ? '' : ` (HWM ${formatBytes(snapshot.hwm)})`}`,
		`Min ${formatBytes(snapshot.min)}`,
		`PSS ${formatBytes(snapshot.pss?.pss)}`,
		// PSS is read less often the more it costs (minutes apart for a big process): an old reading
		// says how old, in whole minutes passed (never more than it is: 151 s is "2 min ago"); so does
		// one above the RSS now, which no reading now can be (the workload exited since).
		`USS ${formatBytes(snapshot.pss?.uss)}${snapshot.pss && (snapshot.pss.ageMs >= 60_000 || (now !== undefined && (snapshot.pss.pss ?? 0) > now.rss)) ? ` (${pssAge(snapshot.pss.ageMs)} ago)` : ''}`,
		`Swap ${formatBytes(now?.swap)}`,
		`CPU ${now?.cpu === undefined ? '—' : `${now.cpu.toFixed(1)}%`}`,
	];
	// Counts that changed come right after the peak, before a narrow screen cuts the line; steady ones go last.
	const counts = [`Threads ${countText(snapshot.threads)}`, `FDs ${countText(snapshot.fds)}`];
	const changed = [snapshot.threads, snapshot.fds].some(count => count !== undefined && count.last !== count.first);
	parts.splice(changed ? 2 : parts.length, 0, ...counts);
	return fitParts('', parts, '  ', width);
}

/**
A projection is shown within an hour, or within ten times as long as the run has watched, and
never beyond a day (nothing a soak's user can act on): two minutes of a database's buffer pool
warming at 1 GiB/h said "gone in about 22h 00m" of 22 GiB, a line drawn 660 times its length.
*/
const LASTS_WITHIN_SECONDS = 24 * 3600;
const LASTS_ALWAYS_SECONDS = 3600;
const LASTS_PER_WATCHED = 10;

/**
How long what is left lasts at the growth rate the gauge shows, where that is soon enough to say
(LASTS_WITHIN_SECONDS) and the bounds are sure the target grows: the cgroup limit's room above its
RSS, or the machine's available memory, whichever runs out first. Said as a projection ("at this rate"), warm-up or leak alike: a
process growing 36 GiB an hour was "can't tell yet, at least 26 min more" with 22 GiB left.
*/
export function lastsFor(snapshot: Snapshot): {seconds: number; of: 'limit' | 'available'; rate: number} | undefined {
	const {growth} = snapshot.assessment;
	const rate = growth.rate;
	if (rate === undefined || !(rate > 0) || !(growth.low !== undefined && growth.low > 0) || !snapshot.system) {
		return undefined;
	}

	const held = snapshot.now?.rss;
	// --system: the limit is memmon's own container's, not one the machine's "used" fills.
	const room = snapshot.mode === 'system' || snapshot.memoryLimit === undefined || held === undefined ? undefined : Math.max(0, snapshot.memoryLimit - held);
	const [seconds, of] = room !== undefined && room < snapshot.system.available ? [room / rate * 3600, 'limit' as const] : [snapshot.system.available / rate * 3600, 'available' as const];
	const within = Math.min(LASTS_WITHIN_SECONDS, Math.max(LASTS_ALWAYS_SECONDS, LASTS_PER_WATCHED * snapshot.elapsedMs / 1000));
	return seconds <= within ? {seconds, of, rate} : undefined;
}

/** After the available memory: how long it lasts, when lastsFor says so of it. */
function lastsText(lasts: ReturnType<typeof lastsFor>): string {
	return lasts?.of === 'available' ? ` (gone in about ${formatMinutes(lasts.seconds)} at ${formatRate(lasts.rate)})` : '';
}

/** One line: the machine's memory, each part whole or left out (fitParts). */
export function systemLine(snapshot: Snapshot, width: number): string {
	const s = snapshot.system;
	if (!s) {
		return fit('System    —', width);
	}

	const percent = s.total > 0 ? ` (${Math.round(s.used / s.total * 100)}%)` : '';
	// Inside a container the machine's figures are the host's: the limit the kernel kills at comes
	// first, with how much of it the target holds.
	const held = snapshot.now?.rss;
	const lasts = lastsFor(snapshot);
	const limit = snapshot.memoryLimit === undefined ? '' : `limit ${formatBytes(snapshot.memoryLimit)} (cgroup${held === undefined ? '' : `, RSS at ${Math.round(held / snapshot.memoryLimit * 100)}%`}${lasts?.of === 'limit' ? `, full in about ${formatMinutes(lasts.seconds)} at ${formatRate(lasts.rate)}` : ''})`;
	return fitParts('', [
		`System    used ${formatBytes(s.used)} of ${formatBytes(s.total)}${percent}`,
		limit,
		`available ${formatBytes(s.available)}${lastsText(lasts)}`,
		s.buffersCache === undefined ? '' : `cache ${formatBytes(s.buffersCache)}`,
		s.swapTotal === undefined ? '' : `swap ${formatBytes(s.swapUsed)} of ${formatBytes(s.swapTotal)}`,
	].filter(Boolean), ' · ', width);
}

/** The header: label and target on the left, time and samples on the right. */
export function headerLine(snapshot: Snapshot, paused: boolean, width: number): string {
	const elapsed = formatDuration(snapshot.elapsedMs);
	const limit = snapshot.durationMs === undefined ? '' : ` / ${formatDuration(snapshot.durationMs)}`;
	const state = snapshot.ended ? '■ ended' : paused ? '❚❚ paused' : '● live';
	const right = `${state} ${elapsed}${limit} · every ${formatDuration(snapshot.intervalMs)} · ${count(snapshot.samples, 'sample')}${snapshot.failed > 0 ? ` (${count(snapshot.failed, 'gap')})` : ''}`;
	const processes = snapshot.now?.processes.length ?? 1;
	const tree = snapshot.children && processes > 1 ? ` +${processes - 1}` : '';
	const left = snapshot.mode === 'system' ? `memmon · ${snapshot.label} · ${snapshot.target}` : `memmon · ${snapshot.label} · PID ${snapshot.pid}${tree} · ${snapshot.target}`;
	const leftWidth = Math.max(0, width - right.length - 1);
	return fit(`${fit(left, leftWidth)} ${right}`, width);
}
