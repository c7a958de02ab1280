/**
 * The wage claim letter (Geltendmachung) to the employer. The letter is a German legal document
 * whatever language the advisor works in, so its text is a fixed German template here, not a
 * UI translation. Money and dates are formatted for Germany.
 */
import { formatDate, formatMonth } from './dates';
import { formatCents, formatHundredths } from './money';
import type { ArrearsRow } from './arrears';

export interface LetterParties {
  senderName: string;
  senderAddress: string;
  employerName: string;
  employerAddress: string;
  place: string;
  /** `YYYY-MM-DD` */
  letterDate: string;
  /** `YYYY-MM-DD` */
  deadline: string;
}

/** Placeholders printed where the advisor has not filled something in. */
export const PLACEHOLDERS = {
  senderName: '[Name der Arbeitnehmerin / des Arbeitnehmers]',
  senderAddress: '[Straße Hausnummer]\n[PLZ Ort]',
  employerName: '[Name des Arbeitgebers]',
  employerAddress: '[Straße Hausnummer]\n[PLZ Ort]',
  place: '[Ort]',
} as const;

export const LETTER_TABLE_HEADINGS = ['Monat', 'Stunden', 'Mindestlohn je Stunde', 'Geschuldet', 'Gezahlt', 'Differenz'] as const;

export function lines(text: string, placeholder: string): string[] {
  const value = text.trim() || placeholder;
  return value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/** Only months with arrears belong in the claim. */
export function claimRows(rows: readonly ArrearsRow[]): ArrearsRow[] {
  return rows.filter((r) => r.shortfallCents > 0);
}

export function letterTexts(rows: readonly ArrearsRow[], totalCents: number, parties: LetterParties) {
  const claimed = claimRows(rows);
  const first = claimed[0]?.month ?? '';
  const last = claimed[claimed.length - 1]?.month ?? '';
  const period = first === last ? formatMonth(first, 'de') : `${formatMonth(first, 'de')} bis ${formatMonth(last, 'de')}`;
  const total = formatCents(totalCents, 'de');
  const deadline = formatDate(parties.deadline, 'de');
  return {
    dateLine: `${parties.place.trim() || PLACEHOLDERS.place}, ${formatDate(parties.letterDate, 'de', 'short')}`,
    subject: `Geltendmachung des gesetzlichen Mindestlohns für ${period}`,
    salutation: 'Sehr geehrte Damen und Herren,',
    paragraphs: [
      `ich bin bzw. war bei Ihnen beschäftigt. Für die in der folgenden Aufstellung genannten Monate haben Sie mir nicht den gesetzlichen Mindestlohn gezahlt, auf den ich nach § 1 Abs. 1 und 2 Mindestlohngesetz (MiLoG) für jede geleistete Arbeitsstunde Anspruch habe.`,
      `Der Mindestlohn war nach § 2 Abs. 1 Satz 1 Nr. 2 MiLoG spätestens am letzten Bankarbeitstag des Monats fällig, der auf den Monat folgt, in dem die Arbeitsleistung erbracht wurde.`,
    ],
    tableCaption: 'Aufstellung der Differenzbeträge (brutto)',
    totalLabel: 'Summe',
    total,
    demand: `Hiermit mache ich den Differenzbetrag von insgesamt ${total} brutto geltend. Ich fordere Sie auf, diesen Betrag bis zum ${deadline} abzurechnen und an mich auszuzahlen.`,
    law: `Vereinbarungen, die den Anspruch auf den Mindestlohn unterschreiten oder seine Geltendmachung beschränken oder ausschließen, sind nach § 3 Satz 1 MiLoG insoweit unwirksam. Auf den Anspruch kann nur durch gerichtlichen Vergleich verzichtet werden; seine Verwirkung ist ausgeschlossen (§ 3 Satz 2 und 3 MiLoG). Vertragliche Ausschlussfristen stehen dem Anspruch daher nicht entgegen.`,
    closing: `Sollte der Betrag nicht fristgerecht bei mir eingehen, behalte ich mir vor, den Anspruch ohne weitere Ankündigung gerichtlich geltend zu machen.`,
    regards: 'Mit freundlichen Grüßen',
  };
}

/** The cells of one table row, formatted for the German letter. */
export function letterRowCells(row: ArrearsRow): string[] {
  const none = '–';
  return [
    formatMonth(row.month, 'de'),
    row.hours === null ? none : formatHundredths(row.hours, 'de'),
    formatCents(row.rateCents, 'de'),
    formatCents(row.dueCents, 'de'),
    row.paidCents === null ? none : formatCents(row.paidCents, 'de'),
    formatCents(row.shortfallCents, 'de'),
  ];
}
