import { Transform } from 'class-transformer';

export const ToInt = () =>
  Transform(({ value }) => (value === undefined ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value));

export const ToBool = () =>
  Transform(({ value }) => {
    if (value === undefined) return undefined;
    const v = String(value).toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return value;
  });

export const ToList = (separator: RegExp = /[+,\s]+/) =>
  Transform(({ value }) =>
    value === undefined
      ? undefined
      : String(value)
          .split(separator)
          .map((s) => s.trim())
          .filter(Boolean),
  );
