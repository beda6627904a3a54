import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios, { type AxiosInstance } from 'axios';

import type { CallbackOptions, Outcome } from '../sandbox/callbacks';
import { startSandbox, type Sandbox } from '../sandbox/server';

interface Arrival {
	method: string;
	/** Path and query string. */
	url: string;
	contentType: string | undefined;
	body: string;
	at: number;
}

interface Receiver {
	url: string;
	arrivals: Arrival[];
	/** The HTTP status to answer with. */
	status: number;
	close: () => Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const arrivals: Arrival[] = [];
	const receiver = { arrivals, status: 200 };
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			arrivals.push({
				method: request.method ?? '',
				url: request.url ?? '',
				contentType: request.headers['content-type'],
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			});
			response.writeHead(receiver.status).end();
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return Object.assign(receiver, {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	});
}

const SMS = { country_code: '852', mobile: '91234567', content: 'Hello' };
const MMS = {
	country_code: '852',
	mobile: '61234567',
	subject: 'Offer',
	image_url: 'https://example.com/a.jpg',
	text: 'Hi',
};
const EDM = { campaign_id: '65a1f0c2b3d4e5f6a7b8c9d0', email: 'ann@example.com' };
const FIRST_REF_ID = '145737475';

const accepted = { rc: 100, rm: 'OK', ref_id: FIRST_REF_ID, status: 'ACCEPTED' };
const delivered = { rc: 100, rm: 'OK', ref_id: FIRST_REF_ID, status: 'DELIVERED' };

let sandbox: Sandbox;
let receiver: Receiver;
let api: AxiosInstance;

function useCallbacks(options: CallbackOptions = {}): void {
	sandbox.setCallbacks({ url: `${receiver.url}/hook`, delayMs: 0, ...options });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	receiver = await startReceiver();
	sandbox = await startSandbox();
	api = axios.create({ baseURL: sandbox.url, headers: { 'x-api-key': sandbox.apiKey } });
});

afterAll(async () => {
	await sandbox.close();
	await receiver.close();
});

beforeEach(() => {
	sandbox.reset();
	receiver.arrivals.length = 0;
	receiver.status = 200;
});

