// The moderation console's entry (/console): its store and API client, the language (the
// chat's choice, kept in localStorage), and the Preact root.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createStore } from '../net/store';
import { detectLanguage, translate, type Lang } from '../i18n';
import { initialConsoleState, reduceConsole, type ConsoleAction, type ConsoleState } from './state';
import { ConsoleClient } from './client';
import { ConsoleContext } from '../ui/console/context';
import { ConsoleApp } from '../ui/console/ConsoleApp';
import '../styles.css';
import './console.css';

const LANG_KEY = 'salon.lang';

const store = createStore<ConsoleState, ConsoleAction>(reduceConsole, initialConsoleState());
const client = new ConsoleClient(store);
void client.checkSession();

function Root() {
  const [lang, setLangState] = useState<Lang>(() => detectLanguage(navigator.languages, localStorage.getItem(LANG_KEY)));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${translate(lang, 'console.title')} · Salon`;
  }, [lang]);
  const value = useMemo(
    () => ({
      store,
      client,
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
    <ConsoleContext.Provider value={value}>
      <ConsoleApp />
    </ConsoleContext.Provider>
  );
}

render(<Root />, document.getElementById('app')!);
