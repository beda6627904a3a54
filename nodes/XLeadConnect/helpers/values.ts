import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { XLeadResponse } from '../transport';

/** Reads a text parameter, trimmed; an empty required value is the user's to fix, not the API's. */
export function getText(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	{ required }: { required: boolean },
): string {
	const raw = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text = raw === null || raw === undefined ? '' : String(raw).trim();
	if (required && text === '') {
		throw new NodeOperationError(this.getNode(), `The field "${displayName}" is empty`, {
			itemIndex,
			description: `Enter a value for "${displayName}", or map one from the input data.`,
		});
	}
	return text;
}

/** Usage reports take calendar dates; n8n's date picker gives "2026-12-01T00:00:00". */
export function getDate(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
): string {
	const raw = this.getNodeParameter(name, itemIndex, '') as unknown;
	const asText =
		raw instanceof Date
			? raw.toISOString()
			: typeof raw === 'object' && raw !== null && 'toISO' in raw
				? String((raw as { toISO: () => string }).toISO())
				: String(raw ?? '').trim();
	const match = /^(\d{4}-\d{2}-\d{2})/.exec(asText);
	if (!match) {
		throw new NodeOperationError(this.getNode(), `The field "${displayName}" is not a date`, {
			itemIndex,
			description: `Pick a date for "${displayName}", or map a value such as 2026-12-01.`,
		});
	}
	return match[1];
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
	const figure = typeof value === 'number' ? value : Number(String(value ?? '').trim());
	if (value === undefined || value === null || String(value).trim() === '' || !isFinite(figure)) {
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
