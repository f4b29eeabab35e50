/**
 * A bar chart of plain DOM: a list whose rows each have a label, a bar and the number in
 * words. The bars are `<meter>` elements sized by their attributes (no inline style under
 * the CSP) and hidden from assistive technology, since each row's text says the same.
 */
import { h } from '../ui/dom';
import '../usage/meter.css';
import './bar-chart.css';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** The value for people, e.g. "12,345 tokens". */
  readonly text: string;
}

export function createBarChart(labelledBy: string, bars: readonly Bar[]): HTMLOListElement {
  // A range with no use at all still draws empty bars rather than dividing by zero.
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return h(
    'ol',
    { class: 'bar-chart', attrs: { 'aria-labelledby': labelledBy } },
    ...bars.map((bar) =>
      h(
        'li',
        { class: 'bar-chart__row' },
        h('span', { class: 'bar-chart__label' }, bar.label),
        h('meter', { class: 'meter bar-chart__bar', attrs: { min: 0, max, value: bar.value, 'aria-hidden': 'true' } }),
        h('span', { class: 'bar-chart__value' }, bar.text),
      ),
    ),
  );
}
