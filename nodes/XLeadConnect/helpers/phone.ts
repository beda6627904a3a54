/**
 * Country calling codes form a prefix-free set: these one- and two-digit codes are whole codes,
 * and every other code has three digits. That is enough to split "+852 9123 4567" correctly
 * without a table of every country.
 */
const SHORT_CALLING_CODES = new Set([
	'1',
	'7',
	'20',
	'27',
	'30',
	'31',
	'32',
	'33',
	'34',
	'36',
	'39',
	'40',
	'41',
	'43',
	'44',
	'45',
	'46',
	'47',
	'48',
	'49',
	'51',
	'52',
	'53',
	'54',
	'55',
	'56',
	'57',
	'58',
	'60',
	'61',
	'62',
	'63',
	'64',
	'65',
	'66',
	'81',
	'82',
	'84',
	'86',
	'90',
	'91',
	'92',
	'93',
	'94',
	'95',
	'98',
]);

export type PhoneField = 'countryCode' | 'mobile';

export type PhoneResult =
	| { ok: true; countryCode: string; mobile: string }
	| { ok: false; field: PhoneField; problem: string; hint: string };

const SEPARATORS = /[\s\-().\/\u00a0]/g;
const NATIONAL_HINT =
	"Write the number as the recipient's country writes it, such as 91234567 or 0912345678, or the full international number, such as +852 9123 4567.";

/**
 * Numbers typed as numbers lose nothing but a leading zero; print them without an exponent. A
 * negative or fractional number is no phone number: its "-" or "." must not vanish as a separator.
 */
function phoneText(value: unknown): string | undefined {
	if (typeof value === 'number') {
		return Number.isSafeInteger(value) && value >= 0 ? value.toFixed(0) : undefined;
	}
	if (typeof value === 'bigint') return value >= 0 ? value.toString() : undefined;
	if (value === null || value === undefined) return '';
	return String(value).trim();
}

function splitCallingCode(digits: string): { countryCode: string; national: string } {
	const length = SHORT_CALLING_CODES.has(digits.slice(0, 1))
		? 1
		: SHORT_CALLING_CODES.has(digits.slice(0, 2))
			? 2
			: 3;
	return { countryCode: digits.slice(0, length), national: digits.slice(length) };
}

/**
 * Taiwan writes mobile numbers with a leading zero (0912345678), and the API's own example keeps
 * it. A nine-digit number starting with 9 has lost that zero in a spreadsheet or a number field.
 */
function restoreTrunkZero(countryCode: string, national: string): string {
	return countryCode === '886' && /^9\d{8}$/.test(national) ? `0${national}` : national;
}

export function normalizePhone(countryRaw: unknown, mobileRaw: unknown): PhoneResult {
	// Only spaces are dropped here: "-852" is not a calling code.
	const countryText = (phoneText(countryRaw) ?? '-').replace(/\s/g, '').replace(/^(\+|00)/, '');
	if (countryText !== '' && !/^\d{1,3}$/.test(countryText)) {
		return {
			ok: false,
			field: 'countryCode',
			problem: 'is not a country calling code',
			hint: 'Use the digits of the calling code without "+", such as 852 for Hong Kong or 886 for Taiwan.',
		};
	}

	const mobileText = phoneText(mobileRaw);
	if (mobileText === undefined) {
		return { ok: false, field: 'mobile', problem: 'is not a phone number', hint: NATIONAL_HINT };
	}
	if (mobileText === '') {
		return { ok: false, field: 'mobile', problem: 'is empty', hint: NATIONAL_HINT };
	}
	const international = /^(\+|00)/.test(mobileText.replace(SEPARATORS, ''));
	const digits = mobileText.replace(SEPARATORS, '').replace(/^(\+|00)/, '');
	if (!/^\d+$/.test(digits)) {
		return { ok: false, field: 'mobile', problem: 'is not a phone number', hint: NATIONAL_HINT };
	}

	let countryCode = countryText;
	let national = digits;
	if (international) {
		const split = splitCallingCode(digits);
		if (countryText !== '' && countryText !== split.countryCode) {
			return {
				ok: false,
				field: 'mobile',
				problem: 'starts with a different country code than the field "Country Code"',
				hint: 'Leave "Country Code" empty when the mobile number is written with +, or make the two agree.',
			};
		}
		({ countryCode, national } = split);
	} else if (countryText === '') {
		// Without a "+", only a number long enough to hold a calling code is read as international.
		if (digits.length < 10 || digits.startsWith('0')) {
			return {
				ok: false,
				field: 'countryCode',
				problem: 'is empty',
				hint: 'Enter the calling code, such as 852, or write the mobile number with its country code, such as +852 9123 4567.',
			};
		}
		({ countryCode, national } = splitCallingCode(digits));
	} else if (digits.length >= 11 && digits.startsWith(countryText)) {
		// "852-9123-4567" in the mobile field beside 852 in the country code field.
		national = digits.slice(countryText.length);
	}

	national = restoreTrunkZero(countryCode, national);
	if (!/^\d{6,14}$/.test(national)) {
		return { ok: false, field: 'mobile', problem: 'is not a phone number', hint: NATIONAL_HINT };
	}
	return { ok: true, countryCode, mobile: national };
}
