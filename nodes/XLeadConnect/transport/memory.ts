import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiFailure } from './errors';

/**
 * What this node already sent in the current execution. n8n's "Retry On Fail" runs the node again
 * with all its input items; without this, every recipient whose send had succeeded would get the
 * message again on each try. It lives in the execution's node context, so it ends with the
 * execution, and it is bounded in size and age.
 */
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60 * 60 * 1000;

export type Remembered =
	{ at: number; response: IDataObject } | { at: number; failure: ApiFailure };

type Entries = Record<string, Remembered>;

function entries(context: IExecuteFunctions): Entries {
	const nodeContext = context.getContext('node');
	nodeContext.xLeadSends ??= {};
	return nodeContext.xLeadSends as Entries;
}

/** The fields that say who a send goes to; the rest of the body may change between tries. */
const RECIPIENT_FIELDS = ['campaign_id', 'email', 'country_code', 'mobile'];

/**
 * One send: this run of the node (a loop runs it again with a new run index, and those sends are
 * meant), the item, the endpoint and the recipient. The message text is left out on purpose: an
 * expression such as {{ $now }} gives it a new value on every try.
 */
export function sendKey(
	runIndex: number,
	itemIndex: number,
	path: string,
	body: IDataObject | undefined,
): string {
	const recipient = RECIPIENT_FIELDS.map((field) => body?.[field] ?? null);
	const digest = createHash('sha256')
		.update(JSON.stringify([path, recipient]))
		.digest('base64url');
	return `${runIndex}:${itemIndex}:${digest}`;
}

export function recall(context: IExecuteFunctions, key: string): Remembered | undefined {
	const entry = entries(context)[key];
	return entry && Date.now() - entry.at <= MAX_AGE_MS ? entry : undefined;
}

export function remember(context: IExecuteFunctions, key: string, entry: Remembered): void {
	const all = entries(context);
	const now = Date.now();
	for (const [oldKey, old] of Object.entries(all)) {
		if (now - old.at > MAX_AGE_MS) delete all[oldKey];
	}
	const keys = Object.keys(all);
	for (const oldKey of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES + 1))) {
		delete all[oldKey];
	}
	all[key] = entry;
}
