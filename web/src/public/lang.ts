// The public pages' language: the chat's choice (localStorage salon.lang) or the browser's,
// switched from the page's header; the document's lang and title follow it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { detectLanguage, translate, type Lang, type T } from '../i18n';

const LANG_KEY = 'salon.lang';

export interface PublicLang {
  lang: Lang;
  setLang(l: Lang): void;
  t: T;
}

export function usePublicLang(titleKey: string): PublicLang {
  const [lang, setLangState] = useState<Lang>(() => detectLanguage(navigator.languages, localStorage.getItem(LANG_KEY)));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${translate(lang, titleKey)} · Salon`;
  }, [lang]);
  return useMemo(
    () => ({
      lang,
      setLang(l: Lang) {
        localStorage.setItem(LANG_KEY, l);
        setLangState(l);
      },
      t: (key: string, ...args: (string | number)[]) => translate(lang, key, ...args),
    }),
    [lang],
  );
}
