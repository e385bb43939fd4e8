import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { RectoApi } from './recto-api';

interface UploadItem {
  id: number;
  name: string;
  progress: number;
  state: 'uploading' | 'done' | 'duplicate' | 'failed';
  message?: string;
}

let nextId = 1;

/** Drop files here, or pick them with the button (the keyboard way); one progress bar per file. */
export function UploadZone(props: { api: RectoApi; onUploaded(): void }): JSX.Element {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const update = (id: number, change: Partial<UploadItem>) =>
    setItems((list) => list.map((it) => (it.id === id ? { ...it, ...change } : it)));

  const send = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const id = nextId++;
      setItems((list) => [{ id, name: file.name, progress: 0, state: 'uploading' as const }, ...list].slice(0, 20));
      props.api
        .upload(file, (p) => update(id, { progress: p }))
        .then((r) => {
          update(id, { progress: 1, state: r.duplicate ? 'duplicate' : 'done' });
          props.onUploaded();
        })
        .catch((err: Error) => update(id, { state: 'failed', message: err.message }));
    }
  };

  return (
    <section class="panel upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload</h2>
      <div
        class={`drop-zone${over ? ' over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          send(e.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop scans here (PDF, TIFF, PNG, JPEG, WebP)</p>
        <button type="button" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept=".pdf,.tif,.tiff,.png,.jpg,.jpeg,.webp,.heic,application/pdf,image/*"
          onChange={(e) => {
            send(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </div>
      {items.length > 0 && (
        <ul class="uploads" aria-live="polite">
          {items.map((it) => (
            <li key={it.id} class={`upload-item ${it.state}`}>
              <span class="name">{it.name}</span>
              <progress max={1} value={it.progress} aria-label={`Upload of ${it.name}`} />
              <span class="state">
                {it.state === 'uploading'
                  ? `${Math.round(it.progress * 100)} %`
                  : it.state === 'duplicate'
                    ? 'already there'
                    : it.state === 'failed'
                      ? `failed: ${it.message}`
                      : 'uploaded'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
