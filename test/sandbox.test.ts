import axios, { type AxiosInstance } from 'axios';

import { DEFAULT_SANDBOX_API_KEY, startSandbox, type Sandbox } from '../sandbox/server';

const HONG_KONG_SMS = { country_code: '852', mobile: '0912345678', content: 'Hello' };
const CAMPAIGN_ID = '65a1f0c2b3d4e5f6a7b8c9d0';
const BOUNDARY = '----=_xlead_part';
const SMIL = [
	BOUNDARY,
	'Content-Type: application/smil',
	'',
	'<smil></smil>',
	BOUNDARY,
	'Content-Type: text/plain; charset=utf-8',
	'',
	'Hi',
	BOUNDARY,
].join('\r\n');

function client(sandbox: Sandbox, apiKey: string | null = sandbox.apiKey): AxiosInstance {
	return axios.create({
		baseURL: sandbox.url,
		headers: apiKey === null ? {} : { 'x-api-key': apiKey },
		validateStatus: () => true,
	});
}

function hongKongToday(): string {
	return new Date(Date.now() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

let sandbox: Sandbox;
let api: AxiosInstance;

beforeAll(async () => {
	sandbox = await startSandbox();
	api = client(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

describe('startSandbox', () => {
	it('listens on a free local port with the default key and balances', () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.port).toBeGreaterThan(0);
		expect(sandbox.apiKey).toBe(DEFAULT_SANDBOX_API_KEY);
		expect(sandbox.state).toEqual({ points: 10000, quota: 5000, sends: [] });
	});
});

describe('authentication', () => {
	it('answers 401 for a wrong key without echoing it', async () => {
		const response = await client(sandbox, 'wrong-secret-1234').post('/v1/sms/send', HONG_KONG_SMS);

		expect(response.status).toBe(401);
		expect(response.data).toEqual({ rc: -100, rm: 'Invalid API key' });
		expect(JSON.stringify(response.data)).not.toContain('wrong-secret-1234');
		expect(sandbox.state.sends).toHaveLength(0);
	});

	it('answers 401 when the key is missing', async () => {
		const response = await client(sandbox, null).get('/v1/acct/get-points-balance');

		expect(response.status).toBe(401);
		expect(response.data).toEqual({ rc: -100, rm: 'Invalid API key' });
	});

	it('accepts every configured key and reports the first', async () => {
		const multiKey = await startSandbox({ apiKeys: ['key-a', 'key-b'] });
		try {
			const response = await client(multiKey, 'key-b').get('/v1/acct/get-points-balance');

			expect(multiKey.apiKey).toBe('key-a');
			expect(response.data).toEqual({ rc: 100, rm: 'OK', points: '10000' });
		} finally {
			await multiKey.close();
		}
	});
});

describe('routing', () => {
	it('answers 404 for an unknown path and 405 for a wrong method', async () => {
		const unknown = await api.get('/v1/sms/unknown');
		const wrongMethod = await api.get('/v1/sms/send');

		expect(unknown.status).toBe(404);
		expect(unknown.data).toEqual({ rc: -100, rm: 'Not found' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.allow).toBe('POST');
		expect(wrongMethod.data).toEqual({ rc: -100, rm: 'Method not allowed' });
	});
});

describe('POST /v1/sms/send', () => {
	it('accepts a send, keeps the leading zero and draws one point', async () => {
		const response = await api.post('/v1/sms/send', HONG_KONG_SMS);

		expect(response.status).toBe(200);
		expect(response.data).toEqual({ rc: 100, rm: 'OK', ref_id: '145737475' });
		expect(sandbox.state.points).toBe(9999);
		expect(sandbox.state.sends).toEqual([
			expect.objectContaining({ channel: 'sms', refId: '145737475', pointsUsed: 1, quotaUsed: 0 }),
		]);
		expect(sandbox.requests[0]?.body).toEqual(HONG_KONG_SMS);
	});

	it('requires a sender for Singapore and accepts one when given', async () => {
		const singapore = { ...HONG_KONG_SMS, country_code: '65' };

		const missing = await api.post('/v1/sms/send', singapore);
		const withSender = await api.post('/v1/sms/send', { ...singapore, sender: 'XLEAD' });

		expect(missing.status).toBe(200);
		expect(missing.data).toEqual({
			rc: -100,
			rm: 'Missing sender, your region requires Sender ID to send out messages.',
		});
		expect(withSender.data).toEqual({ rc: 100, rm: 'OK', ref_id: '145737475' });
	});

	it.each([
		['a mobile sent as a number', { mobile: 912345678 }, 'Invalid mobile'],
		['a country code with +', { country_code: '+852' }, 'Invalid country_code'],
		['a missing content', { content: undefined }, 'Missing content'],
		['an empty sender', { sender: '' }, 'Invalid sender'],
		[
			'a non-boolean OFCA flag',
			{ send_also_ofca_registers: 'yes' },
			'Invalid send_also_ofca_registers',
		],
	])('refuses %s', async (_case, change, message) => {
		const response = await api.post('/v1/sms/send', { ...HONG_KONG_SMS, ...change });

		expect(response.status).toBe(200);
		expect(response.data).toEqual({ rc: -100, rm: message });
		expect(sandbox.state.points).toBe(10000);
	});

	it.each([
		['a JSON array', JSON.stringify([HONG_KONG_SMS])],
		['malformed JSON', '{"country_code":'],
	])('refuses a body that is %s', async (_case, body) => {
		const response = await api.post('/v1/sms/send', body, {
			headers: { 'content-type': 'application/json' },
		});

		expect(response.status).toBe(200);
		expect(response.data).toEqual({ rc: -100, rm: 'Request body must be a JSON object' });
	});
});

describe('POST /v1/mms/send', () => {
	const mms = { country_code: '852', mobile: '91234567', subject: 'Offer' };

	it('accepts form A and form B at three points each', async () => {
		const formA = await api.post('/v1/mms/send', {
			...mms,
			image_url: 'https://example.com/photo.jpg',
			text: 'Hi',
		});
		const formB = await api.post('/v1/mms/send', { ...mms, boundary: BOUNDARY, smil: SMIL });

		expect(formA.data).toEqual({ rc: 100, rm: 'OK', ref_id: '145737475' });
		expect(formB.data).toEqual({ rc: 100, rm: 'OK', ref_id: '145737476' });
		expect(sandbox.state.points).toBe(9994);
	});

	it.each([
		[
			'an image URL that is not http',
			{ image_url: 'ftp://example.com/a.jpg', text: 'Hi' },
			'Invalid image_url',
		],
		['form A without text', { image_url: 'https://example.com/a.jpg' }, 'Missing text'],
		[
			'both forms at once',
			{ image_url: 'https://example.com/a.jpg', text: 'Hi', boundary: BOUNDARY, smil: SMIL },
			'Send either image_url with text, or boundary with smil, not both',
		],
		[
			'a smil without its closing boundary',
			{ boundary: BOUNDARY, smil: `${BOUNDARY}\r\n<smil></smil>` },
			'Invalid smil: each part must open with the boundary line, and the document end with it',
		],
	])('refuses %s', async (_case, content, message) => {
		const response = await api.post('/v1/mms/send', { ...mms, ...content });

		expect(response.data).toEqual({ rc: -100, rm: message });
	});

	it('refuses a send it cannot pay for', async () => {
		const poor = await startSandbox({ points: 3 });
		try {
			const poorApi = client(poor);
			const sms = await poorApi.post('/v1/sms/send', HONG_KONG_SMS);
			const refused = await poorApi.post('/v1/mms/send', {
				...mms,
				image_url: 'http://a.io/b.png',
				text: 'x',
			});

			expect(sms.data.rc).toBe(100);
			expect(refused.data).toEqual({ rc: -100, rm: 'Insufficient points' });
			expect(poor.state.points).toBe(2);
		} finally {
			await poor.close();
		}
	});
});

describe('POST /v1/edm/send', () => {
	const edm = {
		campaign_id: CAMPAIGN_ID,
		email: 'ann@example.com',
		params: [{ name: 'Ann' }, { score: '78' }],
		send_also_unsubscribed_users: 0,
	};

	it('accepts a send and draws one quota, no points', async () => {
		const response = await api.post('/v1/edm/send', edm);

		expect(response.data).toEqual({ rc: 100, rm: 'OK', ref_id: '145737475' });
		expect(sandbox.state).toMatchObject({ points: 10000, quota: 4999 });
	});

	it.each([
		['a short campaign ID', { campaign_id: 'abc123' }, 'Invalid campaign_id'],
		['a malformed address', { email: 'ann.example.com' }, 'Invalid email'],
		['a param with two keys', { params: [{ name: 'Ann', score: '78' }] }, 'Invalid params'],
		[
			'a boolean unsubscribed flag',
			{ send_also_unsubscribed_users: true },
			'Invalid send_also_unsubscribed_users',
		],
	])('refuses %s', async (_case, change, message) => {
		const response = await api.post('/v1/edm/send', { ...edm, ...change });

		expect(response.data).toEqual({ rc: -100, rm: message });
	});

	it('refuses a send beyond the quota', async () => {
		const small = await startSandbox({ quota: 1 });
		try {
			const smallApi = client(small);
			await smallApi.post('/v1/edm/send', edm);
			const refused = await smallApi.post('/v1/edm/send', edm);

			expect(refused.data).toEqual({ rc: -100, rm: 'Insufficient quota' });
			expect(small.state.quota).toBe(0);
		} finally {
			await small.close();
		}
	});
});

describe('balances', () => {
	it('reports points and quota as strings after sends', async () => {
		await api.post('/v1/sms/send', HONG_KONG_SMS);
		await api.post('/v1/edm/send', { campaign_id: CAMPAIGN_ID, email: 'ann@example.com' });

		const points = await api.get('/v1/acct/get-points-balance');
		const quota = await api.get('/v1/acct/get-quota-balance');

		expect(points.data).toEqual({ rc: 100, rm: 'OK', points: '9999' });
		expect(quota.data).toEqual({
			rc: 100,
			rm: 'Remaining quota for sending emails',
			quota: '4999',
		});
	});
});

describe('usage reports', () => {
	function report(channel: 'sms' | 'mms', dateFrom: string, dateTo: string) {
		return api.get(`/v1/${channel}/get-usage-report`, {
			params: { date_from: dateFrom, date_to: dateTo },
		});
	}

	it('counts sends on both end dates by their Hong Kong date', async () => {
		const sent = (channel: 'sms' | 'mms', sentAt: string, pointsUsed: number) => ({
			channel,
			refId: '1',
			sentAt,
			pointsUsed,
			quotaUsed: 0,
		});
		sandbox.state.sends.push(
			sent('sms', '2023-12-31T15:59:59.000Z', 1),
			sent('sms', '2023-12-31T16:00:00.000Z', 1),
			sent('sms', '2024-01-31T15:59:59.000Z', 1),
			sent('sms', '2024-01-31T16:00:00.000Z', 1),
			sent('mms', '2024-01-15T04:00:00.000Z', 3),
		);

		const january = await report('sms', '2024-01-01', '2024-01-31');
		const firstOfFebruary = await report('sms', '2024-02-01', '2024-02-01');
		const mmsJanuary = await report('mms', '2024-01-01', '2024-01-31');

		expect(january.data).toEqual({
			rc: 100,
			rm: 'OK',
			date_from: '2024-01-01',
			date_to: '2024-01-31',
			sms_count: '2',
			points_used: '2',
		});
		expect(firstOfFebruary.data).toMatchObject({ sms_count: '1', points_used: '1' });
		expect(mmsJanuary.data).toMatchObject({ sms_count: '1', points_used: '3' });
	});

	it('counts a send made today', async () => {
		await api.post('/v1/sms/send', HONG_KONG_SMS);
		const today = hongKongToday();

		const response = await report('sms', today, today);

		expect(response.data).toMatchObject({ rc: 100, sms_count: '1', points_used: '1' });
	});

	it.each([
		['2024-02-30', '2024-03-01', 'Invalid date_from'],
		['2024-03-01', '', 'Missing date_to'],
		['2024-03-02', '2024-03-01', 'Invalid date_to: it is earlier than date_from'],
	])('refuses date_from %s with date_to "%s"', async (dateFrom, dateTo, message) => {
		const response = await report('sms', dateFrom, dateTo);

		expect(response.data).toEqual({ rc: -100, rm: message });
	});
});

describe('ref_id', () => {
	it('increases across channels, skips refused sends and restarts on reset', async () => {
		const first = await api.post('/v1/sms/send', HONG_KONG_SMS);
		await api.post('/v1/sms/send', { ...HONG_KONG_SMS, mobile: 912345678 });
		const second = await api.post('/v1/edm/send', { campaign_id: CAMPAIGN_ID, email: 'a@b.co' });
		sandbox.reset();
		const afterReset = await api.post('/v1/sms/send', HONG_KONG_SMS);

		expect(first.data.ref_id).toBe('145737475');
		expect(second.data.ref_id).toBe('145737476');
		expect(afterReset.data.ref_id).toBe('145737475');
	});
});

describe('recording', () => {
	it('records method, path, query, headers and body in arrival order', async () => {
		await api.post('/v1/sms/send?trace=on', HONG_KONG_SMS, { headers: { 'X-Trace-Id': 'abc' } });
		await api.get('/v1/sms/get-usage-report', {
			params: { date_from: '2024-01-01', date_to: '2024-01-31' },
		});

		const [send, usage] = sandbox.requests;
		expect(sandbox.requests).toHaveLength(2);
		expect(send).toMatchObject({
			method: 'POST',
			path: '/v1/sms/send',
			query: { trace: 'on' },
			body: HONG_KONG_SMS,
		});
		expect(send?.headers).toMatchObject({
			'x-api-key': DEFAULT_SANDBOX_API_KEY,
			'x-trace-id': 'abc',
			'content-type': 'application/json',
		});
		expect(Number.isNaN(Date.parse(send?.receivedAt ?? ''))).toBe(false);
		expect(usage).toMatchObject({
			method: 'GET',
			path: '/v1/sms/get-usage-report',
			query: { date_from: '2024-01-01', date_to: '2024-01-31' },
			body: undefined,
		});
	});

	it('records requests refused for their key or their body', async () => {
		await client(sandbox, 'wrong').post('/v1/edm/send', { email: 'x' });
		await api.post('/v1/sms/send', 'not json', { headers: { 'content-type': 'text/plain' } });

		expect(sandbox.requests.map(({ path, body }) => ({ path, body }))).toEqual([
			{ path: '/v1/edm/send', body: { email: 'x' } },
			{ path: '/v1/sms/send', body: undefined },
		]);
	});
});

describe('control routes', () => {
	it('serve requests and state without a key, unrecorded, and reset both', async () => {
		const control = client(sandbox, null);
		await api.post('/v1/sms/send', HONG_KONG_SMS);

		const requests = await control.get('/__sandbox/requests');
		const state = await control.get('/__sandbox/state');
		const reset = await control.post('/__sandbox/reset');
		const afterReset = await control.get('/__sandbox/state');

		expect(requests.data).toEqual([
			expect.objectContaining({ path: '/v1/sms/send', body: HONG_KONG_SMS }),
		]);
		expect(state.data).toMatchObject({
			points: 9999,
			quota: 5000,
			sends: [{ refId: '145737475' }],
		});
		expect(reset.status).toBe(204);
		expect(afterReset.data).toEqual({ points: 10000, quota: 5000, sends: [] });
		expect(sandbox.requests).toHaveLength(0);
	});
});
