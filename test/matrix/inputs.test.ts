import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import {
	errorItem,
	expectNothingLeaked,
	expectOnePairedOutputPerItem,
	personalValues,
	runCaptured,
} from './capture';

const sandbox = useSandbox();

type Operation = 'sms send' | 'mms send' | 'edm send' | 'sms report' | 'mms report';

interface Template {
	parameters: INodeParameters;
	path: string;
	/** Items 0 and 2 are good; item 1 is this one with the case's bad values over it. */
	items: [IDataObject, IDataObject, IDataObject];
	personal: string[];
	isSend: boolean;
}

const CAMPAIGN = '65a1b2c3d4e5f60718293a4b';

const phoneFields = { countryCode: '={{ $json.countryCode }}', mobile: '={{ $json.mobile }}' };
const mergeFields = {
	field: [
		{ name: '={{ $json.n1 }}', value: '={{ $json.v1 }}' },
		{ name: '={{ $json.n2 }}', value: '={{ $json.v2 }}' },
	],
};
const reportDates = { dateFrom: '={{ $json.dateFrom }}', dateTo: '={{ $json.dateTo }}' };

const mmsItem = (n: number, name: string) => ({
	countryCode: '852',
	mobile: `6241885${n}`,
	subject: `Coupon for ${name}`,
	imageUrl: `https://cdn.example.net/coupon-${n}.jpg`,
	text: `${name}, show this coupon at the counter`,
});
const edmItem = (email: string, v1: string) => ({
	campaignId: CAMPAIGN,
	email,
	n1: 'name',
	v1,
	n2: 'tier',
	v2: 'Gold tier',
});
const report = { dateFrom: '2026-01-01', dateTo: '2026-01-31' };

const TEMPLATES: Record<Operation, Template> = {
	'sms send': {
		parameters: {
			resource: 'sms',
			operation: 'send',
			...phoneFields,
			content: '={{ $json.content }}',
		},
		path: '/v1/sms/send',
		items: [
			{ countryCode: '852', mobile: '62418853', content: 'Parcel A1 is ready at Kowloon Bay' },
			{ countryCode: '852', mobile: '62418854', content: 'Parcel B2 is ready at Kwun Tong' },
			{ countryCode: '852', mobile: '62418855', content: 'Parcel C3 is ready at Sha Tin' },
		],
		personal: ['mobile', 'content'],
		isSend: true,
	},
	'mms send': {
		parameters: {
			resource: 'mms',
			operation: 'send',
			...phoneFields,
			subject: '={{ $json.subject }}',
			imageUrl: '={{ $json.imageUrl }}',
			text: '={{ $json.text }}',
		},
		path: '/v1/mms/send',
		items: [mmsItem(3, 'Ka Ming'), mmsItem(4, 'Siu Wai'), mmsItem(5, 'Hoi Yan')],
		personal: ['mobile', 'subject', 'text'],
		isSend: true,
	},
	'edm send': {
		parameters: {
			resource: 'edm',
			operation: 'send',
			campaignId: '={{ $json.campaignId }}',
			email: '={{ $json.email }}',
			mergeFields,
		},
		path: '/v1/edm/send',
		items: [
			edmItem('chan.tai.man@example.org', 'Tai Man'),
			edmItem('lee.siu.ling@example.org', 'Siu Ling'),
			edmItem('wong.ka.fai@example.org', 'Ka Fai'),
		],
		personal: ['email', 'v1'],
		isSend: true,
	},
	'sms report': {
		parameters: { resource: 'sms', operation: 'getUsageReport', ...reportDates },
		path: '/v1/sms/get-usage-report',
		items: [report, report, report],
		personal: [],
		isSend: false,
	},
	'mms report': {
		parameters: { resource: 'mms', operation: 'getUsageReport', ...reportDates },
		path: '/v1/mms/get-usage-report',
		items: [report, report, report],
		personal: [],
		isSend: false,
	},
};

