// The console's language: English and Simplified Chinese, one file of strings each. `{name}` marks a value put in.
import en from "./strings_en.js";
import zh from "./strings_zh.js";

export const LANGUAGES = [
  ["en", "English"],
  ["zh-CN", "中文"],
];

export const STRINGS = { en, "zh-CN": zh };

const LANG_KEY = "slotbook.console.lang";
let current = pick(localStorage.getItem(LANG_KEY) || navigator.language || "en");

function pick(wanted) {
  return wanted.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function lang() {
  return current;
}

export function setLang(code) {
  current = pick(code);
  localStorage.setItem(LANG_KEY, current);
}

export function has(key) {
  return key in STRINGS[current] || key in STRINGS.en;
}

export function t(key, values) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? "")) : text;
}
