/** Reference lists of the intake forms, named in the UI language with `Intl.DisplayNames`. */
import { sortByName } from '../../lib/format';

/** ISO 3166-1 alpha-2 codes the server accepts (server/cases/reference.cpp), with XK (Kosovo). */
export const COUNTRIES = 'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(' ');

/** EU, EEA and Switzerland: free movement, advised by Fair Mobility. */
export const EU_EEA_CH = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH'.split(' '));

/** Languages offered in the pickers (ISO 639-1), most frequent in counselling first. */
export const LANGUAGES = 'de en ar fa ru uk pl ro bg tr ku vi es fr it pt hu cs sr hr sq ti so prs ps ur hi zh tl'.split(' ');

const cache = new Map<string, Intl.DisplayNames>();
function names(language: string, type: 'region' | 'language'): Intl.DisplayNames {
  const key = `${language}:${type}`;
  let n = cache.get(key);
  if (!n) {
    n = new Intl.DisplayNames([language], { type, fallback: 'code' });
    cache.set(key, n);
  }
  return n;
}

export function countryName(code: string, language: string): string {
  try {
    return names(language, 'region').of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageName(code: string, language: string): string {
  try {
    return names(language, 'language').of(code) ?? code;
  } catch {
    return code;
  }
}

export function countryOptions(language: string): { value: string; label: string }[] {
  return sortByName(COUNTRIES, (c) => countryName(c, language), language).map((c) => ({ value: c, label: countryName(c, language) }));
}

export function languageOptions(language: string): { value: string; label: string }[] {
  return sortByName(LANGUAGES, (c) => languageName(c, language), language).map((c) => ({ value: c, label: languageName(c, language) }));
}

export { formatDate } from '../../lib/format';

/** A timestamp (RFC 3339) in the UI language, date and time in the browser's zone. */
export function formatTimestamp(iso: string | null | undefined, language: string): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
