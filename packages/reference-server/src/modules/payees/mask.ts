/**
 * A name as a payer may see it before sending: the first name and the initial of the last one
 * ("Wanjiru Kamau" → "Wanjiru K."), enough to recognise the person one means to pay, not enough to
 * learn who holds a number. One word stays as it is; extra spaces are ignored.
 */
export function maskName(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/u).filter(Boolean);
  const first = words[0];
  if (first === undefined) return '';
  if (words.length === 1) return first;
  const last = words[words.length - 1] as string;
  const initial = Array.from(last)[0] ?? '';
  return `${first} ${initial.toLocaleUpperCase('en')}.`;
}

/** A Kenyan mobile number as people write it (`07…`, `2547…`) in E.164 form; E.164 stays as it is. */
export function normalisePhone(phone: string): string {
  if (phone.startsWith('+')) return phone;
  if (phone.startsWith('254')) return `+${phone}`;
  if (phone.startsWith('0')) return `+254${phone.slice(1)}`;
  return phone;
}