const NATIONAL_HINT =
	"Write the number as the recipient's country writes it, such as 91234567 or 0912345678, or the full international number, such as +852 9123 4567.";
const CALLING_CODE_HINT =
	'Use the digits of the calling code without "+", such as 852 for Hong Kong or 886 for Taiwan.';
const EMPTY_CODE_HINT =
	'Enter the calling code, such as 852, or write the mobile number with its country code, such as +852 9123 4567.';
const CONFLICT_HINT =
	'Leave "Country Code" empty when the mobile number is written with +, or make the two agree.';
const URL_HINT =
	'Use the public address of the image, starting with https:// (or http://), so that X Lead Connect can download it.';
const EMAIL_HINT =
	'Use a single address such as name@example.com, without a display name or a second address.';
const CAMPAIGN_HINT =
	'Copy the 24-character ID (digits and letters a to f) of the campaign from the X Lead portal.';
const MERGE_HINT =
	'Give every merge field the placeholder name used in the campaign, each name once.';
const enterValue = (field: string) =>
	`Enter a value for "${field}", or map one from the input data.`;
const pickDate = (field: string) => `Pick a date for "${field}", or map one written as 2026-12-01.`;

interface BadInput {
	operation: Operation;
	title: string;
	bad: IDataObject;
	message: string;
	description: string;
	/** Also run with continue-on-fail off: the workflow stops at item 2. */
	alsoStopping?: boolean;
}

const notAPhone = 'The field "Mobile Number" is not a phone number';
const notACallingCode = 'The field "Country Code" is not a country calling code';
const notAnEmail = 'The field "Email" is not an email address';
const notACampaign = 'The field "Campaign ID" is not a campaign ID';
const notAUrl = 'The field "Image URL" is not an http or https address';
const empty = (field: string) => `The field "${field}" is empty`;

