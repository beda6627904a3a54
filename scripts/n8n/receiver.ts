/**
 * A tiny HTTP server on 127.0.0.1 for end-to-end tests: it records every request it receives
 * (an n8n HTTP Request node posting each execution's item to it, say) and answers with a fixed
 * response per path prefix, so it can also stand in for "something else" at a Base URL.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

import { sleep } from './children';

export interface ReceivedRequest {
	method: string;
	/** Path with the query string. */
	url: string;
	headers: Record<string, string>;
	/** The body parsed as JSON, or undefined when it was empty or not JSON. */
	json: unknown;
	text: string;
	receivedAt: number;
}

export interface CannedResponse {
	status?: number;
	contentType?: string;
	body: string;
}

export interface ReceiverOptions {
	/** Answers by path prefix (the longest matching prefix wins); default 200 `{"ok":true}`. */
	responses?: Record<string, CannedResponse>;
}

export interface Receiver {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	requests: ReceivedRequest[];
	/** Resolves with the matching requests once `count` of them arrived; rejects on timeout. */
	waitFor(
		predicate: (request: ReceivedRequest) => boolean,
		count: number,
		timeoutMs?: number,
	): Promise<ReceivedRequest[]>;
	close(): Promise<void>;
}

const DEFAULT_RESPONSE: CannedResponse = {
	status: 200,
	contentType: 'application/json',
	body: '{"ok":true}',
};

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
	const requests: ReceivedRequest[] = [];
	const prefixes = Object.keys(options.responses ?? {}).sort((a, b) => b.length - a.length);

	const server: Server = createServer((request, response) => {
		void readBody(request).then(
			(text) => {
				let json: unknown;
				try {
					json = text === '' ? undefined : (JSON.parse(text) as unknown);
				} catch {
					json = undefined;
				}
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(request.headers)) {
					if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
				}
				const url = request.url ?? '/';
				requests.push({
					method: request.method ?? 'GET',
					url,
					headers,
					json,
					text,
					receivedAt: Date.now(),
				});
				const prefix = prefixes.find((candidate) => url.startsWith(candidate));
				const canned =
					prefix === undefined
						? DEFAULT_RESPONSE
						: (options.responses?.[prefix] ?? DEFAULT_RESPONSE);
				response.writeHead(canned.status ?? 200, {
					'content-type': canned.contentType ?? 'application/json',
				});
				response.end(canned.body);
			},
			() => {
				response.writeHead(400);
				response.end();
			},
		);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		server.close();
		throw new Error('the receiver is not listening on a TCP port');
	}

	return {
		url: `http://127.0.0.1:${address.port}`,
		requests,
		waitFor: async (predicate, count, timeoutMs = 15000) => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const matching = requests.filter(predicate);
				if (matching.length >= count) return matching;
				if (Date.now() > deadline) {
					throw new Error(
						`expected ${count} matching requests within ${timeoutMs} ms, ${matching.length} came`,
					);
				}
				await sleep(50);
			}
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
