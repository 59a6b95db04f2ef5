/** A problem with what the user typed (or a file given as input): printed as one line, exit code 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}
