import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';
import {
	apiError,
	describeNetwork,
	describeStatus,
	requestNeverLeft,
	badBaseUrl,
	redactor,
	unreadableAnswer,
	waitTooLong,
} from './errors';
import { recall, remember, sendKey } from './memory';

const CREDENTIAL_TYPE = 'xLeadConnectApi';

/** Every X Lead Connect answer carries this envelope; `rc` 100 is the only success. */
export interface XLeadResponse extends IDataObject {
	rc: number;
	rm: string;
}

export interface XLeadRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
}

const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_SECONDS = 30;
const DEFAULT_TIMEOUT_SECONDS = 30;

type Attempt =
	| { kind: 'answer'; statusCode: number; headers: IDataObject; body: unknown }
	| { kind: 'network'; code: string | undefined };

function networkErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 3; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function retryAfterSeconds(headers: IDataObject, attempt: number): number {
	const header = headers['retry-after'];
	const text = Array.isArray(header) ? String(header[0]) : String(header ?? '').trim();
	if (/^\d+$/.test(text)) return Number(text);
	const date = Date.parse(text);
	if (!isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
	return attempt;
}

function isWebAddress(text: string): boolean {
	if (/\s/.test(text)) return false;
	try {
		const url = new URL(text);
		return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** What a send carries that is the customer's: the recipient and the message. */
function sensitiveValues(body: IDataObject | undefined): string[] {
	if (body === undefined) return [];
	const values = ['mobile', 'email', 'content', 'subject', 'text']
		.map((field) => body[field])
		.filter((value): value is string => typeof value === 'string');
	if (typeof body.mobile === 'string') {
		values.push(body.mobile.replace(/^0+/, ''), `${String(body.country_code)}${body.mobile}`);
	}
	return values;
}

function timeoutSeconds(context: IExecuteFunctions, itemIndex: number): number {
	const options = context.getNodeParameter('options', itemIndex, {}) as { timeout?: unknown };
	const seconds = Number(options.timeout ?? DEFAULT_TIMEOUT_SECONDS);
	return isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
}

async function attemptOnce(
	context: IExecuteFunctions,
	options: IHttpRequestOptions,
): Promise<Attempt> {
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
		)) as { statusCode: number; headers?: IDataObject; body: unknown };
		return {
			kind: 'answer',
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: response.body,
		};
	} catch (error) {
		// n8n wraps transport failures in an error whose cause is the HTTP client's error, request
		// headers (the API key) included. Only the error code is kept.
		return { kind: 'network', code: networkErrorCode(error) };
	}
}

/**
 * The one way this node reaches the API. Reads are retried on faults; a send (every POST) is
 * retried only when the API said it did not process it (HTTP 429), and is never repeated within
 * one execution once the API may have accepted it, even when n8n runs the node again.
 */
export async function xLeadApiRequest(
	this: IExecuteFunctions,
	request: XLeadRequest,
	itemIndex: number,
): Promise<XLeadResponse> {
	const isSend = request.method === 'POST';
	const key = isSend
		? sendKey(
				this.getWorkflowDataProxy(itemIndex).$thisRunIndex,
				itemIndex,
				request.path,
				request.body,
			)
		: undefined;
	if (key !== undefined) {
		const remembered = recall(this, key);
		if (remembered && 'response' in remembered) return remembered.response as XLeadResponse;
		if (remembered) throw apiError(this.getNode(), remembered.failure, itemIndex);
	}

	const result = await requestWithRetries.call(this, request, isSend, itemIndex);
	if (result.ok) {
		if (key !== undefined) remember(this, key, { at: Date.now(), response: result.response });
		return result.response;
	}
	if (key !== undefined && result.failure.delivery === 'maybeSent') {
		remember(this, key, { at: Date.now(), failure: result.failure });
	}
	throw apiError(this.getNode(), result.failure, itemIndex);
}

