/**
 * From and To (UTC days) with "Show usage", and "Download CSV" for the days shown. The link
 * follows the range that was applied, not what is half-typed, so the file always matches
 * the tables on screen.
 */
import { usageCsvUrl, type DateRange } from '../api/admin';
import { h, setText } from '../ui/dom';
import { formatDay } from '../usage/format';
import { createField, type Field } from './field';
import { checkRange, type RangeErrors, type RangeField } from './range';

export interface RangeForm {
  readonly element: HTMLElement;
  /** The range now shown: updates the CSV link (the fields are the user's: a report that
   * arrives while they type must not overwrite them). */
  setApplied(range: DateRange): void;
}

export interface RangeFormOptions {
  readonly initial: DateRange;
  readonly locale?: string | undefined;
  readonly onApply: (range: DateRange) => void;
}

function dayField(name: RangeField, label: string, value: string): Field {
  return createField({ label, attrs: { name, type: 'date', value, required: true } });
}

export function createRangeForm(options: RangeFormOptions): RangeForm {
  const from = dayField('from', 'From', options.initial.from);
  const to = dayField('to', 'To', options.initial.to);
  const csvRange = h('span', { class: 'visually-hidden' });
  const csv = h('a', { class: 'button button--secondary', attrs: { download: '' } }, 'Download CSV', csvRange);
  const form = h(
    'form',
    { class: 'range-form', attrs: { novalidate: true, 'aria-label': 'Days to report' } },
    from.wrapper,
    to.wrapper,
    h('div', { class: 'range-form__actions' }, h('button', { class: 'button button--primary', attrs: { type: 'submit' } }, 'Show usage'), csv),
    h('p', { class: 'field__hint range-form__hint' }, 'Days are UTC days; both are included (at most 366).'),
  );

  function showErrors(errors: RangeErrors): void {
    from.setError(errors.from);
    to.setError(errors.to);
    if (errors.from !== undefined) from.input.focus();
    else if (errors.to !== undefined) to.input.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const range = { from: from.input.value, to: to.input.value };
    const errors = checkRange(range);
    showErrors(errors);
    if (Object.keys(errors).length === 0) options.onApply(range);
  });

  function setApplied(range: DateRange): void {
    csv.href = usageCsvUrl(range);
    setText(csvRange, ` of ${formatDay(range.from, options.locale)} to ${formatDay(range.to, options.locale)}`);
  }
  from.input.value = options.initial.from;
  to.input.value = options.initial.to;
  setApplied(options.initial);
  return { element: form, setApplied };
}
