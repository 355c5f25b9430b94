// The business's settings (admin only): clock and money, booking rules, and who the business texts and how often.
import { api } from "./api.js";
import { act, field, h, showDone } from "./dom.js";
import { t } from "./i18n.js";

// Each setting: its API name and the kind of input; grouped as the owner thinks of them.
const GROUPS = [
  ["settings.business", [["name", "text"], ["timezone", "text"], ["currency", "text"], ["country", "text"], ["businessPhone", "tel"]]],
  [
    "settings.booking",
    [
      ["slotInterval", "number"],
      ["bufferBefore", "number"],
      ["bufferAfter", "number"],
      ["minNoticeMinutes", "number"],
      ["maxDaysAhead", "number"],
      ["cancelCutoffHours", "number"],
      ["lateCancelRefundPercent", "number"],
      ["holdMinutes", "number"],
      ["maxUnpaidHolds", "number"],
      ["maxUpcoming", "number"],
      ["noShowGraceMinutes", "number"],
    ],
  ],
  ["settings.texts", [["alertPhone", "tel"], ["smsCountries", "codes"], ["textsPerNumberPerDay", "number"], ["textsPerCustomerPerDay", "number"]]],
];

const shown = (kind, value) => (kind === "codes" ? (value || []).join(", ") : String(value ?? ""));

function read(kind, raw) {
  if (kind === "number") return raw.trim() === "" ? raw : Number(raw);
  if (kind === "codes") return raw.split(",").map((c) => c.trim()).filter(Boolean);
  return raw.trim();
}

export async function show() {
  const { settings } = await api.get("/admin/settings");
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "settings" },
    GROUPS.map(([title, names]) => [
      h("h2", {}, t(title)),
      names.map(([name, kind]) =>
        field(
          t(`settings.${name}`),
          h("input", { type: kind === "codes" ? "text" : kind, name, value: shown(kind, settings[name]), "data-setting": name }),
        ),
      ),
    ]),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("settings.save"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const changed = {}; // only what the owner edited: an untouched field is never sent back
    for (const [, names] of GROUPS) {
      for (const [name, kind] of names) {
        const raw = form.elements[name].value;
        if (raw !== shown(kind, settings[name])) changed[name] = read(kind, raw);
      }
    }
    act(form.querySelector("button[type=submit]"), async () => {
      const saved = await api.put("/admin/settings", changed);
      Object.assign(settings, saved.settings); // what is stored now is what the next save compares with
      for (const [, names] of GROUPS) for (const [name, kind] of names) form.elements[name].value = shown(kind, settings[name]);
      showDone(t("settings.saved"));
    });
  });
  return h("section", { class: "screen", "data-screen": "settings" }, h("h1", {}, t("settings.title")), form);
}
