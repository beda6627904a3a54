import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { XLeadResponse } from '../transport';
import { parseCalendarDate } from './dates';
import { normalizePhone } from './phone';

/**
 * A user's input that cannot be sent. The message names the field as the editor shows it and
 * never repeats the value: it may be a phone number, an address or a message body.
 */
export function fieldError(
	this: IExecuteFunctions,
	itemIndex: number,
	displayName: string,
	problem: string,
	whatToDo: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `The field "${displayName}" ${problem}`, {
		itemIndex,
		description: whatToDo,
	});
}

/**
 * The text a user meant by a value an expression produced: dates as ISO text, numbers and
 * booleans as written. Anything else (an object, a list) has no one right text, so it is
 * refused rather than sent as "[object Object]".
 */
function textOf(raw: unknown): string | undefined {
	if (raw === null || raw === undefined) return '';
	if (typeof raw === 'string') return raw;
	if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
		return String(raw);
	}
	if (raw instanceof Date) return isNaN(raw.getTime()) ? undefined : raw.toISOString();
	if (typeof raw === 'object' && 'toISO' in raw && typeof raw.toISO === 'function') {
		const iso: unknown = raw.toISO();
		return typeof iso === 'string' ? iso : undefined;
	}
	return undefined;
}

export function requireText(
	this: IExecuteFunctions,
	raw: unknown,
	displayName: string,
	itemIndex: number,
): string {
	const text = textOf(raw);
	if (text === undefined) {
		throw fieldError.call(
			this,
			itemIndex,
			displayName,
			'is not text',
			`Map a single text value into "${displayName}", not an object or a list; pick the field inside it, such as {{ $json.customer.name }}.`,
		);
	}
	return text;
}

/** Reads a text parameter, trimmed; an empty required value is the user's to fix, not the API's. */
export function getText(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	{ required }: { required: boolean },
): string {
	const raw = this.getNodeParameter(name, itemIndex, '');
	const text = requireText.call(this, raw, displayName, itemIndex).trim();
	if (required && text === '') {
		throw fieldError.call(
			this,
			itemIndex,
			displayName,
			'is empty',
			`Enter a value for "${displayName}", or map one from the input data.`,
		);
	}
	return text;
}

export function getPhoneRecipient(
	this: IExecuteFunctions,
	itemIndex: number,
): { country_code: string; mobile: string } {
	const phone = normalizePhone(
		this.getNodeParameter('countryCode', itemIndex, ''),
		this.getNodeParameter('mobile', itemIndex, ''),
	);
	if (!phone.ok) {
		const displayName = phone.field === 'countryCode' ? 'Country Code' : 'Mobile Number';
		throw fieldError.call(this, itemIndex, displayName, phone.problem, phone.hint);
	}
	return { country_code: phone.countryCode, mobile: phone.mobile };
}

export function getEmail(this: IExecuteFunctions, itemIndex: number): string {
	const email = getText.call(this, 'email', 'Email', itemIndex, { required: true });
	if (!/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z0-9-]{2,}$/i.test(email)) {
		throw fieldError.call(
			this,
			itemIndex,
			'Email',
			'is not an email address',
			'Use a single address such as name@example.com, without a display name or a second address.',
		);
	}
	return email;
}

export function getCampaignId(this: IExecuteFunctions, itemIndex: number): string {
	const campaignId = getText.call(this, 'campaignId', 'Campaign ID', itemIndex, { required: true });
	if (!/^[0-9a-f]{24}$/i.test(campaignId)) {
		throw fieldError.call(
			this,
			itemIndex,
			'Campaign ID',
			'is not a campaign ID',
			'Copy the 24-character ID (digits and letters a to f) of the campaign from the X Lead portal.',
		);
	}
	return campaignId;
}

export function getHttpUrl(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
): string {
	const text = getText.call(this, name, displayName, itemIndex, { required: true });
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
		throw fieldError.call(
			this,
			itemIndex,
			displayName,
			'is not an http or https address',
			'Use the public address of the image, starting with https:// (or http://), so that X Lead Connect can download it.',
		);
	}
	return text;
}

export function getDate(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
): string {
	const parsed = parseCalendarDate(this.getNodeParameter(name, itemIndex, ''));
	if (!parsed.ok) {
		throw fieldError.call(
			this,
			itemIndex,
			displayName,
			parsed.problem,
			`Pick a date for "${displayName}", or map one written as 2026-12-01.`,
		);
	}
	return parsed.date;
}

/**
 * The API sends figures as strings ("12320"); workflows compare and add them, so they leave the
 * node as numbers. A figure that is not a number is reported, not turned into NaN.
 */
export function toFigure(
	this: IExecuteFunctions,
	response: XLeadResponse,
	field: string,
	itemIndex: number,
): number {
	const value = response[field];
	const text = (typeof value === 'string' || typeof value === 'number' ? String(value) : '').trim();
	const figure = Number(text);
	if (text === '' || !isFinite(figure)) {
		throw new NodeOperationError(this.getNode(), `X Lead Connect sent no number for "${field}"`, {
			itemIndex,
			description: 'The answer was not in the documented form. Try again later.',
		});
	}
	return figure;
}

export function withFigures(
	this: IExecuteFunctions,
	response: XLeadResponse,
	fields: string[],
	itemIndex: number,
): IDataObject {
	const result: IDataObject = { ...response };
	for (const field of fields) result[field] = toFigure.call(this, response, field, itemIndex);
	return result;
}
