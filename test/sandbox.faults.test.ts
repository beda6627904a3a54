import axios, { type AxiosError, type AxiosInstance } from 'axios';

import type { Fault } from '../sandbox/faults';
import { startSandbox, type Sandbox } from '../sandbox/server';

const SMS = { country_code: '852', mobile: '91234567', content: 'Hello' };
const EDM = { campaign_id: '65a1f0c2b3d4e5f6a7b8c9d0', email: 'ann@example.com' };

let sandbox: Sandbox;
let api: AxiosInstance;

beforeAll(async () => {
	sandbox = await startSandbox();
	api = axios.create({
		baseURL: sandbox.url,
		headers: { 'x-api-key': sandbox.apiKey },
		validateStatus: () => true,
		// Raw text, so that a test sees exactly what came over the wire.
		transformResponse: (data: unknown) => data,
	});
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function failure(request: Promise<unknown>): Promise<AxiosError> {
	try {
		await request;
	} catch (error) {
		if (axios.isAxiosError(error)) return error;
		throw error;
	}
	throw new Error('The request succeeded');
}

describe('status faults', () => {
	it.each([
		[401, 'Invalid API key'],
		[403, 'Forbidden'],
		[404, 'Not found'],
		[429, 'Too many requests'],
		[500, 'Internal error'],
		[502, 'Bad gateway'],
		[503, 'Service unavailable'],
	])('answers %i with an rc -100 body and accepts no send', async (status, rm) => {
		sandbox.injectFaults([{ kind: { type: 'status', status } }]);

		const response = await api.post('/v1/sms/send', SMS);

		expect(response.status).toBe(status);
		expect(JSON.parse(String(response.data))).toEqual({ rc: -100, rm });
		expect(response.headers['retry-after']).toBe(status === 429 ? '1' : undefined);
		expect(sandbox.state.sends).toEqual([]);
		expect(sandbox.requests).toEqual([
			expect.objectContaining({ path: '/v1/sms/send', body: SMS }),
		]);
	});

	it('sends the given body and headers, HTML and plain text as they are', async () => {
		sandbox.injectFaults([
			{
				kind: {
					type: 'status',
					status: 429,
					body: { busy: true },
					headers: { 'Retry-After': '30' },
				},
			},
			{ kind: { type: 'status', status: 502, body: '  <html>Bad gateway</html>' } },
			{ kind: { type: 'status', status: 500, body: 'upstream failed' } },
		]);

		const throttled = await api.get('/v1/acct/get-points-balance');
		const html = await api.get('/v1/acct/get-points-balance');
		const text = await api.get('/v1/acct/get-points-balance');

		expect(throttled.headers['retry-after']).toBe('30');
		expect(throttled.data).toBe('{"busy":true}');
		expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(html.data).toBe('  <html>Bad gateway</html>');
		expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(text.data).toBe('upstream failed');
	});
});

describe('body faults at HTTP 200', () => {
	it('answers an HTML page, an empty body, or an rc with and without rm', async () => {
		sandbox.injectFaults([
			{ kind: { type: 'html' } },
			{ kind: { type: 'empty' } },
			{ kind: { type: 'rc', rc: -200, rm: 'System busy' } },
			{ kind: { type: 'rc', rc: -300 } },
		]);

		const [html, empty, withRm, withoutRm] = [
			await api.post('/v1/sms/send', SMS),
			await api.post('/v1/sms/send', SMS),
			await api.post('/v1/sms/send', SMS),
			await api.post('/v1/sms/send', SMS),
		];

		expect([html.status, empty.status, withRm.status, withoutRm.status]).toEqual([
			200, 200, 200, 200,
		]);
		expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(html.data).toMatch(/^<!DOCTYPE html>/);
		expect(empty.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(empty.data).toBe('');
		expect(withRm.data).toBe('{"rc":-200,"rm":"System busy"}');
		expect(withoutRm.data).toBe('{"rc":-300}');
		expect(sandbox.state.sends).toEqual([]);
		expect(sandbox.requests).toHaveLength(4);
	});
});

describe('connection faults', () => {
	it('holds a request for ms, then drops it unanswered', async () => {
		sandbox.injectFaults([{ kind: { type: 'timeout', ms: 150 } }]);

		const started = Date.now();
		const error = await failure(api.post('/v1/sms/send', SMS));

		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(error.response).toBeUndefined();
		expect(error.code).toBe('ECONNRESET');
		expect(sandbox.state.sends).toEqual([]);
	});

	it('holds a request until the client gives up, and still closes at once', async () => {
		const holding = await startSandbox();
		holding.injectFaults([{ kind: { type: 'timeout' } }]);

		const error = await failure(
			axios.post(`${holding.url}/v1/sms/send`, SMS, {
				headers: { 'x-api-key': holding.apiKey },
				timeout: 200,
			}),
		);
		const started = Date.now();
		holding.injectFaults([{ kind: { type: 'timeout' } }]);
		const pending = failure(
			axios.post(`${holding.url}/v1/sms/send`, SMS, { headers: { 'x-api-key': holding.apiKey } }),
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await holding.close();

		expect(error.code).toBe('ECONNABORTED');
		expect((await pending).response).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('resets the connection without processing the request', async () => {
		sandbox.injectFaults([{ kind: { type: 'reset' } }]);

		const error = await failure(api.post('/v1/sms/send', SMS));
		const next = await api.post('/v1/sms/send', SMS);

		expect(error.code).toBe('ECONNRESET');
		expect(sandbox.state.points).toBe(9999);
		expect(JSON.parse(String(next.data))).toEqual({ rc: 100, rm: 'OK', ref_id: '145737475' });
	});

	it('processes the request, draws the balance, then resets instead of answering', async () => {
		sandbox.injectFaults([{ kind: { type: 'resetAfterProcessing' } }]);

		const error = await failure(api.post('/v1/sms/send', SMS));
		const retry = await api.post('/v1/sms/send', SMS);

		expect(error.code).toBe('ECONNRESET');
		expect(sandbox.state.sends.map(({ refId }) => refId)).toEqual(['145737475', '145737476']);
		expect(sandbox.state.points).toBe(9998);
		expect(JSON.parse(String(retry.data))).toMatchObject({ ref_id: '145737476' });
		expect(sandbox.requests).toHaveLength(2);
	});
});

describe('fault queue', () => {
	it('applies a fault the given number of times, then answers normally', async () => {
		sandbox.injectFaults([{ times: 2, kind: { type: 'status', status: 503 } }]);

		const statuses = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			statuses.push((await api.post('/v1/sms/send', SMS)).status);
		}

		expect(statuses).toEqual([503, 503, 200]);
		expect(sandbox.state.sends).toHaveLength(1);
		expect(sandbox.requests).toHaveLength(3);
	});

	it('applies a fault to its path only, and queued faults in order', async () => {
		sandbox.injectFaults([{ path: '/v1/edm/send', kind: { type: 'rc', rc: -100, rm: 'First' } }]);
		sandbox.injectFaults([{ kind: { type: 'rc', rc: -100, rm: 'Second' } }]);

		const sms = await api.post('/v1/sms/send', SMS);
		const edm = await api.post('/v1/edm/send', EDM);
		const edmAgain = await api.post('/v1/edm/send', EDM);

		expect(JSON.parse(String(sms.data))).toEqual({ rc: -100, rm: 'Second' });
		expect(JSON.parse(String(edm.data))).toEqual({ rc: -100, rm: 'First' });
		expect(JSON.parse(String(edmAgain.data))).toMatchObject({ rc: 100 });
	});

	it('is cleared by reset and leaves control routes alone', async () => {
		sandbox.injectFaults([{ kind: { type: 'status', status: 500 } }]);
		const state = await api.get('/__sandbox/state');
		sandbox.reset();

		const response = await api.post('/v1/sms/send', SMS);

		expect(state.status).toBe(200);
		expect(response.status).toBe(200);
	});

	it('takes faults over the control route and refuses malformed ones', async () => {
		const queued = await api.post('/__sandbox/faults', [{ kind: { type: 'rc', rc: -200 } }]);
		const refused = await api.post('/__sandbox/faults', [{ kind: { type: 'status', status: 99 } }]);
		const response = await api.get('/v1/acct/get-quota-balance');

		expect(queued.status).toBe(204);
		expect(refused.status).toBe(400);
		expect(JSON.parse(String(refused.data))).toEqual({
			rc: -100,
			rm: 'Fault 0: kind.status must be an HTTP status from 200 to 599',
		});
		expect(response.data).toBe('{"rc":-200}');
		const untyped = JSON.parse('[{ "kind": { "type": "slow" } }]') as Fault[];
		expect(() => sandbox.injectFaults(untyped)).toThrow('Fault 0: kind.type must be one of');
	});
});
