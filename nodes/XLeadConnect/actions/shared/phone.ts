import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getPhoneRecipient, requireText } from '../../helpers/values';

/** The recipient and sender fields that SMS and MMS sends share, in the API's own names. */
export function readPhoneRecipient(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return getPhoneRecipient.call(this, itemIndex);
}

export function readPhoneOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		sender?: unknown;
		sendAlsoOfcaRegisters?: boolean;
	};
	const body: IDataObject = {};
	const sender = requireText.call(this, options.sender, 'Sender ID', itemIndex).trim();
	if (sender !== '') body.sender = sender;
	// Sent explicitly, off unless the user turned it on: reaching do-not-call registers is a
	// compliance decision that must never rest on the API's default.
	body.send_also_ofca_registers = options.sendAlsoOfcaRegisters === true;
	return body;
}
