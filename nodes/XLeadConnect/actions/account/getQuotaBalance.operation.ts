import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withFigures } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const response = await xLeadApiRequest.call(
		this,
		{ method: 'GET', path: '/v1/acct/get-quota-balance' },
		itemIndex,
	);

	return withFigures.call(this, response, ['quota'], itemIndex);
}
