import { render } from 'preact';
import { useMemo, useState, useEffect } from 'preact/hooks';
import { App } from './ui/App';
import { AppContext } from './ui/context';
import { createStore } from './net/store';
import { Session, websocketUrl } from './net/session';
import { initialState, reduce, type Action, type ChatState } from './state/reducer';
import { RESUME_KEY, parseResume, resumeFromState, serializeResume } from './state/resume';
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
function readSession(): string | null {
  try {
    return sessionStorage.getItem(RESUME_KEY);
  } catch {
    return null; // storage disabled: no resuming
  }
}
const saved = parseResume(readSession());
let lastSaved: string | null = null;
function saveSession() {
  const s = store.getState();
  const r = s.status.state === 'idle' ? null : resumeFromState(s, session.credentials);
  const text = r ? serializeResume(r) : '';
  if (text === lastSaved) return;
  lastSaved = text;
  try {
    if (text) sessionStorage.setItem(RESUME_KEY, text);
    else sessionStorage.removeItem(RESUME_KEY);
  } catch {
    /* storage full or disabled: the next reload shows the join form */
  }
}
store.subscribe(saveSession);
session.onCredentialsChange = saveSession;
if (saved) session.resume(saved);

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
