import { timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export type Channel = 'sms' | 'mms' | 'edm' | 'unknown';
export type Report = 'send_request' | 'delivery' | 'unknown';
export type Outcome = 'success' | 'failure' | 'unknown';

export const SECRET_QUERY = 'secret';
export const SECRET_HEADER = 'x-xlead-secret';
export const CHANNEL_QUERY = 'channel';

/**
 * Status words the X Lead reference does not list; these are the ones the sandbox sends. Any
 * other value is passed through with report and outcome "unknown", never taken for success.
 */
const STATUSES: Record<string, { report: Report; outcome: Outcome }> = {
	ACCEPTED: { report: 'send_request', outcome: 'success' },
	REJECTED: { report: 'send_request', outcome: 'failure' },
	DELIVERED: { report: 'delivery', outcome: 'success' },
	UNDELIVERED: { report: 'delivery', outcome: 'failure' },
	BOUNCED: { report: 'delivery', outcome: 'failure' },
	EXPIRED: { report: 'delivery', outcome: 'failure' },
	FAILED: { report: 'delivery', outcome: 'failure' },
};

function sameText(expected: string, given: string): boolean {
	const expectedBytes = Buffer.from(expected, 'utf8');
	const givenBytes = Buffer.from(given, 'utf8');
	return expectedBytes.length === givenBytes.length && timingSafeEqual(expectedBytes, givenBytes);
}

/**
 * Compares in constant time, so response timing does not tell how much of a guess was right. A
 * "+" pasted unencoded into a URL arrives as a space, so that reading is accepted too.
 */
export function secretMatches(expected: string, given: unknown): boolean {
	if (expected === '' || typeof given !== 'string') return false;
	return sameText(expected, given) || sameText(expected, given.replace(/ /g, '+'));
}

/** Characters that end or change a query value when pasted into a URL unencoded. */
const URL_BREAKING = /[&#?%=\s/\\]/;

/** Why a secret cannot work in the callback URL, if it cannot. */
export function secretProblem(secret: string): string | undefined {
	if (secret.length < 12) return 'is shorter than 12 characters';
	if (URL_BREAKING.test(secret))
		return 'contains a character that breaks a URL (& # ? % = / \\ or a space)';
	return undefined;
}

function asChannel(value: unknown): Channel | undefined {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	return text === 'sms' || text === 'mms' || text === 'edm' ? text : undefined;
}

export interface Classified {
	channel: Channel;
	report: Report;
	outcome: Outcome;
}

/**
 * What the node can tell about a callback. The channel comes from the payload when it names one,
 * else from a `channel` the user added to the URL pasted into the dashboard.
 */
export function classify(payload: IDataObject, channelInUrl: unknown): Classified {
	const channel = asChannel(payload.channel) ?? asChannel(channelInUrl) ?? 'unknown';
	const status = typeof payload.status === 'string' ? payload.status.trim().toUpperCase() : '';
	const known = STATUSES[status] ?? { report: 'unknown', outcome: 'unknown' };

	const rc = payload.rc === undefined || payload.rc === '' ? undefined : Number(payload.rc);
	// A return code other than 100 is a failure whatever the status says; a missing one leaves
	// the status to decide.
	const outcome: Outcome = rc !== undefined && rc !== 100 ? 'failure' : known.outcome;
	return { channel, report: known.report, outcome };
}

export interface Filters {
	channels: string[];
	reports: 'both' | 'sendRequest' | 'delivery';
	onlyFailures: boolean;
}

export function passesFilters(classified: Classified, filters: Filters): boolean {
	if (!filters.channels.includes(classified.channel)) return false;
	// A report of a kind the node cannot tell passes either choice: dropping it would hide a
	// failure whose status word the vendor never documented.
	if (filters.reports === 'sendRequest' && classified.report === 'delivery') return false;
	if (filters.reports === 'delivery' && classified.report === 'send_request') return false;
	// "Only failures" keeps unknown outcomes too: an unknown status is never taken for success.
	if (filters.onlyFailures && classified.outcome === 'success') return false;
	return true;
}

/** The key under which a callback counts as already seen: providers repeat callbacks. */
export function repeatKey(payload: IDataObject): string | undefined {
	if (payload.ref_id === undefined || payload.ref_id === '') return undefined;
	return JSON.stringify([String(payload.ref_id), payload.status ?? '', String(payload.rc ?? '')]);
}

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function without(payload: IDataObject, keys: string[]): IDataObject {
	const copy: IDataObject = { ...payload };
	for (const key of keys) delete copy[key];
	return copy;
}

/**
 * The callbacks in one request: a JSON or form body, a JSON list of them, or else the query string
 * (a GET, or a POST without a body). The secret and the channel hint belong to the URL, not to X
 * Lead's report. A request with no fields at all reports nothing.
 */
export function readCallbacks(body: unknown, query: IDataObject): IDataObject[] {
	const fromBody = (Array.isArray(body) ? body : [body])
		.filter(isRecord)
		.map((payload) => without(payload, [SECRET_QUERY]))
		.filter((payload) => Object.keys(payload).length > 0);
	if (fromBody.length > 0) return fromBody;

	const fromQuery = without(query, [SECRET_QUERY, CHANNEL_QUERY]);
	return Object.keys(fromQuery).length > 0 ? [fromQuery] : [];
}

/**
 * Callbacks seen recently, per trigger node, in this n8n process. n8n saves the node's static data
 * only after the answer has gone out, so a repeat sent back to back would find it not yet saved;
 * this memory closes that gap. Static data stays the record that survives a restart.
 */
const recentlySeen = new Map<string, Set<string>>();

/** Whether a callback was seen before; remembers it either way, the newest `limit` kept. */
export function seenBefore(
	node: string,
	key: string,
	stored: { seen?: string[] },
	limit: number,
): boolean {
	const recent = recentlySeen.get(node) ?? new Set(stored.seen ?? []);
	recentlySeen.set(node, recent);
	const seen = recent.has(key) || (stored.seen ?? []).includes(key);

	recent.delete(key);
	recent.add(key);
	for (const oldest of recent) {
		if (recent.size <= limit) break;
		recent.delete(oldest);
	}
	stored.seen = [...recent];
	return seen;
}
