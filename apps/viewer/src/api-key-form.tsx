import type { JSX } from 'preact';
import { useState } from 'preact/hooks';

/** The API key, kept in this browser only; empty works against a server run without keys. */
export function ApiKeyForm(props: { apiKey: string; onChange(key: string): void }): JSX.Element {
  const [draft, setDraft] = useState(props.apiKey);
  return (
    <form
      class="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange(draft.trim());
      }}
    >
      <label for="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autocomplete="off"
        placeholder="none (open server)"
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
      />
      <button type="submit">{draft.trim() === props.apiKey ? 'Saved' : 'Save'}</button>
    </form>
  );
}
