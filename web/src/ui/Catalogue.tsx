import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp, useChatState } from './context';
import { line } from '../irc/message';
import { keyOf } from '../state/reducer';
import { describeError } from '../i18n';
import { isMinor } from './links';

export interface RoomInfo {
  name: string;
  category: string;
  description: string;
  topic: string;
  members: number;
  /** Closed to minors ("adults_only" in /api/rooms; +A on the room). */
  adultsOnly: boolean;
}

const REFRESH_MS = 15_000;

export function parseRooms(data: unknown): RoomInfo[] {
  if (!Array.isArray(data)) throw new Error('not a list');
  return data
    .filter((r) => r && typeof r.name === 'string')
    .map((r) => ({
      name: r.name,
      category: typeof r.category === 'string' ? r.category : '',
      description: typeof r.description === 'string' ? r.description : '',
      topic: typeof r.topic === 'string' ? r.topic : '',
      members: typeof r.members === 'number' ? r.members : 0,
      adultsOnly: r.adults_only === true,
    }));
}

/** The room list from GET /api/rooms, refreshed while shown. */
function useRooms() {
  const [rooms, setRooms] = useState<RoomInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const load = async () => {
      try {
        const res = await fetch('/api/rooms', { headers: { Accept: 'application/json' }, cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const list = parseRooms(await res.json());
        if (!stopped) {
          setRooms(list);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(load, REFRESH_MS);
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { rooms, error };
}

export function Catalogue() {
  const { t, lang, store, session } = useApp();
  const state = useChatState();
  const { rooms, error } = useRooms();
  const minor = isMinor(state.profile);
  const [query, setQuery] = useState('');
  const [other, setOther] = useState('');
  const [otherError, setOtherError] = useState<string | null>(null);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (r: RoomInfo) =>
      !q || [r.name, r.category, r.description, r.topic].some((s) => s.toLowerCase().includes(q));
    const byCategory = new Map<string, RoomInfo[]>();
    for (const r of rooms ?? []) {
      if (!match(r)) continue;
      const c = r.category || t('catalogue.other');
      if (!byCategory.has(c)) byCategory.set(c, []);
      byCategory.get(c)!.push(r);
    }
    return [...byCategory.entries()];
  }, [rooms, query, t]);

  const join = (name: string) => {
    const key = keyOf(state, name);
    if (state.buffers[key]?.joined) {
      store.dispatch({ type: 'select', key });
      return;
    }
    session.send(line('JOIN', name));
  };

  const joinOther = (e: Event) => {
    e.preventDefault();
    let name = other.trim();
    if (!name) return;
    if (!name.startsWith('#')) name = '#' + name;
    if (/[\s,:\x07]/.test(name) || name.length < 2 || name.length > 50) {
      setOtherError(t('err.badChannelMask', name));
      return;
    }
    setOtherError(null);
    setOther('');
    join(name);
  };

  const count = (n: number) =>
    n === 0 ? t('catalogue.members0') : n === 1 ? t('catalogue.members1') : t('catalogue.members', n);

  return (
    <section class="catalogue" aria-labelledby="catalogue-title">
      <h1 id="catalogue-title">{t('catalogue.title')}</h1>
      <div class="search">
        <label for="room-search">{t('catalogue.search')}</label>
        <input
          id="room-search"
          type="search"
          value={query}
          placeholder={t('catalogue.searchPlaceholder')}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {t('catalogue.error', error)}
        </p>
      )}
      {rooms === null && !error && <p aria-busy="true">{t('catalogue.loading')}</p>}
      {rooms !== null && groups.length === 0 && (
        <p>{query.trim() ? t('catalogue.noMatch', query.trim()) : t('catalogue.empty')}</p>
      )}
      {groups.map(([category, list]) => (
        <section class="category" key={category} aria-label={category}>
          <h2>{category}</h2>
          <ul class="room-list">
            {list.map((r) => {
              const key = keyOf(state, r.name);
              const joined = !!state.buffers[key]?.joined;
              const refusal = state.joinRefusals[key];
              // A minor is not offered an adults-only room (the server would refuse it anyway).
              const closed = r.adultsOnly && minor && !joined;
              const noteId = `room-note-${r.name.slice(1).replace(/[^A-Za-z0-9_-]/g, '_')}`;
              return (
                <li class={`room-card${r.adultsOnly ? ' adults-only' : ''}`} key={r.name} data-room={r.name} data-adults-only={r.adultsOnly ? 'true' : undefined}>
                  <div class="room-card-main">
                    <h3 class="room-name">
                      {r.name}
                      {r.adultsOnly && (
                        <span class="adults-badge" title={t('catalogue.adultsOnly')} data-testid="adults-badge">
                          <span aria-hidden="true">18+</span>
                          <span class="sr-only">{t('catalogue.adultsOnly')}</span>
                        </span>
                      )}
                    </h3>
                    {r.description && <p class="room-desc">{r.description}</p>}
                    {r.topic && r.topic !== r.description && <p class="room-topic">{r.topic}</p>}
                    {(refusal || closed) && (
                      <p class="room-refusal" id={noteId} data-testid="room-refusal">
                        {refusal ? describeError(t, lang, refusal.key, refusal.args) : t('catalogue.forAdults')}
                      </p>
                    )}
                  </div>
                  <div class="room-card-side">
                    <span class="room-members" data-testid="room-members">
                      {count(r.members)}
                    </span>
                    <button
                      type="button"
                      class={joined ? 'small' : 'small primary'}
                      onClick={() => join(r.name)}
                      aria-label={`${joined ? t('catalogue.open') : t('catalogue.join')} ${r.name}`}
                      aria-describedby={refusal || closed ? noteId : undefined}
                      disabled={(!state.registered && !joined) || closed}
                    >
                      {joined ? t('catalogue.open') : t('catalogue.join')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <form class="join-other" onSubmit={joinOther}>
        <label for="join-other">{t('catalogue.joinOther')}</label>
        <div class="inline">
          <input
            id="join-other"
            value={other}
            placeholder="#"
            autocapitalize="off"
            onInput={(e) => setOther(e.currentTarget.value)}
            aria-invalid={!!otherError}
            aria-describedby={otherError ? 'join-other-error' : undefined}
          />
          <button type="submit" class="small" disabled={!state.registered}>
            {t('catalogue.join')}
          </button>
        </div>
        {otherError && (
          <p class="field-error" id="join-other-error" role="alert">
            {otherError}
          </p>
        )}
      </form>
    </section>
  );
}
