// Building the page: h() for elements, the notice bar for what the API said, and small formatters.
import { has, lang, t } from "./i18n.js";

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), v);
    else if (key === "class") el.className = v;
    else if (key === "value") value = v;
    else if (key === "checked" || key === "disabled" || key === "selected") el[key] = Boolean(v);
    else el.setAttribute(key, v === true ? "" : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  if (value !== undefined) el.value = value; // after the options, so a <select> keeps it
  return el;
}

export function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", {}, label), control, hint ? h("small", {}, hint) : null);
}

export function select(name, options, value, props) {
  return h(
    "select",
    { name, value, ...props },
    options.map(([v, text]) => h("option", { value: v }, text)),
  );
}

const notice = () => document.getElementById("notice");

export function clearNotice() {
  const bar = notice();
  bar.hidden = true;
  bar.replaceChildren();
  bar.className = "notice";
  delete bar.dataset.code;
}

// An error from the API, shown where the person looks: what it means, the server's words, the fields.
export function showError(error) {
  const bar = notice();
  const code = error.code || "UNKNOWN";
  const fields = Object.entries(error.fields || {});
  bar.className = "notice error";
  bar.dataset.code = code;
  const parts = [
    h("strong", {}, has(`error.${code}`) ? t(`error.${code}`) : t("error.generic")),
    " ",
    h("span", { class: "detail" }, error.message || ""),
    " ",
    h("code", {}, error.status ? `${error.status} ${code}` : code),
    fields.length ? h("ul", {}, fields.map(([k, v]) => h("li", {}, h("b", {}, k), ": ", String(v)))) : null,
    h("button", { type: "button", class: "close", "aria-label": t("close"), onclick: clearNotice }, "×"),
  ];
  bar.replaceChildren(...parts.filter(Boolean));
  bar.hidden = false;
  bar.scrollIntoView({ block: "nearest" });
}

export function showDone(message) {
  const bar = notice();
  bar.className = "notice done";
  delete bar.dataset.code;
  bar.replaceChildren(
    h("span", {}, message),
    h("button", { type: "button", class: "close", "aria-label": t("close"), onclick: clearNotice }, "×"),
  );
  bar.hidden = false;
}

// Runs one action of a button or form: busy while it runs, every failure shown, never swallowed.
export async function act(button, action) {
  clearNotice();
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

export function money(amount, currency) {
  if (amount === null || amount === undefined) return "";
  try {
    return new Intl.NumberFormat(lang(), { style: "currency", currency: currency || "CNY" }).format(amount);
  } catch {
    return `${Number(amount).toFixed(2)} ${currency || ""}`;
  }
}

export function percent(value) {
  return `${Number(value || 0).toFixed(1)}%`;
}

export function status(value) {
  return h("span", { class: `status status-${value}` }, t(`status.${value}`));
}

// "2026-11-23" → weekday and date in the chosen language (computed at noon UTC: no time zone can shift it).
export function dayName(date, style = "short") {
  const at = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat(lang(), { weekday: style, month: "numeric", day: "numeric", timeZone: "UTC" }).format(at);
}

export function addDays(date, days) {
  const at = new Date(`${date}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export function mondayOf(date) {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export function minutes(hhmm) {
  const [hours, mins] = hhmm.split(":").map(Number);
  return hours * 60 + mins;
}

export function clock(total) {
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}
