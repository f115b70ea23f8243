import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Action, ChatState } from '../state/reducer';
import type { Store } from '../net/store';
import type { Session } from '../net/session';
import type { Lang, T } from '../i18n';
import type { ReportSubject } from '../state/report';

export interface AppContextValue {
  store: Store<ChatState, Action>;
  session: Session;
  lang: Lang;
  setLang(lang: Lang): void;
  t: T;
}

export const AppContext = createContext<AppContextValue>(null as unknown as AppContextValue);

export function useApp(): AppContextValue {
  return useContext(AppContext);
}

/**
 * Opens the report dialog (App holds it) about a message or a person; focus goes back to
 * `returnFocus` when it closes.
 */
export type OpenReport = (subject: ReportSubject, returnFocus: HTMLElement | null) => void;

export const ReportContext = createContext<OpenReport>(() => {});

export function useOpenReport(): OpenReport {
  return useContext(ReportContext);
}

/** The current chat state; re-renders on every change. */
export function useChatState(): ChatState {
  const { store } = useApp();
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}

/** A clock that ticks every second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setMatches(mq.matches);
    mq.addEventListener('change', on);
    on();
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return matches;
}
