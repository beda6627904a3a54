import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account';
import * as edm from './actions/edm';
import * as mms from './actions/mms';
import { router } from './actions/router';
import * as sms from './actions/sms';

export class XLeadConnect implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Lead Connect',
		name: 'xLeadConnect',
		icon: { light: 'file:xLeadConnect.svg', dark: 'file:xLeadConnect.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send SMS, MMS and marketing email (eDM) with X Lead Connect, and check usage and balances',
		defaults: { name: 'X Lead Connect' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xLeadConnectApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'eDM', value: 'edm' },
					{ name: 'MMS Message', value: 'mms' },
					{ name: 'SMS', value: 'sms' },
				],
				default: 'sms',
			},
			...sms.description,
			...mms.description,
			...edm.description,
			...account.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
