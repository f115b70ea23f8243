// The chat screen: the store, the IRC session over WebSocket, resuming after a reload, and
// the Preact root. main.tsx loads it for every path but /console.
import { render } from 'preact';
import { useMemo, useState, useEffect } from 'preact/hooks';
import { App } from './ui/App';
import { AppContext } from './ui/context';
import { createStore } from './net/store';
import { Session, websocketUrl } from './net/session';
import { initialState, reduce, type Action, type ChatState } from './state/reducer';
import { RESUME_KEY, parseResume, resumeFromState, serializeResume } from './state/resume';
import { LINES_KEY, linesFromState, parseSavedLines } from './state/saved-lines';
import { detectLanguage, translate, type Lang } from './i18n';
import './styles.css';

const IGNORE_KEY = 'salon.ignored';
const LANG_KEY = 'salon.lang';

function loadIgnored(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(IGNORE_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const store = createStore<ChatState, Action>(reduce, { ...initialState(), ignored: loadIgnored() });
const session = new Session(store, websocketUrl(location));

// Keep the ignore list across visits.
let lastIgnored = store.getState().ignored;
store.subscribe(() => {
  const ignored = store.getState().ignored;
  if (ignored !== lastIgnored) {
    lastIgnored = ignored;
    localStorage.setItem(IGNORE_KEY, JSON.stringify(ignored));
  }
});

// Resuming after a reload: what the tab needs is kept in sessionStorage (per tab, cleared on
// quit and logout; see README.md for why an account's password is among it).
function readSession(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null; // storage disabled: no resuming
  }
}
function writeSession(key: string, text: string) {
  try {
    if (text) sessionStorage.setItem(key, text);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage full or disabled: the next reload shows the join form (or fetches all history) */
  }
}
const saved = parseResume(readSession(RESUME_KEY));
let lastSaved: string | null = null;
function saveSession() {
  const s = store.getState();
  const r = s.status.state === 'idle' ? null : resumeFromState(s, session.credentials);
  const text = r ? serializeResume(r) : '';
  if (text === lastSaved) return;
  lastSaved = text;
  writeSession(RESUME_KEY, text);
  if (!text) saveLines(); // quitting: the messages go with the resume record
}
// The messages shown and how far they were read: written a moment after they change (every
// message would be too often) and when the page goes away.
let lastBuffers = store.getState().buffers;
let linesTimer: ReturnType<typeof setTimeout> | null = null;
function saveLines() {
  if (linesTimer) clearTimeout(linesTimer);
  linesTimer = null;
  writeSession(LINES_KEY, lastSaved ? JSON.stringify(linesFromState(store.getState())) : '');
}
store.subscribe(saveSession);
store.subscribe(() => {
  const buffers = store.getState().buffers;
  if (buffers === lastBuffers) return;
  lastBuffers = buffers;
  if (!linesTimer) linesTimer = setTimeout(saveLines, 1000);
});
window.addEventListener('pagehide', saveLines);
session.onCredentialsChange = saveSession;
if (saved) session.resume(saved, parseSavedLines(readSession(LINES_KEY)));

// Messages in the conversation on screen are read only while the page is visible.
const visible = () => document.visibilityState !== 'hidden';
document.addEventListener('visibilitychange', () => store.dispatch({ type: 'visibility', visible: visible() }));
store.dispatch({ type: 'visibility', visible: visible() });

window.addEventListener('offline', () => session.setOffline());
window.addEventListener('online', () => session.retryNow());

function Root() {
  const [lang, setLangState] = useState<Lang>(() => detectLanguage(navigator.languages, localStorage.getItem(LANG_KEY)));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(
    () => ({
      store,
      session,
      lang,
      setLang(l: Lang) {
        localStorage.setItem(LANG_KEY, l);
        setLangState(l);
      },
      t: (key: string, ...args: (string | number)[]) => translate(lang, key, ...args),
    }),
    [lang],
  );
  return (
    <AppContext.Provider value={value}>
      <App />
    </AppContext.Provider>
  );
}

render(<Root />, document.getElementById('app')!);
