import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldError, getDate, withFigures } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';
import type { PhoneChannel } from '../node.type';

/** SMS and MMS reports are alike; the MMS one also names its count `sms_count`. */
export async function getUsageReport(
	this: IExecuteFunctions,
	channel: PhoneChannel,
	itemIndex: number,
): Promise<IDataObject> {
	const qs = {
		date_from: getDate.call(this, 'dateFrom', 'From Date', itemIndex),
		date_to: getDate.call(this, 'dateTo', 'To Date', itemIndex),
	};
	if (qs.date_to < qs.date_from) {
		throw fieldError.call(
			this,
			itemIndex,
			'To Date',
			'is before "From Date"',
			'Swap the two dates: "From Date" is the first day of the report and "To Date" the last.',
		);
	}

	const response = await xLeadApiRequest.call(
		this,
		{ method: 'GET', path: `/v1/${channel}/get-usage-report`, qs },
		itemIndex,
	);

	return withFigures.call(this, response, ['sms_count', 'points_used'], itemIndex);
}
