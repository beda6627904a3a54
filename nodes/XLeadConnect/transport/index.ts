import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'xLeadConnectApi';

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

interface FullResponse {
	statusCode: number;
	body: unknown;
}

function isFullResponse(value: unknown): value is FullResponse {
	return typeof value === 'object' && value !== null && 'statusCode' in value;
}

function networkErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 3; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function describeStatus(statusCode: number): string {
	if (statusCode === 401 || statusCode === 403) {
		return 'X Lead Connect refused the API key. Check the key in the X Lead Connect API credential.';
	}
	if (statusCode === 404) {
		return 'X Lead Connect does not know this address. Check the Base URL in the credential.';
	}
	if (statusCode === 429) {
		return 'X Lead Connect is receiving too many requests. Wait a moment and run the workflow again.';
	}
	if (statusCode >= 500) {
		return `X Lead Connect had a server error (HTTP ${statusCode}). Try again later.`;
	}
	return `X Lead Connect answered with HTTP ${statusCode}.`;
}

/**
 * The one way this node reaches the API. It returns the body only when `rc` is 100; any other
 * answer becomes a NodeApiError built from the API's body alone, so that the request (and the
 * credential header in it) never travels inside the error.
 */
export async function xLeadApiRequest(
	this: IExecuteFunctions,
	request: XLeadRequest,
	itemIndex: number,
): Promise<XLeadResponse> {
	const credentials = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE, itemIndex);
	const baseUrl = String(credentials.baseUrl).trim().replace(/\/+$/, '');

	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;

	let response: unknown;
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		);
	} catch (error) {
		// n8n wraps transport failures in a NodeApiError whose cause is the HTTP client's error,
		// request headers included. Only the error code is carried over, so the key stays out.
		const code = networkErrorCode(error);
		throw new NodeApiError(
			this.getNode(),
			{ networkError: code ?? 'unknown' },
			{
				// A code such as ECONNREFUSED in the message would make n8n replace the message.
				message: 'Could not reach X Lead Connect',
				description: `The connection failed${code ? ` (${code})` : ''}. Check the Base URL in the X Lead Connect API credential and the network of this n8n.`,
				itemIndex,
			},
		);
	}

	const { statusCode, body } = isFullResponse(response)
		? response
		: { statusCode: 200, body: response };
	const data = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const rm = typeof data.rm === 'string' && data.rm !== '' ? data.rm : undefined;

	if (statusCode < 200 || statusCode > 299) {
		throw new NodeApiError(this.getNode(), data as JsonObject, {
			message: describeStatus(statusCode),
			description: rm !== undefined ? `X Lead Connect said: ${rm}` : undefined,
			httpCode: String(statusCode),
			itemIndex,
		});
	}

	if (typeof data.rc !== 'number' && typeof data.rc !== 'string') {
		throw new NodeApiError(this.getNode(), data as JsonObject, {
			message: 'X Lead Connect sent an answer this node cannot read',
			description: 'The answer had no return code (rc). Check the Base URL in the credential.',
			httpCode: String(statusCode),
			itemIndex,
		});
	}

	const rc = Number(data.rc);
	if (rc !== 100) {
		throw new NodeApiError(this.getNode(), data as JsonObject, {
			message: rm ?? `X Lead Connect refused the request (rc ${rc})`,
			description: `X Lead Connect answered with return code ${rc}.`,
			httpCode: String(statusCode),
			itemIndex,
		});
	}

	return { ...data, rc, rm: rm ?? '' };
}