describe('delivery callbacks', () => {
	it('posts a send request report, then a delivery report, as JSON', async () => {
		useCallbacks();

		const send = await api.post('/v1/sms/send', SMS);
		const records = await sandbox.waitForCallbacks(2);

		expect(send.data).toEqual({ rc: 100, rm: 'OK', ref_id: FIRST_REF_ID });
		expect(
			receiver.arrivals.map(({ method, url, contentType, body }) => ({
				method,
				url,
				contentType,
				payload: JSON.parse(body) as unknown,
			})),
		).toEqual([
			{ method: 'POST', url: '/hook', contentType: 'application/json', payload: accepted },
			{ method: 'POST', url: '/hook', contentType: 'application/json', payload: delivered },
		]);
		expect(records).toEqual([
			{
				url: `${receiver.url}/hook`,
				method: 'POST',
				style: 'json',
				payload: accepted,
				channel: 'sms',
				refId: FIRST_REF_ID,
				report: 'send_request',
				status: 200,
				sentAt: expect.any(String),
			},
			expect.objectContaining({ payload: delivered, report: 'delivery', status: 200 }),
		]);
	});

	it('posts a form body for style form', async () => {
		useCallbacks({ style: 'form' });

		await api.post('/v1/edm/send', EDM);
		await sandbox.waitForCallbacks(2);

		expect(receiver.arrivals.map(({ contentType, body }) => ({ contentType, body }))).toEqual([
			{
				contentType: 'application/x-www-form-urlencoded',
				body: `rc=100&rm=OK&ref_id=${FIRST_REF_ID}&status=ACCEPTED`,
			},
			{
				contentType: 'application/x-www-form-urlencoded',
				body: `rc=100&rm=OK&ref_id=${FIRST_REF_ID}&status=DELIVERED`,
			},
		]);
	});

	it('sends a GET with a query string for style get, keeping the query the URL has', async () => {
		sandbox.setCallbacks({ url: `${receiver.url}/hook?token=t1`, delayMs: 0, style: 'get' });

		await api.post('/v1/mms/send', MMS);
		const records = await sandbox.waitForCallbacks(2);

		const query = `token=t1&rc=100&rm=OK&ref_id=${FIRST_REF_ID}`;
		expect(receiver.arrivals.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
			{ method: 'GET', url: `/hook?${query}&status=ACCEPTED`, body: '' },
			{ method: 'GET', url: `/hook?${query}&status=DELIVERED`, body: '' },
		]);
		expect(records[0]).toMatchObject({
			url: `${receiver.url}/hook?${query}&status=ACCEPTED`,
			method: 'GET',
			style: 'get',
			channel: 'mms',
		});
	});

	it('uses the channel URL over the default one', async () => {
		useCallbacks({ urls: { edm: `${receiver.url}/edm` } });

		await api.post('/v1/sms/send', SMS);
		await api.post('/v1/edm/send', EDM);
		await sandbox.waitForCallbacks(4);

		expect(receiver.arrivals.map(({ url }) => url).sort()).toEqual([
			'/edm',
			'/edm',
			'/hook',
			'/hook',
		]);
		expect(sandbox.callbacks.filter(({ channel }) => channel === 'edm')).toEqual([
			expect.objectContaining({ url: `${receiver.url}/edm` }),
			expect.objectContaining({ url: `${receiver.url}/edm` }),
		]);
	});

	it.each([
		['sms', 'undelivered', 'Not delivered: handset unreachable', 'UNDELIVERED'],
		['mms', 'undelivered', 'Not delivered: handset unreachable', 'UNDELIVERED'],
		['edm', 'undelivered', 'Not delivered: mailbox unavailable', 'BOUNCED'],
	] as const)('reports %s %s after accepting it', async (channel, outcome, rm, status) => {
		useCallbacks({ outcome });

		await api.post(`/v1/${channel}/send`, { sms: SMS, mms: MMS, edm: EDM }[channel]);
		await sandbox.waitForCallbacks(2);

		expect(sandbox.callbacks.map(({ payload }) => payload)).toEqual([
			accepted,
			{ rc: -100, rm, ref_id: FIRST_REF_ID, status },
		]);
		expect(sandbox.state.sends).toHaveLength(1);
	});

	it.each([
		['sms', 'rejected:insufficient', 'Insufficient points'],
		['edm', 'rejected:insufficient', 'Insufficient quota'],
		['mms', 'rejected:invalid', 'Invalid mobile number'],
		['edm', 'rejected:invalid', 'Invalid email address'],
		['sms', 'rejected:dnc', 'Number is on a do-not-call register'],
		['edm', 'rejected:unsend', 'Address is on the unsend list'],
	] as const)(
		'rejects %s with %s: ref_id, one report, nothing drawn',
		async (channel, outcome, rm) => {
			useCallbacks({ outcome });

			const send = await api.post(`/v1/${channel}/send`, { sms: SMS, mms: MMS, edm: EDM }[channel]);
			await sandbox.waitForCallbacks(1);
			await delay(50);

			expect(send.data).toEqual({ rc: 100, rm: 'OK', ref_id: FIRST_REF_ID });
			expect(sandbox.callbacks.map(({ payload }) => payload)).toEqual([
				{ rc: -100, rm, ref_id: FIRST_REF_ID, status: 'REJECTED' },
			]);
			expect(sandbox.state).toEqual({ points: 10000, quota: 5000, sends: [] });
		},
	);

	it('picks the outcome by the recipient as sent, else the default', async () => {
		const outcomesByRecipient: Record<string, Outcome> = {
			[SMS.mobile]: 'rejected:dnc',
			[EDM.email]: 'undelivered',
		};
		useCallbacks({ outcomesByRecipient });

		await api.post('/v1/sms/send', SMS);
		await api.post('/v1/edm/send', EDM);
		await api.post('/v1/mms/send', MMS);
		await sandbox.waitForCallbacks(5);

		const statuses = Object.fromEntries(
			['sms', 'edm', 'mms'].map((channel) => [
				channel,
				sandbox.callbacks
					.filter((record) => record.channel === channel)
					.map((r) => r.payload.status),
			]),
		);
		expect(statuses).toEqual({
			sms: ['REJECTED'],
			edm: ['ACCEPTED', 'BOUNCED'],
			mms: ['ACCEPTED', 'DELIVERED'],
		});
	});

	it('repeats each report, the first report always before the second', async () => {
		useCallbacks({ repeat: 2 });

		await api.post('/v1/sms/send', SMS);
		await sandbox.waitForCallbacks(4);

		expect(sandbox.callbacks.map(({ report }) => report)).toEqual([
			'send_request',
			'send_request',
			'delivery',
			'delivery',
		]);
		expect(receiver.arrivals).toHaveLength(4);
	});

	it('answers the send at once and waits delayMs before each report', async () => {
		useCallbacks({ delayMs: 150 });

		const started = Date.now();
		await api.post('/v1/sms/send', SMS);
		const answered = Date.now();
		await sandbox.waitForCallbacks(2);

		const [first, second] = receiver.arrivals;
		expect(answered - started).toBeLessThan(150);
		expect(receiver.arrivals).toHaveLength(2);
		expect((first?.at ?? 0) - started).toBeGreaterThanOrEqual(140);
		expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(140);
	});

	it('cancels pending reports on reset', async () => {
		useCallbacks({ delayMs: 100 });

		await api.post('/v1/sms/send', SMS);
		const waiting = expect(sandbox.waitForCallbacks(1)).rejects.toThrow('The sandbox was reset');
		sandbox.reset();
		await delay(300);

		await waiting;
		expect(receiver.arrivals).toEqual([]);
		expect(sandbox.callbacks).toEqual([]);
	});

	it('records a receiver that fails or cannot be reached, and keeps serving', async () => {
		const closed = await startReceiver();
		await closed.close();
		receiver.status = 500;
		useCallbacks({ urls: { sms: closed.url } });

		await api.post('/v1/sms/send', SMS);
		await api.post('/v1/edm/send', EDM);
		await sandbox.waitForCallbacks(4);
		const balance = await api.get('/v1/acct/get-points-balance');

		expect(sandbox.callbacks.filter(({ channel }) => channel === 'sms')).toEqual([
			expect.objectContaining({
				status: undefined,
				error: expect.stringContaining('ECONNREFUSED'),
			}),
			expect.objectContaining({
				status: undefined,
				error: expect.stringContaining('ECONNREFUSED'),
			}),
		]);
		expect(sandbox.callbacks.filter(({ channel }) => channel === 'edm')).toEqual([
			expect.objectContaining({ status: 500 }),
			expect.objectContaining({ status: 500 }),
		]);
		expect(balance.data.points).toBe('9999');
	});

	it('makes no callbacks without a URL, nor for a send the API refuses', async () => {
		sandbox.setCallbacks({ delayMs: 0 });
		await api.post('/v1/sms/send', SMS);
		useCallbacks();
		await api.post('/v1/sms/send', { ...SMS, mobile: 'not-a-number' });
		await delay(50);

		expect(sandbox.callbacks).toEqual([]);
		await expect(sandbox.waitForCallbacks(1, 20)).rejects.toThrow(
			'Expected 1 callbacks within 20 ms, 0 came',
		);
	});
});

