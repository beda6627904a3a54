export interface Envelope {
	rc: number;
	rm: string;
	[field: string]: string | number;
}

export const RC_OK = 100;
export const RC_FAILED = -100;

export function ok(fields: Record<string, string> = {}, message = 'OK'): Envelope {
	return { rc: RC_OK, rm: message, ...fields };
}

export function fail(message: string): Envelope {
	return { rc: RC_FAILED, rm: message };
}
