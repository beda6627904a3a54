import { setTimeout as sleep } from 'node:timers/promises';

import type { Channel } from './store';
import { isHttpUrl, isJsonObject } from './validation';

/*
 * The sandbox's own callback vocabulary; the vendor documents only the four field names.
 * Send request report: accepted {rc 100, rm 'OK', status 'ACCEPTED'}; rejected {rc -100,
 * status 'REJECTED', rm one of REJECTIONS}. Delivery report, only after an accepted one:
 * {rc 100, rm 'OK', status 'DELIVERED'}, or {rc -100, rm 'Not delivered: <detail>'} with status
 * 'UNDELIVERED' (SMS, MMS) or 'BOUNCED' (eDM).
 */

export const OUTCOMES = [
	'delivered',
	'undelivered',
	'rejected:insufficient',
	'rejected:invalid',
	'rejected:dnc',
	'rejected:unsend',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const CALLBACK_STYLES = ['json', 'form', 'get'] as const;

export type CallbackStyle = (typeof CALLBACK_STYLES)[number];

export interface CallbackOptions {
	/** Default target for all channels; without it (and without `urls`) no callbacks are made. */
	url?: string;
	/** Per-channel override: a dashboard may hold one callback URL per product. */
	urls?: Partial<Record<Channel, string>>;
	/** Before the first report, and again between the two; default 100. */
	delayMs?: number;
	/** Default 'json'. */
	style?: CallbackStyle;
	/** Each report is sent this many times, as providers do; default 1. */
	repeat?: number;
	/** For sends without a per-recipient outcome; default 'delivered'. */
	outcome?: Outcome;
	/** Keyed by the mobile number as sent (without country code) or the email address. */
	outcomesByRecipient?: Record<string, Outcome>;
}

export interface CallbackPayload {
	rc: number;
	rm: string;
	ref_id: string;
	status: string;
}

export type CallbackReport = 'send_request' | 'delivery';

export interface DeliveredCallback {
	/** With the query string for style 'get'. */
	url: string;
	method: 'GET' | 'POST';
	style: CallbackStyle;
	/** The fields as sent; form and query strings carry them as text ('100'). */
	payload: CallbackPayload;
	channel: Channel;
	refId: string;
	report: CallbackReport;
	/** The HTTP status the receiver answered; undefined when no answer came. */
	status: number | undefined;
	error?: string;
	sentAt: string;
}

export const DEFAULT_CALLBACK_DELAY_MS = 100;
const ATTEMPT_TIMEOUT_MS = 5000;
const DEFAULT_WAIT_MS = 5000;

const REJECTIONS = {
	insufficient: { phone: 'Insufficient points', email: 'Insufficient quota' },
	invalid: { phone: 'Invalid mobile number', email: 'Invalid email address' },
	// 'dnc' and 'unsend' both mean the recipient opted out, so each maps to its channel's form.
	dnc: { phone: 'Number is on a do-not-call register', email: 'Address is on the unsend list' },
	unsend: { phone: 'Number is on a do-not-call register', email: 'Address is on the unsend list' },
};

export function isRejected(outcome: Outcome): boolean {
	return outcome.startsWith('rejected:');
}

export function sendRequestReport(
	channel: Channel,
	refId: string,
	outcome: Outcome,
): CallbackPayload {
	if (!isRejected(outcome)) return { rc: 100, rm: 'OK', ref_id: refId, status: 'ACCEPTED' };
	const reason = outcome.slice('rejected:'.length) as keyof typeof REJECTIONS;
	const rm = REJECTIONS[reason][channel === 'edm' ? 'email' : 'phone'];
	return { rc: -100, rm, ref_id: refId, status: 'REJECTED' };
}

export function deliveryReport(channel: Channel, refId: string, outcome: Outcome): CallbackPayload {
	if (outcome === 'delivered') return { rc: 100, rm: 'OK', ref_id: refId, status: 'DELIVERED' };
	return channel === 'edm'
		? { rc: -100, rm: 'Not delivered: mailbox unavailable', ref_id: refId, status: 'BOUNCED' }
		: { rc: -100, rm: 'Not delivered: handset unreachable', ref_id: refId, status: 'UNDELIVERED' };
}

const OPTION_NAMES = new Set([
	'url',
	'urls',
	'delayMs',
	'style',
	'repeat',
	'outcome',
	'outcomesByRecipient',
]);

/** Checks options that may come from JSON or the command line; throws with the reason. */
export function parseCallbackOptions(value: unknown): CallbackOptions {
	if (!isJsonObject(value)) throw new Error('Callback options must be a JSON object');
	const unknown = Object.keys(value).find((name) => !OPTION_NAMES.has(name));
	if (unknown !== undefined) throw new Error(`Unknown callback option "${unknown}"`);
	const { url, urls, delayMs, style, repeat, outcome, outcomesByRecipient } = value;

	if (url !== undefined && !isHttpUrl(url)) throw new Error('url must be an http(s) URL');
	if (urls !== undefined) {
		const valid =
			isJsonObject(urls) &&
			Object.entries(urls).every(
				([channel, target]) => ['sms', 'mms', 'edm'].includes(channel) && isHttpUrl(target),
			);
		if (!valid) throw new Error('urls must map sms, mms or edm to an http(s) URL');
	}
	if (delayMs !== undefined && !isWholeNumber(delayMs)) {
		throw new Error('delayMs must be a whole number');
	}
	if (style !== undefined && !CALLBACK_STYLES.some((known) => known === style)) {
		throw new Error(`style must be one of ${CALLBACK_STYLES.join(', ')}`);
	}
	if (repeat !== undefined && !(isWholeNumber(repeat) && repeat >= 1)) {
		throw new Error('repeat must be a whole number of at least 1');
	}
	if (outcome !== undefined && !isOutcome(outcome)) {
		throw new Error(`outcome must be one of ${OUTCOMES.join(', ')}`);
	}
	if (
		outcomesByRecipient !== undefined &&
		!(isJsonObject(outcomesByRecipient) && Object.values(outcomesByRecipient).every(isOutcome))
	) {
		throw new Error(`outcomesByRecipient values must be one of ${OUTCOMES.join(', ')}`);
	}
	return { ...value } as CallbackOptions;
}

function isWholeNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isOutcome(value: unknown): value is Outcome {
	return OUTCOMES.some((known) => known === value);
}

interface Waiter {
	count: number;
	resolve: (callbacks: DeliveredCallback[]) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

interface Scheduled {
	channel: Channel;
	refId: string;
	outcome: Outcome;
	url: string;
	style: CallbackStyle;
	delayMs: number;
	repeat: number;
}

export class CallbackDispatcher {
	/** Finished attempts in the order they finished. */
	readonly delivered: DeliveredCallback[] = [];

	private options: CallbackOptions;

	private cancel = new AbortController();

	private waiters: Waiter[] = [];

	constructor(options: CallbackOptions = {}) {
		this.options = parseCallbackOptions(options);
	}

	set(options: CallbackOptions): void {
		this.options = parseCallbackOptions(options);
	}

	outcomeFor(recipient: string | undefined): Outcome {
		const byRecipient = this.options.outcomesByRecipient ?? {};
		const chosen =
			recipient !== undefined && Object.hasOwn(byRecipient, recipient)
				? byRecipient[recipient]
				: undefined;
		return chosen ?? this.options.outcome ?? 'delivered';
	}

	/** Starts the reports for one send and returns at once: the send's answer never waits. */
	schedule(channel: Channel, refId: string, outcome: Outcome): void {
		const url = this.options.urls?.[channel] ?? this.options.url;
		if (url === undefined) return;

		// A snapshot, so that a later setCallbacks does not redirect reports already under way.
		const scheduled: Scheduled = {
			channel,
			refId,
			outcome,
			url,
			style: this.options.style ?? 'json',
			delayMs: this.options.delayMs ?? DEFAULT_CALLBACK_DELAY_MS,
			repeat: this.options.repeat ?? 1,
		};
		void this.run(scheduled, this.cancel.signal);
	}

	waitFor(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<DeliveredCallback[]> {
		if (this.delivered.length >= count) return Promise.resolve([...this.delivered]);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((waiter) => waiter.timer !== timer);
				reject(
					new Error(
						`Expected ${count} callbacks within ${timeoutMs} ms, ${this.delivered.length} came`,
					),
				);
			}, timeoutMs);
			timer.unref();
			this.waiters.push({ count, resolve, reject, timer });
		});
	}

	/** Clears the record and cancels every pending or running report; options stay. */
	reset(): void {
		this.stop('The sandbox was reset');
		this.delivered.length = 0;
	}

	close(): void {
		this.stop('The sandbox was closed');
	}

	private stop(reason: string): void {
		this.cancel.abort();
		this.cancel = new AbortController();
		for (const waiter of this.waiters) {
			clearTimeout(waiter.timer);
			waiter.reject(new Error(reason));
		}
		this.waiters = [];
	}

	// Never rejects: post records its own failures, and cancellation just ends the run.
	private async run(scheduled: Scheduled, signal: AbortSignal): Promise<void> {
		const { channel, refId, outcome } = scheduled;
		if (!(await pause(scheduled.delayMs, signal))) return;
		await this.post(scheduled, 'send_request', sendRequestReport(channel, refId, outcome), signal);
		if (isRejected(outcome) || !(await pause(scheduled.delayMs, signal))) return;
		await this.post(scheduled, 'delivery', deliveryReport(channel, refId, outcome), signal);
	}

	private async post(
		scheduled: Scheduled,
		report: CallbackReport,
		payload: CallbackPayload,
		signal: AbortSignal,
	): Promise<void> {
		const { url, method, init } = requestFor(scheduled.style, scheduled.url, payload);
		for (let attempt = 0; attempt < scheduled.repeat; attempt++) {
			const record: DeliveredCallback = {
				url,
				method,
				style: scheduled.style,
				payload,
				channel: scheduled.channel,
				refId: scheduled.refId,
				report,
				status: undefined,
				sentAt: new Date().toISOString(),
			};
			try {
				const response = await fetch(url, {
					...init,
					signal: AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
				});
				record.status = response.status;
				await response.arrayBuffer();
			} catch (error) {
				record.error = describe(error);
			}
			if (signal.aborted) return;
			this.finish(record);
		}
	}

	private finish(record: DeliveredCallback): void {
		this.delivered.push(record);
		const ready = this.waiters.filter((waiter) => this.delivered.length >= waiter.count);
		this.waiters = this.waiters.filter((waiter) => this.delivered.length < waiter.count);
		for (const waiter of ready) {
			clearTimeout(waiter.timer);
			waiter.resolve([...this.delivered]);
		}
	}
}

