import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { DICTIONARIES, type Dictionary, type Language } from './dictionary.ts';

const STORAGE_KEY = 'commune-hub.lang';

interface I18nValue {
  lang: Language;
  t: Dictionary;
  toggle: () => void;
}

const I18nContext = createContext<I18nValue | null>(null);

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    // Storage can be blocked (private mode); Vietnamese is the default anyway.
    return 'vi';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(initialLanguage);
  const toggle = useCallback(() => setLang((l) => (l === 'vi' ? 'en' : 'vi')), []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = DICTIONARIES[lang].appTitle;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Not remembering the choice is harmless.
    }
  }, [lang]);

  const value = useMemo(() => ({ lang, t: DICTIONARIES[lang], toggle }), [lang, toggle]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
