// The moderation console's context: its store and API client, the language and the words.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Store } from '../../net/store';
import type { ConsoleClient } from '../../console/client';
import type { ConsoleAction, ConsoleState } from '../../console/state';
import type { Lang, T } from '../../i18n';

export interface ConsoleContextValue {
  store: Store<ConsoleState, ConsoleAction>;
  client: ConsoleClient;
  lang: Lang;
  setLang(lang: Lang): void;
  t: T;
}

export const ConsoleContext = createContext<ConsoleContextValue>(null as unknown as ConsoleContextValue);

export function useConsole(): ConsoleContextValue {
  return useContext(ConsoleContext);
}

export function useConsoleState(): ConsoleState {
  const { store } = useConsole();
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(() => setState(store.getState()));
  }, [store]);
  return state;
}

/** A clock for relative times, ticking every `ms`. */
export function useClock(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