function requestFor(style: CallbackStyle, url: string, payload: CallbackPayload) {
	const fields = new URLSearchParams({
		rc: String(payload.rc),
		rm: payload.rm,
		ref_id: payload.ref_id,
		status: payload.status,
	});
	if (style === 'get') {
		const target = new URL(url);
		for (const [name, text] of fields) target.searchParams.append(name, text);
		return { url: target.toString(), method: 'GET' as const, init: { method: 'GET' } };
	}
	const [type, body] =
		style === 'form'
			? ['application/x-www-form-urlencoded', fields.toString()]
			: ['application/json', JSON.stringify(payload)];
	const init: RequestInit = { method: 'POST', headers: { 'content-type': type }, body };
	return { url, method: 'POST' as const, init };
}

/** Resolves false instead of waiting when the run was cancelled. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
	try {
		await sleep(ms, undefined, { signal, ref: false });
		return true;
	} catch {
		return false;
	}
}

// fetch hides the reason (ECONNREFUSED, a timeout) in `cause`. Duck-typed, because under jest
// the error comes from another realm and fails `instanceof Error`.
function describe(error: unknown): string {
	const message = messageOf(error);
	const cause =
		typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
	if (cause === undefined) return message;
	const code =
		typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
			? cause.code
			: messageOf(cause);
	return `${message} (${code})`;
}

function messageOf(error: unknown): string {
	return typeof error === 'object' && error !== null && 'message' in error
		? String(error.message)
		: String(error);
}
