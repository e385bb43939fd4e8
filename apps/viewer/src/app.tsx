import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiKeyForm } from './api-key-form';
import { DocumentList } from './document-list';
import { applyDocumentEvent, subscribeToEvents } from './event-stream';
import { PageViewer } from './page-viewer';
import { ApiRequestError, RectoApi, type RectoDocument, type SearchHit } from './recto-api';
import { SearchResults } from './search-results';
import { UploadZone } from './upload-zone';

const KEY_STORAGE = 'recto.apiKey';

interface Opened {
  documentId: string;
  filename: string;
  query: string;
  page: number;
}

const messageOf = (err: Error) =>
  err instanceof ApiRequestError && err.status === 401
    ? 'The server wants an API key: enter yours above.'
    : err.message;

export function App(): JSX.Element {
  const [apiKey, setApiKey] = useState(() => localStorage.getItem(KEY_STORAGE) ?? '');
  const api = useMemo(() => new RectoApi(apiKey), [apiKey]);
  const [documents, setDocuments] = useState<RectoDocument[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [lowOnly, setLowOnly] = useState(false);
  const lowOnlyRef = useRef(lowOnly);
  lowOnlyRef.current = lowOnly;

  const saveKey = (key: string) => {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
    setApiKey(key);
  };

  // Live status from the event stream; polling only while the stream is down (or not offered).
  const [live, setLive] = useState(false);
  const busy = documents.some((d) => d.status === 'Processing');
  useEffect(
    () =>
      subscribeToEvents(apiKey, {
        // (Re)connected: the list is reloaded (the effect below depends on `live`) to catch up.
        onOpen: () => setLive(true),
        onEvent: (event) => setDocuments((docs) => applyDocumentEvent(docs, event, lowOnlyRef.current)),
        onDrop: () => setLive(false),
      }),
    [apiKey],
  );
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api.documents(100, lowOnly ? 'low' : undefined).then(
        (docs) => {
          if (stopped) return;
          setDocuments(docs);
          setListError(null);
          // Live, the stream says when a document is done; polling only shows the pages read so far.
          const processing = docs.some((d) => d.status === 'Processing');
          if (!live || processing) timer = setTimeout(load, processing ? (live ? 3000 : 1500) : 10_000);
        },
        (err: Error) => {
          if (stopped) return;
          setListError(messageOf(err));
          timer = setTimeout(load, 10_000);
        },
      );
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, refreshes, lowOnly, live]);

  useEffect(() => {
    if (!query) return setHits(null);
    setHits(null);
    setSearchError(null);
    api.search(query).then(setHits, (err: Error) => setSearchError(messageOf(err)));
  }, [api, query, busy]);

  return (
    <div class="app">
      <header class="top">
        <h1>
          <a href="/" onClick={(e) => (e.preventDefault(), setOpened(null))}>
            Recto
          </a>
        </h1>
        <form
          class="search-form"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setOpened(null);
            setQuery(draft.trim());
          }}
        >
          <label for="q" class="visually-hidden">
            Search the scans
          </label>
          <input
            id="q"
            type="search"
            placeholder="Search the scans"
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit">Search</button>
        </form>
        <ApiKeyForm apiKey={apiKey} onChange={saveKey} />
      </header>
      <main>
        {opened ? (
          <PageViewer
            key={`${opened.documentId}/${opened.query}/${opened.page}`}
            api={api}
            documentId={opened.documentId}
            filename={opened.filename}
            query={opened.query}
            startPage={opened.page}
            onClose={() => setOpened(null)}
          />
        ) : (
          <div class="columns">
            <div class="main-column">
              <SearchResults
                query={query}
                hits={hits}
                error={searchError}
                onOpen={(h) => setOpened({ documentId: h.document_id, filename: h.filename, query, page: h.page })}
              />
              <UploadZone api={api} onUploaded={() => setRefreshes((n) => n + 1)} />
            </div>
            <DocumentList
              documents={documents}
              live={live}
              error={listError}
              lowOnly={lowOnly}
              onLowOnly={setLowOnly}
              onOpen={(d) => setOpened({ documentId: d.id, filename: d.filename, query: '', page: 1 })}
            />
          </div>
        )}
      </main>
    </div>
  );
}
