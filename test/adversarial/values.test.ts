/**
 * Odd types from expressions in the action node's fields. Runs in n8n-core against the sandbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import { expectNothingLeaked, runCaptured } from '../matrix/capture';

const sandbox = useSandbox();

const CONTINUE = { onError: 'continueRegularOutput' } as const;
const NOT_A_PHONE = 'The field "Mobile Number" is not a phone number';

const sms = (over: INodeParameters): INodeParameters => ({
	resource: 'sms',
	operation: 'send',
	countryCode: '852',
	mobile: '62418853',
	content: 'Parcel A1 is ready',
	...over,
});
const edm = (value: string): INodeParameters => ({
	resource: 'edm',
	operation: 'send',
	campaignId: '65a1b2c3d4e5f60718293a4b',
	email: 'chan.tai.man@example.org',
	mergeFields: { field: [{ name: 'name', value }] },
});

function sentBodies(): IDataObject[] {
	return sandbox.requests().map((request) => request.body as IDataObject);
}

describe('values that are not text', () => {
	// A mapped object must never reach the customer's email as "[object Object]", nor a date as
	// a JS date dump.
	it.each([
		['an object', '={{ { first: "Tai Man" } }}'],
		['a JS Date', '={{ new Date(Date.UTC(2026, 11, 1)) }}'],
	])('a merge field value that is %s is refused or sent readably', async (_title, value) => {
		const result = await runCaptured({
			parameters: edm(value),
			credentials: sandbox.credentials(),
			settings: CONTINUE,
		});

		const sent = JSON.stringify(sentBodies());
		expect(sent).not.toContain('[object Object]');
		expect(sent).not.toContain('GMT+0000 (Coordinated Universal Time)');
		expect(result.output).toHaveLength(1);
	});

	it('a Sender ID that is an object is refused, not sent as "[object Object]"', async () => {
		const result = await runCaptured({
			parameters: sms({ options: { sender: '={{ { id: "SHOP" } }}' } }),
			credentials: sandbox.credentials(),
			settings: CONTINUE,
		});

		expect(JSON.stringify(sentBodies())).not.toContain('[object Object]');
		expect(result.output).toHaveLength(1);
	});
});

describe('a whole-field date expression', () => {
	// Content "={{ $now }}" (or a JS Date) is sent as its ISO text, without JSON's quote marks.
	it.each([
		['$now', '={{ $now }}'],
		['a JS Date', '={{ new Date(Date.UTC(2026, 11, 1, 9, 30)) }}'],
	])('Content = %s is sent without quote marks', async (_title, content) => {
		await runCaptured({ parameters: sms({ content }), credentials: sandbox.credentials() });

		const [body] = sentBodies();
		expect(String(body.content)).toMatch(/^[^"].*[^"]$/);
	});
});

describe('a mobile number that is a negative or fractional JS number', () => {
	// Removing "-" and "." as separators would turn 62418853.5 into 624188535, another
	// subscriber, so such numbers are refused.
	it.each([
		['62418853.5', '={{ 62418853.5 }}'],
		['-62418853', '={{ -62418853 }}'],
	])('%s is refused as not a phone number and nothing is sent', async (_title, mobile) => {
		const result = await runCaptured({
			parameters: sms({ mobile }),
			credentials: sandbox.credentials(),
			settings: CONTINUE,
		});

		expect(sentBodies()).toEqual([]);
		expect(result.output[0].json.error).toBe(NOT_A_PHONE);
	});
});

describe('held up: odd but meaningful values', () => {
	it.each([
		['a one-element array', '={{ ["62418853"] }}', '852', '62418853'],
		['a number in exponent form', '={{ 6.2418853e7 }}', '852', '62418853'],
		['an 11-digit number with an empty Country Code', '={{ 85262418853 }}', '', '62418853'],
	])('a mobile number given as %s is sent as its digits', async (_t, mobile, code, national) => {
		const result = await runCaptured({
			parameters: sms({ mobile, countryCode: code }),
			credentials: sandbox.credentials(),
		});

		expect(result.error).toBeUndefined();
		expect(sentBodies()).toEqual([
			expect.objectContaining({ country_code: '852', mobile: national }),
		]);
		expect(typeof result.output[0].json.mobile).toBe('string');
	});

	it.each([
		['full-width digits', '６２４１８８５３'],
		['a zero-width space inside', '6241\u200b8853'],
		['a "+" in the middle', '852+62418853'],
		['NaN', '={{ NaN }}'],
		['1e21', '={{ 1e21 }}'],
		['true', '={{ true }}'],
		['two numbers in an array', '={{ ["62418853", "62418854"] }}'],
	])(
		'a mobile number with %s is refused, naming the field, sending nothing',
		async (_t, mobile) => {
			const result = await runCaptured({
				parameters: sms({ mobile }),
				items: [{}, {}],
				credentials: sandbox.credentials(),
				settings: CONTINUE,
			});

			expect(sentBodies()).toEqual([]);
			expect(result.output.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[NOT_A_PHONE, { item: 0 }],
				[NOT_A_PHONE, { item: 1 }],
			]);
			expectNothingLeaked(result, ['62418853', '6241\u200b8853', '６２４１８８５３']);
		},
	);

	it.each([
		['a boolean', '={{ true }}'],
		['an object', '={{ { cc: 852 } }}'],
	])('a Country Code that is %s is refused as not a calling code', async (_t, countryCode) => {
		const result = await runCaptured({
			parameters: sms({ countryCode }),
			credentials: sandbox.credentials(),
			settings: CONTINUE,
		});

		expect(sentBodies()).toEqual([]);
		expect(result.output[0].json.error).toBe(
			'The field "Country Code" is not a country calling code',
		);
	});

	it('emoji, RTL, bidi controls and 200 000 characters of Content arrive unchanged', async () => {
		const content = `👩‍👩‍👧 مرحبا 你好 \u202eabc\u202c ${'x'.repeat(200_000)}`;
		const result = await runCaptured({
			parameters: sms({ content }),
			credentials: sandbox.credentials(),
		});

		expect(result.error).toBeUndefined();
		expect(sentBodies()[0].content).toBe(content);
	});

	it('From Date = $today and To Date = $now are read as calendar dates', async () => {
		const result = await runCaptured({
			parameters: {
				resource: 'sms',
				operation: 'getUsageReport',
				dateFrom: '={{ $today.minus({ days: 1 }) }}',
				dateTo: '={{ $now }}',
			},
			credentials: sandbox.credentials(),
		});

		expect(result.error).toBeUndefined();
		const { date_from, date_to } = sandbox.requests()[0].query;
		expect(date_from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(date_to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(Date.parse(date_to) - Date.parse(date_from)).toBe(24 * 60 * 60 * 1000);
		expect(result.output[0].json).toMatchObject({ sms_count: 0, points_used: 0 });
	});

	it('Also Send to OFCA given as the text "true" by an expression is not taken as consent', async () => {
		await runCaptured({
			parameters: sms({ options: { sendAlsoOfcaRegisters: '={{ "true" }}' } }),
			credentials: sandbox.credentials(),
		});

		expect(sentBodies()[0].send_also_ofca_registers).toBe(false);
	});
});
