import { createContext, useContext } from 'react';
import { en } from './words-en.ts';
import { zh } from './words-zh.ts';

/** The page's languages: Chinese first (words-zh.ts holds every key), English second (words-en.ts). */
export type Lang = 'zh-CN' | 'en';

export type MessageKey = keyof typeof zh;

const LANG_KEY = 'stockpilot.lang';

export function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => {
    const text = (lang === 'en' ? en[key] : undefined) ?? zh[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}

export const I18n = createContext<{ lang: Lang; t: Translate; setLang: (l: Lang) => void }>({
  lang: 'zh-CN',
  t: translator('zh-CN'),
  setLang: () => {},
});

export const useI18n = () => useContext(I18n);

/** A word for a server value (status, stage, event kind) when one exists; the value itself otherwise. */
export function wordFor(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in zh ? t(key as MessageKey) : value;
}
