import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toFigure } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';

export const description: INodeProperties[] = [];

const DOCUMENTED_FIELD = 'points';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const response = await xLeadApiRequest.call(
		this,
		{ method: 'GET', path: '/v1/acct/get-points-balance' },
		itemIndex,
	);

	// The reference does not name the balance field. Take `points` when present, else a numeric
	// field named like a balance, else the first numeric field; keep every field as sent.
	const numeric = Object.keys(response).filter(
		(key) =>
			key !== 'rc' &&
			key !== 'rm' &&
			String(response[key]).trim() !== '' &&
			isFinite(Number(response[key])),
	);
	const field =
		DOCUMENTED_FIELD in response
			? DOCUMENTED_FIELD
			: (numeric.find((key) => /point|balance/i.test(key)) ?? numeric[0] ?? DOCUMENTED_FIELD);

	return { ...response, points: toFigure.call(this, response, field, itemIndex) };
}
