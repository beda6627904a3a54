import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What the user is told about whether the message left, for failures of a send. */
export type Delivery = 'notSent' | 'maybeSent';

const MAYBE_SENT =
	'X Lead Connect may have accepted the message before this failure, so it was not sent again. Check the usage report or the delivery callbacks before sending it again.';
const NOT_SENT = 'The message was not sent.';

export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: number;
	/** Set on sends: whether the message may have gone out despite the failure. */
	delivery?: Delivery;
	/** The API's own body, kept on the error; never the request, which carries the key. */
	body?: JsonObject;
}

export function apiError(node: INode, failure: ApiFailure, itemIndex: number): NodeApiError {
	const deliveryNote =
		failure.delivery === 'maybeSent' ? MAYBE_SENT : failure.delivery === 'notSent' ? NOT_SENT : '';
	const error = new NodeApiError(node, failure.body ?? {}, {
		message: failure.message,
		description: [failure.description, deliveryNote].filter((part) => part !== '').join(' '),
		httpCode: failure.httpCode === undefined ? undefined : String(failure.httpCode),
		itemIndex,
	});
	// n8n rewrites a message that contains an error code such as ECONNRESET; set it afterwards.
	error.message = failure.message;
	return error;
}

export function describeStatus(statusCode: number, rm: string | undefined): ApiFailure {
	const said = rm !== undefined ? ` X Lead Connect said: "${rm}".` : '';
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: 'X Lead Connect refused the API key',
			description: `Check the API key in the X Lead Connect API credential.${said}`,
			httpCode: statusCode,
		};
	}
	if (statusCode === 404) {
		return {
			message: 'X Lead Connect does not know this address',
			description: `Check the Base URL in the X Lead Connect API credential (normally https://api.connect.xleadfunnel.com).${said}`,
			httpCode: statusCode,
		};
	}
	if (statusCode === 429) {
		return {
			message: 'X Lead Connect is receiving too many requests',
			description: `It still asked to slow down after 3 tries. Run the workflow again later, or send fewer items at once.${said}`,
			httpCode: statusCode,
		};
	}
	if (statusCode >= 500) {
		return {
			message: `X Lead Connect had a server error (HTTP ${statusCode})`,
			description: `Try again later.${said}`,
			httpCode: statusCode,
		};
	}
	return {
		message: `X Lead Connect answered with HTTP ${statusCode}`,
		description: `The request was refused.${said}`,
		httpCode: statusCode,
	};
}

/** Network failures where the request cannot have reached the API. */
const NOT_REACHED = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

export function requestNeverLeft(code: string | undefined): boolean {
	return code !== undefined && NOT_REACHED.has(code);
}

export function describeNetwork(code: string | undefined, timeoutSeconds: number): ApiFailure {
	if (requestNeverLeft(code)) {
		return {
			message: 'Could not reach X Lead Connect',
			description: `The connection failed (${code}). Check the Base URL in the X Lead Connect API credential and the network of this n8n.`,
		};
	}
	if (code !== undefined && TIMED_OUT.has(code)) {
		return {
			message: 'X Lead Connect did not answer in time',
			description: `No answer came within ${timeoutSeconds} ${timeoutSeconds === 1 ? 'second' : 'seconds'} (the Timeout option).`,
		};
	}
	return {
		message: 'The connection to X Lead Connect broke',
		description: `The connection closed before an answer came (${code ?? 'no error code'}).`,
	};
}

export function waitTooLong(seconds: number, rm: string | undefined): ApiFailure {
	return {
		...describeStatus(429, rm),
		description: `It asked to wait ${seconds} seconds before trying again, longer than this node waits (30 seconds). Run the workflow again later, or send fewer items at once.${rm !== undefined ? ` X Lead Connect said: "${rm}".` : ''}`,
	};
}

export function badBaseUrl(): ApiFailure {
	return {
		message: 'The Base URL is not a web address',
		description:
			'Check the Base URL in the X Lead Connect API credential: it must start with https:// (normally https://api.connect.xleadfunnel.com).',
	};
}

/** Replaces each of the given values (of 4 characters or more) wherever it appears in a text. */
export function redactor(values: string[]): (text: string) => string {
	const secrets = [...new Set(values.map((value) => value.trim()))]
		.filter((value) => value.length >= 4)
		.sort((a, b) => b.length - a.length);
	return (text) => secrets.reduce((result, secret) => result.split(secret).join('[hidden]'), text);
}

export function unreadableAnswer(statusCode: number): ApiFailure {
	return {
		message: 'X Lead Connect sent an answer this node cannot read',
		description: `The answer (HTTP ${statusCode}) was not X Lead Connect's JSON. Check the Base URL in the credential; a proxy or a maintenance page may be in the way.`,
		httpCode: statusCode,
	};
}
