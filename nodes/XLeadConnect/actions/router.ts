import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../helpers/itemLoop';
import * as account from './account';
import * as edm from './edm';
import * as mms from './mms';
import type { XLeadConnectMap, XLeadResource } from './node.type';
import * as sms from './sms';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: {
	[R in XLeadResource]: { [O in XLeadConnectMap[R]]: { execute: OperationExecute } };
} = {
	sms: { send: sms.send, getUsageReport: sms.getUsageReport },
	mms: { send: mms.send, getUsageReport: mms.getUsageReport },
	edm: { send: edm.send },
	account: {
		getPointsBalance: account.getPointsBalance,
		getQuotaBalance: account.getQuotaBalance,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	const forResource = (operations as Record<string, Record<string, { execute: OperationExecute }>>)[
		resource
	];
	const handler = forResource?.[operation]?.execute;
	if (handler === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for the resource "${resource}"`,
			{ description: 'Open the node and choose the resource and operation again.' },
		);
	}

	return [await runForEachItem.call(this, handler)];
}