describe('callback configuration', () => {
	it('takes options from startSandbox and cancels pending reports on close', async () => {
		const other = await startSandbox({ callbacks: { url: receiver.url, delayMs: 100 } });
		await axios.post(`${other.url}/v1/sms/send`, SMS, { headers: { 'x-api-key': other.apiKey } });
		await other.close();
		await delay(250);

		expect(receiver.arrivals).toEqual([]);
		expect(other.callbacks).toEqual([]);
	});

	it('sets options and lists attempts over control routes', async () => {
		const control = axios.create({
			baseURL: `${sandbox.url}/__sandbox`,
			validateStatus: () => true,
		});

		const put = await control.put('/callbacks', { url: receiver.url, delayMs: 0, style: 'form' });
		await api.post('/v1/sms/send', SMS);
		await sandbox.waitForCallbacks(2);
		const listed = await control.get('/callbacks');

		expect(put.status).toBe(204);
		expect(listed.data).toEqual([
			expect.objectContaining({ style: 'form', report: 'send_request', payload: accepted }),
			expect.objectContaining({ style: 'form', report: 'delivery', payload: delivered }),
		]);
	});

	it.each([
		[{ url: 'ftp://example.com' }, 'url must be an http(s) URL'],
		[{ delay: 5 }, 'Unknown callback option "delay"'],
		[{ outcome: 'lost' }, 'outcome must be one of'],
		[{ repeat: 0 }, 'repeat must be a whole number of at least 1'],
	])('refuses %j', async (body, message) => {
		const response = await axios.put(`${sandbox.url}/__sandbox/callbacks`, body, {
			validateStatus: () => true,
		});

		expect(response.status).toBe(400);
		expect(response.data.rm).toContain(message);
		expect(() => sandbox.setCallbacks(body as CallbackOptions)).toThrow(message);
	});
});