const BAD_INPUTS: BadInput[] = [
	{
		operation: 'sms send',
		title: 'a mobile number with letters',
		bad: { mobile: '6241-88AB' },
		message: notAPhone,
		description: NATIONAL_HINT,
		alsoStopping: true,
	},
	{
		operation: 'sms send',
		title: 'an empty mobile number',
		bad: { mobile: '' },
		message: empty('Mobile Number'),
		description: NATIONAL_HINT,
	},
	{
		operation: 'sms send',
		title: 'a mobile number of only spaces',
		bad: { mobile: '  \t ' },
		message: empty('Mobile Number'),
		description: NATIONAL_HINT,
	},
	{
		operation: 'sms send',
		title: 'a mobile number too short to be one (5 digits)',
		bad: { mobile: '62418' },
		message: notAPhone,
		description: NATIONAL_HINT,
	},
	{
		operation: 'sms send',
		title: 'a mobile number too long to be one (15 digits)',
		bad: { mobile: '624188541234567' },
		message: notAPhone,
		description: NATIONAL_HINT,
	},
	{
		operation: 'sms send',
		title: 'an international mobile number whose code conflicts with Country Code',
		bad: { countryCode: '852', mobile: '+886 6241 8854' },
		message:
			'The field "Mobile Number" starts with a different country code than the field "Country Code"',
		description: CONFLICT_HINT,
		alsoStopping: true,
	},
	{
		operation: 'sms send',
		title: 'an empty Country Code beside a national number',
		bad: { countryCode: '', mobile: '62418854' },
		message: empty('Country Code'),
		description: EMPTY_CODE_HINT,
	},
	{
		operation: 'sms send',
		title: 'a Country Code with letters',
		bad: { countryCode: 'HK' },
		message: notACallingCode,
		description: CALLING_CODE_HINT,
	},
	{
		operation: 'sms send',
		title: 'a Country Code of four digits',
		bad: { countryCode: '8520' },
		message: notACallingCode,
		description: CALLING_CODE_HINT,
	},
	{
		operation: 'sms send',
		title: 'an empty Content',
		bad: { content: '' },
		message: empty('Content'),
		description: enterValue('Content'),
		alsoStopping: true,
	},
	{
		operation: 'sms send',
		title: 'a Content of only whitespace',
		bad: { content: ' \n\t ' },
		message: empty('Content'),
		description: enterValue('Content'),
	},
	{
		operation: 'mms send',
		title: 'a mobile number with letters',
		bad: { mobile: '6241 88 ab' },
		message: notAPhone,
		description: NATIONAL_HINT,
	},
	{
		operation: 'mms send',
		title: 'an international mobile number whose code conflicts with Country Code',
		bad: { countryCode: '886', mobile: '00852 6241 8854' },
		message:
			'The field "Mobile Number" starts with a different country code than the field "Country Code"',
		description: CONFLICT_HINT,
	},
	{
		operation: 'mms send',
		title: 'a Country Code of five digits',
		bad: { countryCode: '85200' },
		message: notACallingCode,
		description: CALLING_CODE_HINT,
	},
	{
		operation: 'mms send',
		title: 'an empty Subject',
		bad: { subject: '' },
		message: empty('Subject'),
		description: enterValue('Subject'),
	},
	{
		operation: 'mms send',
		title: 'a Subject of only whitespace',
		bad: { subject: '   ' },
		message: empty('Subject'),
		description: enterValue('Subject'),
	},
	{
		operation: 'mms send',
		title: 'an empty Text',
		bad: { text: '' },
		message: empty('Text'),
		description: enterValue('Text'),
	},
	{
		operation: 'mms send',
		title: 'a Text of only whitespace',
		bad: { text: '\n\n' },
		message: empty('Text'),
		description: enterValue('Text'),
	},
	{
		operation: 'mms send',
		title: 'an ftp:// Image URL',
		bad: { imageUrl: 'ftp://cdn.example.net/coupon-4.jpg' },
		message: notAUrl,
		description: URL_HINT,
		alsoStopping: true,
	},
	{
		operation: 'mms send',
		title: 'an Image URL that is not a URL',
		bad: { imageUrl: 'not a url' },
		message: notAUrl,
		description: URL_HINT,
	},
	{
		operation: 'mms send',
		title: 'a javascript: Image URL',
		bad: { imageUrl: 'javascript:alert(1)' },
		message: notAUrl,
		description: URL_HINT,
	},
	{
		operation: 'mms send',
		title: 'an empty Image URL',
		bad: { imageUrl: '' },
		message: empty('Image URL'),
		description: enterValue('Image URL'),
	},
	{
		operation: 'edm send',
		title: 'an Email without a domain (ann@)',
		bad: { email: 'ann@' },
		message: notAnEmail,
		description: EMAIL_HINT,
	},
	{
		operation: 'edm send',
		title: 'an Email without @',
		bad: { email: 'ann.example.com' },
		message: notAnEmail,
		description: EMAIL_HINT,
	},
	{
		operation: 'edm send',
		title: 'an Email with a display name',
		bad: { email: 'Ann <ann@example.com>' },
		message: notAnEmail,
		description: EMAIL_HINT,
		alsoStopping: true,
	},
	{
		operation: 'edm send',
		title: 'two Email addresses in one',
		bad: { email: 'a@b.com, c@d.com' },
		message: notAnEmail,
		description: EMAIL_HINT,
	},
	{
		operation: 'edm send',
		title: 'an empty Email',
		bad: { email: '' },
		message: empty('Email'),
		description: enterValue('Email'),
	},
	{
		operation: 'edm send',
		title: 'a Campaign ID of 23 characters',
		bad: { campaignId: CAMPAIGN.slice(0, 23) },
		message: notACampaign,
		description: CAMPAIGN_HINT,
	},
	{
		operation: 'edm send',
		title: 'a Campaign ID of 25 characters',
		bad: { campaignId: `${CAMPAIGN}c` },
		message: notACampaign,
		description: CAMPAIGN_HINT,
	},
	{
		operation: 'edm send',
		title: 'a Campaign ID with a letter past f',
		bad: { campaignId: `${CAMPAIGN.slice(0, 23)}z` },
		message: notACampaign,
		description: CAMPAIGN_HINT,
	},
	{
		operation: 'edm send',
		title: 'an empty Campaign ID',
		bad: { campaignId: '' },
		message: empty('Campaign ID'),
		description: enterValue('Campaign ID'),
	},
	{
		operation: 'edm send',
		title: 'a merge field without a name',
		bad: { n1: '' },
		message: 'The field "Merge Fields" has a field without a name (field 1)',
		description: MERGE_HINT,
	},
	{
		operation: 'edm send',
		title: 'a merge field named twice',
		bad: { n2: 'name' },
		message: 'The field "Merge Fields" names a field twice',
		description: MERGE_HINT,
	},
	{
		operation: 'sms report',
		title: 'a From Date that does not exist (2026-02-30)',
		bad: { dateFrom: '2026-02-30' },
		message: 'The field "From Date" is not a date that exists',
		description: pickDate('From Date'),
		alsoStopping: true,
	},
	{
		operation: 'sms report',
		title: 'a From Date in words (tomorrow)',
		bad: { dateFrom: 'tomorrow' },
		message: 'The field "From Date" is not a date',
		description: pickDate('From Date'),
	},
	{
		operation: 'sms report',
		title: 'a To Date whose day and month could be either way round (03/04/2026)',
		bad: { dateTo: '03/04/2026' },
		message: 'The field "To Date" could be read with the day and month either way round',
		description: pickDate('To Date'),
	},
	{
		operation: 'sms report',
		title: 'an empty From Date',
		bad: { dateFrom: '' },
		message: 'The field "From Date" is empty',
		description: pickDate('From Date'),
	},
	{
		operation: 'mms report',
		title: 'a To Date before the From Date',
		bad: { dateFrom: '2026-03-01', dateTo: '2026-02-28' },
		message: 'The field "To Date" is before "From Date"',
		description:
			'Swap the two dates: "From Date" is the first day of the report and "To Date" the last.',
	},
	{
		operation: 'mms report',
		title: 'a To Date of 31 June',
		bad: { dateTo: '31/06/2026' },
		message: 'The field "To Date" is not a date that exists',
		description: pickDate('To Date'),
	},
];