/** Tries as often as is safe; a failure is returned, and made the node's error by the caller. */
async function requestWithRetries(
	this: IExecuteFunctions,
	request: XLeadRequest,
	isSend: boolean,
	itemIndex: number,
): Promise<{ ok: true; response: XLeadResponse } | { ok: false; failure: ApiFailure }> {
	const credentials = await this.getCredentials<{ apiKey: string; baseUrl: string }>(
		CREDENTIAL_TYPE,
		itemIndex,
	);
	const baseUrl = String(credentials.baseUrl).trim().replace(/\/+$/, '').trim();
	const seconds = timeoutSeconds(this, itemIndex);
	const failed = (failure: ApiFailure) => ({ ok: false as const, failure });
	if (!isWebAddress(baseUrl))
		return failed(isSend ? { ...badBaseUrl(), delivery: 'notSent' } : badBaseUrl());
	// The API may echo what it was sent; its message must not carry the key or the recipient on.
	const redact = redactor([credentials.apiKey, ...sensitiveValues(request.body)]);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: seconds * 1000,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	const uncertain = (failure: ApiFailure) => ({
		ok: false as const,
		failure: isSend ? { ...failure, delivery: 'maybeSent' as const } : failure,
	});
	const notSent = (failure: ApiFailure) => ({
		ok: false as const,
		failure: isSend ? { ...failure, delivery: 'notSent' as const } : failure,
	});

	for (let attempt = 1; ; attempt++) {
		const canRetry = attempt < MAX_ATTEMPTS;
		const result = await attemptOnce(this, options);

		if (result.kind === 'network') {
			if (requestNeverLeft(result.code)) return notSent(describeNetwork(result.code, seconds));
			if (!isSend && canRetry) {
				await sleep(500 * attempt);
				continue;
			}
			return uncertain(describeNetwork(result.code, seconds));
		}

		const { statusCode, headers, body } = result;
		const data =
			typeof body === 'object' && body !== null && !Array.isArray(body)
				? (body as IDataObject)
				: undefined;
		const rm = typeof data?.rm === 'string' && data.rm !== '' ? redact(data.rm) : undefined;
		const rcText =
			typeof data?.rc === 'number' || typeof data?.rc === 'string' ? String(data.rc) : '';
		const apiBody: JsonObject | undefined =
			data === undefined
				? undefined
				: { rc: rcText === '' ? null : redact(rcText), rm: rm ?? null };

		if (statusCode === 429) {
			// The API refused before doing anything, so even a send may be tried again.
			const wait = retryAfterSeconds(headers, attempt);
			if (wait > MAX_RETRY_AFTER_SECONDS) {
				return notSent({ ...waitTooLong(wait, rm), body: apiBody });
			}
			if (canRetry) {
				await sleep(wait * 1000);
				continue;
			}
			return notSent({ ...describeStatus(statusCode, rm), body: apiBody });
		}
		if (statusCode >= 500) {
			if (!isSend && canRetry) {
				await sleep(500 * attempt);
				continue;
			}
			return uncertain({ ...describeStatus(statusCode, rm), body: apiBody });
		}
		if (statusCode < 200 || statusCode > 299) {
			return notSent({ ...describeStatus(statusCode, rm), body: apiBody });
		}

		if (data === undefined || rcText.trim() === '') {
			if (!isSend && canRetry) {
				await sleep(500 * attempt);
				continue;
			}
			return uncertain(unreadableAnswer(statusCode));
		}

		const rc = Number(rcText);
		if (rc !== 100) {
			return notSent({
				message: rm ?? `X Lead Connect refused the request (rc ${redact(rcText)})`,
				description: `X Lead Connect answered with return code ${redact(rcText)}.`,
				httpCode: statusCode,
				body: apiBody,
			});
		}
		const response: XLeadResponse = { ...data, rc, rm: typeof data.rm === 'string' ? data.rm : '' };
		// ref_id is an identifier to match callbacks with, compared as text: keep it text.
		if (typeof response.ref_id === 'number') response.ref_id = String(response.ref_id);
		return { ok: true, response };
	}
}
