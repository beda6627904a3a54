import fastify from 'fastify';

import type { CallbackOptions, DeliveredCallback } from './callbacks';
import type { Fault } from './faults';
import { CONTROL_PREFIX, controlPlugin } from './control';
import { fail } from './envelope';
import { pathOf } from './request-url';
import { SandboxStore } from './store';
import { V1_PREFIX, v1Plugin } from './v1';

export interface SandboxOptions {
	port?: number;
	apiKeys?: string[];
	points?: number;
	quota?: number;
	senderRequiredCountryCodes?: string[];
	logger?: boolean;
	/** Delivery callbacks after each accepted send; none unless a URL is given. */
	callbacks?: CallbackOptions;
}

export interface RecordedRequest {
	method: string;
	/** Without the query string, e.g. '/v1/sms/send'. */
	path: string;
	query: Record<string, string>;
	/** Lower-case names, as received. */
	headers: Record<string, string>;
	/** The parsed JSON body, or undefined when there was none or it was not JSON. */
	body: unknown;
	receivedAt: string;
}

export interface SandboxState {
	points: number;
	quota: number;
	sends: SentMessage[];
}

export interface SentMessage {
	channel: 'sms' | 'mms' | 'edm';
	refId: string;
	sentAt: string;
	pointsUsed: number;
	quotaUsed: number;
}

export interface Sandbox {
	url: string;
	port: number;
	/** The first accepted key. */
	apiKey: string;
	/** Every request to /v1/* in arrival order; control routes are not recorded. */
	requests: RecordedRequest[];
	state: SandboxState;
	/** Every finished callback attempt, in the order they finished. */
	callbacks: DeliveredCallback[];
	/** Replaces the callback options; reports already scheduled keep their target and timing. */
	setCallbacks(options: CallbackOptions): void;
	/** Resolves with the record once `count` callback attempts have finished; default 5 s. */
	waitForCallbacks(count: number, timeoutMs?: number): Promise<DeliveredCallback[]>;
	/**
	 * Queues faults for the next matching /v1 requests, after any already queued. A faulted
	 * request is recorded but not processed, except for resetAfterProcessing.
	 */
	injectFaults(faults: Fault[]): void;
	/**
	 * Clears requests, sends, callback records and queued faults, cancels pending callbacks, restores the
	 * starting balances and the first ref_id. Callback options stay as they are.
	 */
	reset(): void;
	close(): Promise<void>;
}

export const DEFAULT_SANDBOX_API_KEY = 'sandbox-api-key';

const HOST = '127.0.0.1';
// An MMS in form B carries its image base64-encoded inside smil.
const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const apiKeys = options.apiKeys ?? [DEFAULT_SANDBOX_API_KEY];
	const apiKey = apiKeys[0];
	if (apiKey === undefined) throw new Error('The sandbox needs at least one API key');

	const store = new SandboxStore(
		{ points: options.points ?? 10000, quota: options.quota ?? 5000 },
		options.callbacks,
	);
	const app = fastify({
		bodyLimit: BODY_LIMIT_BYTES,
		exposeHeadRoutes: false,
		// Paths only: query strings and bodies may hold phone numbers or addresses.
		logger: options.logger
			? {
					serializers: {
						req: (request) => ({ method: request.method, path: pathOf(request.url) }),
					},
				}
			: false,
	});

	// Any body is read as text and parsed here, so a malformed one reaches the route and gets
	// the API's own rc -100 answer instead of fastify's HTTP 400 or 415.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => {
		done(null, parseJsonOrUndefined(String(text)));
	});

	await app.register(v1Plugin, {
		prefix: V1_PREFIX,
		store,
		apiKeys,
		senderRequiredCountryCodes: new Set(options.senderRequiredCountryCodes ?? ['65', '91']),
	});
	await app.register(controlPlugin, { prefix: CONTROL_PREFIX, store });
	app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(fail('Not found')));

	await app.listen({ host: HOST, port: options.port ?? 0 });
	const address = app.server.address();
	if (address === null || typeof address === 'string') {
		await app.close();
		throw new Error('The sandbox is not listening on a TCP port');
	}

	return {
		url: `http://${HOST}:${address.port}`,
		port: address.port,
		apiKey,
		requests: store.requests,
		state: store.state,
		callbacks: store.callbacks.delivered,
		setCallbacks: (callbackOptions) => store.callbacks.set(callbackOptions),
		waitForCallbacks: (count, timeoutMs) => store.callbacks.waitFor(count, timeoutMs),
		injectFaults: (faults) => store.faults.add(faults),
		reset: () => store.reset(),
		close: async () => {
			store.callbacks.close();
			await app.close();
		},
	};
}

function parseJsonOrUndefined(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