function caseItems(badInput: BadInput): IDataObject[] {
	const [first, middle, last] = TEMPLATES[badInput.operation].items;
	return [first, { ...middle, ...badInput.bad }, last];
}

function casePersonal(badInput: BadInput): string[] {
	const template = TEMPLATES[badInput.operation];
	return caseItems(badInput).flatMap((item) => personalValues(item, template.personal));
}

/** What the sandbox must have received for a good item: its recipient (or report dates). */
function recipientOf(operation: Operation, item: IDataObject): IDataObject {
	if (operation === 'edm send') return { email: item.email };
	if (operation === 'sms report' || operation === 'mms report') {
		return { date_from: item.dateFrom, date_to: item.dateTo };
	}
	return { country_code: item.countryCode, mobile: item.mobile };
}

const title = (badInput: BadInput) => `${badInput.operation}: ${badInput.title}`;

describe('a bad input in the middle item, with continue-on-fail', () => {
	it.each(BAD_INPUTS.map((badInput) => [title(badInput), badInput] as const))(
		'%s: item 2 becomes an error item naming the field; items 1 and 3 go out once each',
		async (_title, badInput) => {
			const template = TEMPLATES[badInput.operation];
			const items = caseItems(badInput);

			const result = await runCaptured({
				parameters: template.parameters,
				items,
				credentials: sandbox.credentials(),
				settings: { onError: 'continueRegularOutput' },
			});

			expect(result.error).toBeUndefined();
			expectOnePairedOutputPerItem(result.output, 3);
			expect(result.output[1]).toEqual(
				errorItem(1, badInput.message, `Item 2 of 3. ${badInput.description}`),
			);
			for (const index of [0, 2]) {
				expect(result.output[index].json).toMatchObject({
					rc: 100,
					...(template.isSend ? {} : { date_from: '2026-01-01', date_to: '2026-01-31' }),
				});
			}

			const requests = sandbox.requests();
			expect(requests.map((request) => request.path)).toEqual([template.path, template.path]);
			const received = requests.map((request) => (template.isSend ? request.body : request.query));
			expect(received).toEqual([
				expect.objectContaining(recipientOf(badInput.operation, items[0])),
				expect.objectContaining(recipientOf(badInput.operation, items[2])),
			]);
			expect(sandbox.get().state.sends).toHaveLength(template.isSend ? 2 : 0);

			expectNothingLeaked(result, casePersonal(badInput));
		},
	);
});

