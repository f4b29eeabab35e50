/**
 * The form that sets one user's limits, in a dialog. Each field's error stands next to it
 * (`aria-invalid`, `aria-describedby`) and focus goes to the first field in error; the API's
 * own field errors land in the same places. Unlimited switches the number fields off.
 */
import type { OverrideInput } from '../api/admin';
import type { UserLimits } from '../api/usage';
import { ApiError } from '../api/problem';
import { problemKindOf } from '../api/types';
import { h, setText, show, uniqueId } from '../ui/dom';
import { describeUsageError } from '../usage/errors';
import { formatLimit } from '../usage/format';
import { openAdminDialog } from './dialog';
import { createField, type Field } from './field';
import { checkOverride, fieldOfApiError, type OverrideErrors, type OverrideField, type OverrideFormValues } from './override-values';

export interface KnownUser {
  readonly id: string;
  /** What to call them (their name, or the id when no name is known). */
  readonly label: string;
}

export interface OverrideFormOptions {
  readonly defaults: UserLimits;
  /** Who the limits are for; left out, the admin types a user id. */
  readonly user?: KnownUser;
  readonly values: OverrideFormValues;
  /** Offered as suggestions for the user id. */
  readonly knownUsers: readonly KnownUser[];
  readonly locale?: string | undefined;
  /** Sends the override; rejects with the API's error. */
  readonly save: (userId: string, input: OverrideInput) => Promise<void>;
  readonly onSaved: (userId: string) => void;
}

function field(label: string, value: string, hint: string, attrs: Record<string, string | boolean> = {}): Field {
  return createField({ label, hint, attrs: { type: 'text', value, autocomplete: 'off', spellcheck: 'false', ...attrs } });
}

const LIMIT_FIELDS = ['requests_per_minute', 'tokens_per_day', 'tokens_per_month'] as const;
const LIMIT_LABELS: Readonly<Record<(typeof LIMIT_FIELDS)[number], string>> = {
  requests_per_minute: 'Requests per minute',
  tokens_per_day: 'Tokens per day (UTC)',
  tokens_per_month: 'Tokens per month (UTC)',
};

export function openOverrideForm(options: OverrideFormOptions): HTMLDialogElement {
  const { defaults, locale } = options;
  const listId = uniqueId('known-users');
  const userField =
    options.user === undefined
      ? field('User ID', options.values.userId, 'The ID shown under the user’s name in the usage table.', { list: listId, required: true })
      : null;
  const limitFields = {
    requests_per_minute: field(LIMIT_LABELS.requests_per_minute, options.values.requestsPerMinute, `Empty: the default (${formatLimit(defaults.requests_per_minute, locale)}).`, { inputmode: 'numeric' }),
    tokens_per_day: field(LIMIT_LABELS.tokens_per_day, options.values.tokensPerDay, `Empty: the default (${formatLimit(defaults.tokens_per_day, locale)}).`, { inputmode: 'numeric' }),
    tokens_per_month: field(LIMIT_LABELS.tokens_per_month, options.values.tokensPerMonth, `Empty: the default (${formatLimit(defaults.tokens_per_month, locale)}).`, { inputmode: 'numeric' }),
  };
  const unlimitedId = uniqueId('override-unlimited');
  const unlimited = h('input', { attrs: { id: unlimitedId, type: 'checkbox', checked: options.values.unlimited } });
  const groupErrorId = uniqueId('override-limits-error');
  const groupError = h('p', { class: 'field__error', attrs: { id: groupErrorId, hidden: true } });
  const formError = h('div', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  const cancel = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Cancel');
  const submit = h('button', { class: 'button button--primary', attrs: { type: 'submit' } }, 'Save limits');

  const syncUnlimited = (): void => {
    for (const name of LIMIT_FIELDS) limitFields[name].input.disabled = unlimited.checked;
  };
  unlimited.addEventListener('change', syncUnlimited);
  syncUnlimited();

  const form = h(
    'form',
    { class: 'override-form', attrs: { novalidate: true } },
    options.user === undefined
      ? null
      : h('p', { class: 'override-form__user' }, 'For ', h('strong', {}, options.user.label), ` (${options.user.id})`),
    userField?.wrapper,
    userField === null ? null : h('datalist', { attrs: { id: listId } }, ...options.knownUsers.map((user) => h('option', { attrs: { value: user.id } }, user.label))),
    h(
      'fieldset',
      { class: 'override-form__limits', attrs: { 'aria-describedby': groupErrorId } },
      h('legend', {}, 'Limits'),
      groupError,
      ...LIMIT_FIELDS.map((name) => limitFields[name].wrapper),
      h(
        'div',
        { class: 'field field--checkbox' },
        unlimited,
        h('label', { attrs: { for: unlimitedId } }, 'Unlimited: lift every limit of this user (the limit everyone shares still applies)'),
      ),
    ),
    h('p', { class: 'field__hint' }, 'A change applies at once on this server and within 30 seconds on the others.'),
    formError,
    h('div', { class: 'admin-dialog__actions' }, cancel, submit),
  );

  const title = options.user === undefined ? 'Set limits for a user' : `Limits for ${options.user.label}`;
  const dialog = openAdminDialog(title, () => userField?.input ?? limitFields.requests_per_minute.input, form);
  cancel.addEventListener('click', () => dialog.modal.close());

  function showErrors(errors: OverrideErrors): void {
    userField?.setError(errors.user_id);
    for (const name of LIMIT_FIELDS) limitFields[name].setError(errors[name]);
    setText(groupError, errors.limits ?? '');
    show(groupError, errors.limits !== undefined);
    const order: readonly OverrideField[] = ['user_id', ...LIMIT_FIELDS, 'limits'];
    const first = order.find((name) => errors[name] !== undefined);
    if (first === 'user_id') userField?.input.focus();
    else if (first === 'limits') (unlimited.checked ? unlimited : limitFields.requests_per_minute.input).focus();
    else if (first !== undefined) limitFields[first].input.focus();
  }

  function showFormError(sentence: string | null): void {
    formError.replaceChildren(...(sentence === null ? [] : [h('p', {}, sentence)]));
    show(formError, sentence !== null);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    showFormError(null);
    const values: OverrideFormValues = {
      userId: options.user?.id ?? userField?.input.value ?? '',
      requestsPerMinute: limitFields.requests_per_minute.input.value,
      tokensPerDay: limitFields.tokens_per_day.input.value,
      tokensPerMonth: limitFields.tokens_per_month.input.value,
      unlimited: unlimited.checked,
    };
    const check = checkOverride(values, locale);
    if (!check.ok) {
      showErrors(check.errors);
      return;
    }
    showErrors({});
    submit.disabled = true;
    setText(submit, 'Saving…');
    options
      .save(check.userId, check.input)
      .then(() => {
        dialog.modal.close();
        options.onSaved(check.userId);
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && problemKindOf(error.type) === 'invalid-request' && error.problem.errors.length > 0) {
          const errors: OverrideErrors = {};
          for (const item of error.problem.errors) errors[fieldOfApiError(item.field)] ??= item.message;
          showErrors(errors);
        } else {
          showFormError(describeUsageError(error).sentence);
        }
      })
      .finally(() => {
        submit.disabled = false;
        setText(submit, 'Save limits');
      });
  });

  return dialog.element;
}
