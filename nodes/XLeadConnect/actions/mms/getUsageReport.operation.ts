import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { usageReportFields } from '../shared/descriptions';
import { getUsageReport } from '../shared/usageReport';

export const description: INodeProperties[] = usageReportFields('mms');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await getUsageReport.call(this, 'mms', itemIndex);
}