describe('a bad input in the middle item, without continue-on-fail', () => {
	const stopping = BAD_INPUTS.filter((badInput) => badInput.alsoStopping);

	it.each(stopping.map((badInput) => [title(badInput), badInput] as const))(
		'%s: the workflow stops at item 2 with that error, after item 1 went out once',
		async (_title, badInput) => {
			const template = TEMPLATES[badInput.operation];
			const items = caseItems(badInput);

			const result = await runCaptured({
				parameters: template.parameters,
				items,
				credentials: sandbox.credentials(),
			});

			expect(result.error?.message).toBe(badInput.message);
			expect(result.error?.description).toBe(`Item 2 of 3. ${badInput.description}`);
			expect(result.output).toEqual([]);
			expect(sandbox.requests()).toHaveLength(1);
			expect(sandbox.requests()[0][template.isSend ? 'body' : 'query']).toEqual(
				expect.objectContaining(recipientOf(badInput.operation, items[0])),
			);
			expect(sandbox.get().state.sends).toHaveLength(template.isSend ? 1 : 0);
			// n8n logs the error that stopped the workflow, so the capture below is not empty.
			expect(result.logs).toContain(badInput.message);

			expectNothingLeaked(result, casePersonal(badInput));
		},
	);
});

interface Accepted {
	title: string;
	parameters: INodeParameters;
	items?: IDataObject[];
	/** The whole body (or query) the sandbox must record. */
	received: IDataObject;
	personal: string[];
}

const smsTo = (countryCode: string, mobile: string): INodeParameters => ({
	resource: 'sms',
	operation: 'send',
	countryCode,
	mobile,
	content: 'Your table for two is ready',
});
const smsBody = (country_code: string, mobile: string): IDataObject => ({
	country_code,
	mobile,
	content: 'Your table for two is ready',
	send_also_ofca_registers: false,
});
const reportOn = (date: string): INodeParameters => ({
	resource: 'sms',
	operation: 'getUsageReport',
	dateFrom: date,
	dateTo: date,
});

