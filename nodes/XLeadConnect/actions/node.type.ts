export type XLeadConnectMap = {
	sms: 'send' | 'getUsageReport';
	mms: 'send' | 'getUsageReport';
	edm: 'send';
	account: 'getPointsBalance' | 'getQuotaBalance';
};

export type XLeadResource = keyof XLeadConnectMap;

export type PhoneChannel = 'sms' | 'mms';
