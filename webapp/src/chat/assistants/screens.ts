/**
 * The assistant screens, loaded on demand (preset-control.ts imports this module
 * dynamically): the "Start with…" picker, the gallery and the assistant form, made once
 * and reused. The persona catalog is read once per page (the API lets the browser cache
 * it too); assistants are read each time a screen opens, since people share and edit them.
 */
import { createAssistantsApi, type AssistantScope, type AssistantSummary } from '../../api/assistants';
import type { ApiClient } from '../../api/client';
import { getPersonas, type PersonaCatalog } from '../../api/personas';
import { ApiError } from '../../api/problem';
import { problemKindOf, type Me } from '../../api/types';
import { createAssistantForm } from './form/assistant-form';
import { createGallery } from './gallery/gallery';
import { createPicker, type PickerData } from './picker/picker';
import { NO_ASSISTANTS, type AssistantLists } from './picker/picker-entries';
import type { ChatPreset } from './preset';
import { detailOf, goneSentence, isGone } from './sentences';

export interface ScreensOptions {
  readonly client: ApiClient;
  readonly me: () => Me | null;
  /** Start a new chat from `preset`. */
  readonly onStart: (preset: ChatPreset) => void;
  /** After a start, once its dialog has closed: focus the message box. */
  readonly afterStart: () => void;
}

export interface AssistantScreens {
  openPicker(): void;
  openGallery(): void;
  destroy(): void;
}

const SCOPES: readonly AssistantScope[] = ['featured', 'mine', 'organisation'];

function kindOf(error: unknown): string | null {
  return error instanceof ApiError ? problemKindOf(error.type) : null;
}

export function createAssistantScreens(options: ScreensOptions): AssistantScreens {
  const { client } = options;
  const assistants = createAssistantsApi(client);
  let catalog: Promise<PersonaCatalog> | null = null;

  async function loadPickerData(): Promise<PickerData> {
    catalog ??= getPersonas(client);
    const history = options.me()?.history !== false;
    const [[personas], lists] = await Promise.all([
      Promise.allSettled([catalog]),
      Promise.allSettled(history ? SCOPES.map((scope) => assistants.list(scope)) : []),
    ]);
    const problems: string[] = [];
    let loadedCatalog: PersonaCatalog | null = null;
    if (personas.status === 'fulfilled') {
      loadedCatalog = personas.value;
    } else {
      catalog = null;
      problems.push(`The personas could not be loaded. ${detailOf(personas.reason)}`);
    }
    let available = history;
    const found: Record<AssistantScope, AssistantSummary[]> = { featured: [], mine: [], organisation: [] };
    let assistantProblem: unknown = null;
    lists.forEach((result, index) => {
      const scope = SCOPES[index];
      if (scope === undefined) return;
      if (result.status === 'fulfilled') found[scope] = result.value;
      else if (kindOf(result.reason) === 'history-disabled') available = false;
      else assistantProblem ??= result.reason;
    });
    if (assistantProblem !== null) problems.push(`The assistants could not be loaded. ${detailOf(assistantProblem)}`);
    const assistantLists: AssistantLists = available ? found : NO_ASSISTANTS;
    return { catalog: loadedCatalog, assistants: assistantLists, problems, assistantsAvailable: available };
  }

  const form = createAssistantForm({
    assistants,
    client,
    me: options.me,
    onSaved: (assistant, created) => gallery.saved(assistant, created),
  });

  const gallery = createGallery({
    assistants,
    isAdmin: () => options.me()?.roles.includes('admin') === true,
    onStart: options.onStart,
    afterStart: options.afterStart,
    openForm(summary) {
      if (summary === null) {
        form.open(null);
        return;
      }
      // The list has no system prompt: read it whole, which also finds one deleted meanwhile.
      gallery.say(`Opening “${summary.name}”…`);
      assistants.get(summary.id).then(
        (assistant) => {
          gallery.say('');
          form.open(assistant);
        },
        (error: unknown) => {
          if (isGone(error)) {
            gallery.say(goneSentence(summary.name));
            gallery.refresh();
          } else {
            gallery.say(`“${summary.name}” could not be opened. ${detailOf(error)}`);
          }
        },
      );
    },
  });

  const picker = createPicker({
    load: loadPickerData,
    assistants,
    onChoose: options.onStart,
    afterChoose: options.afterStart,
    onOpenGallery: () => gallery.open(),
  });

  return {
    openPicker: () => picker.open(),
    openGallery: () => gallery.open(),
    destroy() {
      picker.close();
      gallery.close();
      form.destroy();
      for (const element of [picker.element, gallery.element]) element.remove();
    },
  };
}
