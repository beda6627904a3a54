import axios from 'axios';

import type { WebhookHarness } from '../harness/webhook';
import { startWebhook, WEBHOOK_ID } from '../harness/webhook';

const SECRET = 'cb-secret-3f9d2a7e61';

const http = axios.create({ validateStatus: () => true });

const accepted = { rc: 100, rm: 'OK', ref_id: '145737475', status: 'ACCEPTED' };
const delivered = { rc: 100, rm: 'OK', ref_id: '145737475', status: 'DELIVERED' };
const undelivered = {
	rc: -100,
	rm: 'Not delivered: handset unreachable',
	ref_id: '145737476',
	status: 'UNDELIVERED',
};
const rejected = {
	rc: -100,
	rm: 'Number is on a do-not-call register',
	ref_id: '145737477',
	status: 'REJECTED',
};

let hook: WebhookHarness | undefined;
afterEach(async () => {
	await hook?.close();
	hook = undefined;
});

async function start(parameters: Record<string, unknown> = {}) {
	hook = await startWebhook({ secret: SECRET, ...parameters });
	return hook;
}

const at = (harness: WebhookHarness, query: string) => `${harness.url}?${query}`;

describe('accepting callbacks', () => {
	it('starts the workflow for a JSON POST and outputs the fields unchanged plus what it can tell', async () => {
		const harness = await start();
		const response = await http.post(at(harness, `secret=${SECRET}&channel=sms`), delivered);

		expect(response.status).toBe(200);
		expect(response.data).toBe('OK');
		expect(harness.executions()).toHaveLength(1);
		const [[item]] = harness.executions();
		expect(item.json).toEqual({
			rc: 100,
			rm: 'OK',
			ref_id: '145737475',
			status: 'DELIVERED',
			channel: 'sms',
			report: 'delivery',
			outcome: 'success',
			received_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		});
		expect(Date.now() - Date.parse(String(item.json.received_at))).toBeLessThan(10_000);
	});

	it('reads a form-encoded POST', async () => {
		const harness = await start();
		await http.post(
			at(harness, `secret=${SECRET}`),
			new URLSearchParams({
				rc: '-100',
				rm: rejected.rm,
				ref_id: rejected.ref_id,
				status: 'REJECTED',
			}),
		);

		const [[item]] = harness.executions();
		expect(item.json).toMatchObject({
			rc: '-100',
			rm: 'Number is on a do-not-call register',
			ref_id: '145737477',
			status: 'REJECTED',
			channel: 'unknown',
			report: 'send_request',
			outcome: 'failure',
		});
		expect(item.json).not.toHaveProperty('secret');
	});

	it('reads a GET query string, leaving the secret and channel out of the payload', async () => {
		const harness = await start();
		const query = new URLSearchParams({ secret: SECRET, channel: 'edm', ...stringify(accepted) });
		const response = await http.get(at(harness, query.toString()));

		expect(response.status).toBe(200);
		const [[item]] = harness.executions();
		expect(item.json).toEqual({
			rc: '100',
			rm: 'OK',
			ref_id: '145737475',
			status: 'ACCEPTED',
			channel: 'edm',
			report: 'send_request',
			outcome: 'success',
			received_at: expect.any(String),
		});
	});

	it('takes the secret from the X-XLead-Secret header as well', async () => {
		const harness = await start();
		const response = await http.post(harness.url, delivered, {
			headers: { 'X-XLead-Secret': SECRET },
		});

		expect(response.status).toBe(200);
		expect(harness.executions()).toHaveLength(1);
	});

	it('passes an unknown status through and never calls it a success', async () => {
		const harness = await start({ onlyFailures: true });
		await http.post(at(harness, `secret=${SECRET}`), {
			rc: 100,
			ref_id: '9',
			status: 'QUEUED_AT_SMSC',
		});

		const [[item]] = harness.executions();
		expect(item.json).toMatchObject({
			status: 'QUEUED_AT_SMSC',
			report: 'unknown',
			outcome: 'unknown',
		});
	});
});

describe('refusing callbacks without the secret', () => {
	it.each([
		['no secret', ''],
		['a wrong secret', 'secret=guess'],
		['the secret with a different length', `secret=${SECRET}x`],
		['an empty secret', 'secret='],
	])('answers 401 to %s, starts nothing and reveals nothing', async (_case, query) => {
		const harness = await start();
		const response = await http.post(at(harness, query), delivered);

		expect(response.status).toBe(401);
		expect(response.data).toEqual({ message: 'Unauthorized' });
		expect(JSON.stringify(response.data)).not.toContain(SECRET);
		expect(harness.executions()).toHaveLength(0);
	});

	it('refuses everything when the node has no secret set', async () => {
		const harness = await start({ secret: '' });
		const response = await http.post(at(harness, 'secret='), delivered);

		expect(response.status).toBe(401);
		expect(harness.executions()).toHaveLength(0);
	});
});