const ACCEPTED: Accepted[] = [
	{
		title: 'an international mobile with an empty Country Code (+852 9123 4567)',
		parameters: smsTo('', '+852 9123 4567'),
		received: smsBody('852', '91234567'),
		personal: ['+852 9123 4567', '91234567', 'Your table for two is ready'],
	},
	{
		title: '+852 9123 4567 with Country Code mapped from data that is empty',
		parameters: smsTo('={{ $json.countryCode }}', '+852 9123 4567'),
		items: [{ countryCode: '' }],
		received: smsBody('852', '91234567'),
		personal: ['+852 9123 4567', '91234567'],
	},
	{
		title: 'a mobile written with its country code and dashes beside 852 (852-9123-4567)',
		parameters: smsTo('852', '852-9123-4567'),
		received: smsBody('852', '91234567'),
		personal: ['852-9123-4567', '91234567'],
	},
	{
		title: 'a Taiwanese number in brackets and spaces ((09) 1234 5678)',
		parameters: smsTo('886', '(09) 1234 5678'),
		received: smsBody('886', '0912345678'),
		personal: ['(09) 1234 5678', '0912345678'],
	},
	{
		title: 'a Taiwanese number that became a JS number (={{ 912345678 }}), zero restored',
		parameters: smsTo('886', '={{ 912345678 }}'),
		received: smsBody('886', '0912345678'),
		personal: ['0912345678'],
	},
	{
		title: 'an international mobile written with 00 (00852 9123 4567)',
		parameters: smsTo('', '00852 9123 4567'),
		received: smsBody('852', '91234567'),
		personal: ['00852 9123 4567', '91234567'],
	},
	{
		title: 'an international Taiwanese mobile (+886 912 345 678), zero restored',
		parameters: smsTo('', '+886 912 345 678'),
		received: smsBody('886', '0912345678'),
		personal: ['+886 912 345 678', '0912345678'],
	},
	{
		title: '+886 912 345 678 with Country Code mapped from data that is empty',
		parameters: smsTo('={{ $json.countryCode }}', '+886 912 345 678'),
		items: [{ countryCode: '' }],
		received: smsBody('886', '0912345678'),
		personal: ['+886 912 345 678', '0912345678'],
	},
	{
		title: 'a Country Code written with + (+852)',
		parameters: smsTo('+852', '91234567'),
		received: smsBody('852', '91234567'),
		personal: ['91234567'],
	},
	{
		title: 'an MMS to an international mobile with an empty Country Code',
		parameters: {
			resource: 'mms',
			operation: 'send',
			countryCode: '',
			mobile: '+852 9123 4567',
			subject: 'Spring menu',
			imageUrl: 'https://cdn.example.net/menu.png',
			text: 'Our spring menu starts today',
		},
		received: {
			country_code: '852',
			mobile: '91234567',
			subject: 'Spring menu',
			image_url: 'https://cdn.example.net/menu.png',
			text: 'Our spring menu starts today',
			send_also_ofca_registers: false,
		},
		personal: ['91234567', 'Spring menu', 'Our spring menu starts today'],
	},
	{
		title: 'a date written day first when the day is over 12 (31/12/2026)',
		parameters: reportOn('31/12/2026'),
		received: { date_from: '2026-12-31', date_to: '2026-12-31' },
		personal: [],
	},
	{
		title: 'a date written month first when the day is over 12 (12/31/2026)',
		parameters: reportOn('12/31/2026'),
		received: { date_from: '2026-12-31', date_to: '2026-12-31' },
		personal: [],
	},
	{
		title: 'a date with the month in words, day first (1 Dec 2026)',
		parameters: reportOn('1 Dec 2026'),
		received: { date_from: '2026-12-01', date_to: '2026-12-01' },
		personal: [],
	},
	{
		title: 'a date with the month in words, month first (Dec 1, 2026)',
		parameters: reportOn('Dec 1, 2026'),
		received: { date_from: '2026-12-01', date_to: '2026-12-01' },
		personal: [],
	},
	{
		title: 'a date written as digits only (20261201)',
		parameters: reportOn('20261201'),
		received: { date_from: '2026-12-01', date_to: '2026-12-01' },
		personal: [],
	},
];

describe('accepted forms are normalised before they are sent', () => {
	it.each(ACCEPTED.map((accepted) => [accepted.title, accepted] as const))(
		'%s',
		async (_title, accepted) => {
			const result = await runCaptured({
				parameters: accepted.parameters,
				items: accepted.items,
				credentials: sandbox.credentials(),
			});

			expect(result.error).toBeUndefined();
			expect(sandbox.requests()).toHaveLength(1);
			const [request] = sandbox.requests();
			expect(request.method === 'POST' ? request.body : request.query).toEqual(accepted.received);
			expectOnePairedOutputPerItem(result.output, 1);
			expect(result.output[0].json).toMatchObject({ rc: 100 });
			if ('mobile' in accepted.received) {
				expect(result.output[0].json).toMatchObject({
					country_code: accepted.received.country_code,
					mobile: accepted.received.mobile,
				});
			}

			expectNothingLeaked(result, accepted.personal);
		},
	);
});