describe('filters', () => {
	const callbacks = [
		['sms', accepted],
		['sms', delivered],
		['mms', undelivered],
		['edm', rejected],
		['', { ...delivered, ref_id: '7' }],
	] as const;

	async function deliverAll(parameters: Record<string, unknown>) {
		const harness = await start(parameters);
		for (const [channel, payload] of callbacks) {
			const response = await http.post(
				at(harness, `secret=${SECRET}${channel ? `&channel=${channel}` : ''}`),
				payload,
			);
			expect(response.status).toBe(200);
		}
		return harness.executions().map(([item]) => [item.json.channel, item.json.status]);
	}

	it('starts only for the chosen channels', async () => {
		expect(await deliverAll({ channels: ['mms', 'edm'] })).toEqual([
			['mms', 'UNDELIVERED'],
			['edm', 'REJECTED'],
		]);
	});

	it('starts only for send-request reports', async () => {
		expect(await deliverAll({ reports: 'sendRequest' })).toEqual([
			['sms', 'ACCEPTED'],
			['edm', 'REJECTED'],
		]);
	});

	it('starts only for delivery reports', async () => {
		expect(await deliverAll({ reports: 'delivery' })).toEqual([
			['sms', 'DELIVERED'],
			['mms', 'UNDELIVERED'],
			['unknown', 'DELIVERED'],
		]);
	});

	it('starts only for failures', async () => {
		expect(await deliverAll({ onlyFailures: true })).toEqual([
			['mms', 'UNDELIVERED'],
			['edm', 'REJECTED'],
		]);
	});

	it('counts an rc other than 100 as a failure even when the status reads as success', async () => {
		const harness = await start({ onlyFailures: true });
		await http.post(at(harness, `secret=${SECRET}`), { ...delivered, rc: -300 });

		expect(harness.executions()).toHaveLength(1);
		expect(harness.executions()[0][0].json.outcome).toBe('failure');
	});
});

describe('repeated callbacks', () => {
	it('answers a repeat with 200 but starts the workflow once', async () => {
		const harness = await start();
		for (let attempt = 0; attempt < 3; attempt++) {
			const response = await http.post(at(harness, `secret=${SECRET}`), delivered);
			expect(response.status).toBe(200);
			expect(response.data).toBe('OK');
		}
		await http.post(at(harness, `secret=${SECRET}`), accepted);

		expect(harness.executions().map(([item]) => item.json.status)).toEqual([
			'DELIVERED',
			'ACCEPTED',
		]);
	});

	it('starts the workflow for every repeat when skipping is off', async () => {
		const harness = await start({ skipRepeats: false });
		await http.post(at(harness, `secret=${SECRET}`), delivered);
		await http.post(at(harness, `secret=${SECRET}`), delivered);

		expect(harness.executions()).toHaveLength(2);
	});

	it('remembers a bounded number of callbacks', async () => {
		const harness = await start();
		for (let index = 0; index < 1005; index++) {
			await http.post(at(harness, `secret=${SECRET}`), { ...delivered, ref_id: String(index) });
		}

		const state = harness.staticData()['node:X Lead Connect Trigger'] as { seen: string[] };
		expect(state.seen).toHaveLength(1000);
		// The oldest fell out, so a repeat of it starts the workflow again.
		await http.post(at(harness, `secret=${SECRET}`), { ...delivered, ref_id: '0' });
		expect(harness.executions()).toHaveLength(1006);
	});
});

describe('webhook lifecycle', () => {
	it('keeps only local state about the URL to paste', async () => {
		const harness = await start();
		expect(await harness.lifecycle('checkExists')).toBe(false);
		expect(await harness.lifecycle('create')).toBe(true);
		expect(harness.staticData()['node:X Lead Connect Trigger']).toEqual({
			callbackUrl: expect.stringMatching(new RegExp(`/webhook/${WEBHOOK_ID}/callback$`)),
		});
		expect(await harness.lifecycle('checkExists')).toBe(true);
		expect(await harness.lifecycle('delete')).toBe(true);
		expect(await harness.lifecycle('checkExists')).toBe(false);
	});
});

function stringify(payload: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, String(value)]));
}

describe('activation', () => {
	it.each([
		['shorter than 12 characters', 'short-1', 'is shorter than 12 characters'],
		[
			'with an "&" that would cut the URL',
			'abcdef&ghijkl',
			'contains a character that breaks a URL',
		],
		['with a space', 'abcdef ghijkl', 'contains a character that breaks a URL'],
	])('refuses a secret %s, naming the field', async (_case, secret, problem) => {
		const harness = await start({ secret });
		await expect(harness.lifecycle('create')).rejects.toThrow(
			`The field "Callback Secret" ${problem}`,
		);
		expect(await harness.lifecycle('checkExists')).toBe(false);
	});
});

describe('repeats that come before n8n has saved the static data', () => {
	it('are still skipped, by the memory the trigger keeps in the n8n process', async () => {
		const harness = await start();
		await http.post(at(harness, `secret=${SECRET}`), delivered);
		harness.forgetStaticData();
		await http.post(at(harness, `secret=${SECRET}`), delivered);

		expect(harness.executions()).toHaveLength(1);
	});
});
