// The second seed's Appointments: the scoped list, one appointment with its moves, and the create form.
import { allServices, allStaff, api, businessToday, here } from "./api.js";
import { act, field, h, money, select, showDone, status } from "./dom.js";
import * as fees from "./fees.js";
import { t } from "./i18n.js";
import * as waitlist from "./waitlist.js";

export const SCOPES = ["today", "upcoming", "pending", "confirmed", "completed", "cancelled", "no-show"];
const FINAL = ["completed", "cancelled", "no-show"];

export async function list(ctx) {
  const scope = SCOPES.includes(ctx.params.get("scope")) ? ctx.params.get("scope") : "today";
  const staffId = ctx.params.get("staff") || "";
  const staff = await allStaff();
  const first = await api.get("/appointments", { scope, staffId, ...here() });
  const rows = h("tbody", {}, first.appointments.map(row));
  const more = h("button", { type: "button", hidden: !first.nextCursor }, t("list.more"));
  let cursor = first.nextCursor;
  more.addEventListener("click", () =>
    act(more, async () => {
      const page = await api.get("/appointments", { scope, staffId, cursor, ...here() });
      rows.append(...page.appointments.map(row));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    }),
  );
  const to = (params) => ctx.go(`#/appointments?scope=${params.scope ?? scope}&staff=${params.staff ?? staffId}`);
  return h(
    "section",
    { class: "screen", "data-screen": "list" },
    h("h1", {}, t("list.title")),
    h(
      "nav",
      { class: "tabs", "aria-label": t("list.scopes") },
      SCOPES.map((s) =>
        h("a", { href: `#/appointments?scope=${s}&staff=${staffId}`, class: s === scope ? "active" : "", "data-scope": s }, t(`scope.${s}`)),
      ),
    ),
    h(
      "div",
      { class: "toolbar" },
      field(
        t("field.staff"),
        select("staff", [["", t("list.everyone")], ...staff.map((m) => [m.id, m.name])], staffId, {
          onchange: (e) => to({ staff: e.target.value }),
        }),
      ),
      h("a", { class: "button primary", href: "#/new" }, "+ ", t("nav.new")),
    ),
    first.appointments.length
      ? h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { "data-table": "appointments" },
            h("thead", {}, h("tr", {}, ["field.when", "field.customer", "field.service", "field.staff", "field.status"].map((k) => h("th", {}, t(k))))),
            rows,
          ),
        )
      : h("p", { class: "empty" }, t("list.empty")),
    more,
  );
}

function row(a) {
  const open = () => (location.hash = `#/appointment/${a.id}`);
  return h(
    "tr",
    { "data-appointment": a.id, class: "clickable", onclick: open },
    h("td", {}, h("a", { href: `#/appointment/${a.id}` }, `${a.date} ${a.timeSlot}–${a.endTime}`)),
    h("td", {}, a.customerInfo?.name || ""),
    h("td", {}, a.serviceName),
    h("td", {}, a.staffName),
    h("td", {}, status(a.status)),
  );
}

export async function detail(ctx) {
  const id = ctx.id;
  const [{ appointment: a, cancellation }, { history }, staff, today] = await Promise.all([
    api.get(`/appointments/${encodeURIComponent(id)}`),
    api.get(`/appointments/${encodeURIComponent(id)}/history`),
    allStaff(),
    businessToday(),
  ]);
  const settledBy = fees.settledByChoice(a);
  const move = (action, label, body = () => undefined) =>
    h(
      "button",
      {
        type: "button",
        class: action === "confirm" ? "primary" : "",
        "data-action": action,
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const { appointment } = await api.put(`/appointments/${encodeURIComponent(id)}/${action}`, body());
            showDone(t("detail.moved", { status: t(`status.${appointment.status}`) }));
            ctx.refresh();
          }),
      },
      label,
    );
  const open = !FINAL.includes(a.status);
  const movable = open && !waitlist.isOpenOffer(a); // an open offer is its customer's to book or let pass
  const facts = [
    ["field.status", status(a.status)],
    ["field.when", `${a.date} ${a.timeSlot}–${a.endTime} (${a.duration} ${t("unit.minutes")}, ${a.timezone})`],
    ["field.customer", a.customerId ? h("a", { href: `#/customer/${a.customerId}` }, a.customerInfo?.name || a.customerId) : a.customerInfo?.name],
    ["field.phone", a.customerInfo?.phone || ""],
    ["field.service", a.serviceName],
    ["field.staff", a.staffName],
    ["detail.assignedBy", a.assignedBy ? t(`policy.${a.assignedBy}`) : null], // null: the customer or the desk chose
    ["field.resources", a.resources?.length ? a.resources.map((r) => `${r.name} (${r.type})`).join(", ") : null],
    ["field.services", visitParts(a)], // null: one service, said above
    ["field.amount", `${money(a.totalAmount, a.currency)} · ${t(`payment.${a.paymentStatus}`)}`],
    ...fees.facts(a, cancellation, open),
    ["field.notes", a.notes || "—"],
    ["detail.confirmationSentAt", a.confirmationSentAt || "—"],
    ["detail.reminderSentAt", a.reminderSentAt || "—"],
    ["detail.cancelledReason", a.cancelledReason || null],
  ].filter(([, v]) => v !== null);
  return h(
    "section",
    { class: "screen", "data-screen": "detail", "data-status": a.status },
    h("h1", {}, `${a.customerInfo?.name || ""} · ${a.serviceName}`),
    waitlist.badge(a, today),
    h("dl", { class: "facts card" }, facts.map(([k, v]) => [h("dt", {}, t(k)), h("dd", { "data-fact": k }, v)])),
    movable
      ? h(
          "div",
          { class: "actions card" },
          a.status === "pending" ? move("confirm", t("action.confirm")) : null,
          settledBy,
          move("complete", t("action.complete"), () => {
            const way = settledBy?.querySelector("select").value;
            return way ? { settledBy: way } : undefined; // nothing chosen: nothing said
          }),
          a.status === "confirmed" ? move("no-show", t("action.noShow")) : null,
        )
      : null,
    fees.waiveForm(a, ctx),
    open ? cancelForm(a, ctx) : null,
    movable ? rescheduleForm(a, staff, ctx) : null,
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("detail.history")),
      h(
        "ol",
        { class: "history" },
        history.map((c) =>
          h(
            "li",
            { "data-entry": c.action }, // not data-action: that names the buttons
            `${c.at.slice(0, 16).replace("T", " ")} · ${c.action} · ${c.from ?? "—"} → ${c.to ?? "—"}`,
            c.reason ? ` · ${c.reason}` : "",
            ` · ${c.by?.role ?? ""}`,
            c.detail ? h("div", { class: "muted", "data-detail": "" }, c.detail) : null,
          ),
        ),
      ),
    ),
  );
}

// A visit's services in order: when, what, who, and the rooms each holds.
function visitParts(a) {
  if (!(a.services?.length > 1)) return null;
  return h(
    "ol",
    { class: "parts" },
    a.services.map((p) =>
      h(
        "li",
        { "data-part": p.serviceId },
        `${p.timeSlot}–${p.endTime} ${p.serviceName} · ${p.staffName}`,
        p.resources.length ? ` · ${p.resources.map((r) => r.name).join(", ")}` : "",
        p.assignedBy ? h("span", { class: "muted" }, ` · ${t(`policy.${p.assignedBy}`)}`) : "",
      ),
    ),
  );
}

function cancelForm(a, ctx) {
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "cancel" },
    h("h2", {}, t("action.cancel")),
    field(t("field.reason"), h("input", { type: "text", name: "reason", maxlength: 200 })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "requestedByCustomer" }), t("cancel.byCustomer")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, t("action.cancel"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    act(form.querySelector("button[type=submit]"), async () => {
      await api.put(`/appointments/${encodeURIComponent(a.id)}/cancel`, {
        reason: data.get("reason") || "Cancelled by staff",
        requestedByCustomer: data.get("requestedByCustomer") === "on",
      });
      showDone(t("detail.moved", { status: t("status.cancelled") }));
      ctx.refresh();
    });
  });
  return form;
}

function rescheduleForm(a, staff, ctx) {
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "reschedule" },
    h("h2", {}, t("action.reschedule")),
    field(t("field.date"), h("input", { type: "date", name: "date", value: a.date, required: true })),
    field(t("field.start"), h("input", { type: "time", name: "timeSlot", value: a.timeSlot, step: 300, required: true })),
    // a visit moves whole: each service keeps its staff member, or the business chooses each again
    a.services?.length > 1
      ? field(t("field.staff"), select("staffId", [["", t("visit.keepStaff")], ["any", t("visit.anyStaff")]], ""))
      : field(t("field.staff"), select("staffId", staff.map((m) => [m.id, m.name]), a.staffId)),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("action.reschedule"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { staffId, ...data } = Object.fromEntries(new FormData(form));
    act(form.querySelector("button[type=submit]"), async () => {
      const body = staffId ? { ...data, staffId } : data;
      const { appointment } = await api.put(`/appointments/${encodeURIComponent(a.id)}/reschedule`, body);
      showDone(t("detail.rescheduled", { when: `${appointment.date} ${appointment.timeSlot}` }));
      ctx.refresh();
    });
  });
  return form;
}

// The seed's "Creating an Appointment": customer, operator, type, scheduled at, duration, notes; status pending.
export async function create(ctx) {
  const [staff, services, today] = await Promise.all([allStaff(), allServices(), businessToday()]);
  const chosen = ctx.params.get("customer")
    ? (await api.get(`/customers/${encodeURIComponent(ctx.params.get("customer"))}`)).customer
    : null;
  const customerId = h("input", { type: "hidden", name: "customerId", value: chosen?.id || "" });
  const name = h("input", { type: "text", name: "name", value: chosen?.name || "", maxlength: 100 });
  const phone = h("input", { type: "tel", name: "phone", value: chosen?.phone || "", maxlength: 30 });
  const pick = (c) => {
    customerId.value = c?.id || "";
    name.value = c?.name || "";
    phone.value = c?.phone || "";
    picked.textContent = c ? t("create.existing", { name: c.name }) : "";
  };
  const picked = h("p", { class: "muted", "data-testid": "picked" }, chosen ? t("create.existing", { name: chosen.name }) : "");
  const matches = h("div", { class: "matches" });
  const search = h("input", { type: "search", name: "lookup", placeholder: t("customers.placeholder") });
  const find = h("button", { type: "button" }, t("customers.search"));
  find.addEventListener("click", () =>
    act(find, async () => {
      const term = search.value.trim();
      const { customers } = await api.get("/customers", /^[+\d\s-]+$/.test(term) ? { phone: term } : { name: term });
      matches.replaceChildren(
        ...(customers.length
          ? customers.map((c) => h("button", { type: "button", class: "small", onclick: () => pick(c) }, `${c.name} ${c.phone}`))
          : [h("span", { class: "muted" }, t("customers.none"))]),
      );
    }),
  );
  // typing a name or phone by hand means a new (or phone-matched) customer, not the one picked
  for (const input of [name, phone]) input.addEventListener("input", () => ((customerId.value = ""), (picked.textContent = "")));
  const service = select("serviceId", services.map((s) => [s.id, `${s.name} · ${s.duration} ${t("unit.minutes")} · ${money(s.price, s.currency)}`]), services[0]?.id);
  const duration = h("input", { type: "number", name: "duration", min: 5, max: 240, step: 5, value: services[0]?.duration ?? 30 });
  service.addEventListener("change", () => (duration.value = services.find((s) => s.id === service.value)?.duration ?? duration.value));
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "create" },
    h("fieldset", {}, h("legend", {}, t("field.customer")), h("div", { class: "inline" }, search, find), matches, picked, customerId,
      field(t("field.name"), name), field(t("field.phone"), phone)),
    field(t("field.operator"), select("staffId", staff.map((m) => [m.id, m.name]), ctx.params.get("staff") || staff[0]?.id)),
    field(t("field.type"), service),
    field(t("field.scheduledAt"), h("input", { type: "datetime-local", name: "scheduledAt", step: 300, required: true, value: `${ctx.params.get("date") || today}T10:00` })),
    field(t("field.duration"), duration),
    field(t("field.status"), h("input", { type: "text", value: t("status.pending"), readonly: true, disabled: true })),
    field(t("field.notes"), h("textarea", { name: "notes", rows: 3, maxlength: 500 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("create.submit"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const body = {
      staffId: data.staffId,
      serviceId: data.serviceId,
      scheduledAt: `${data.scheduledAt.slice(0, 16)}:00`, // no offset: the business's own clock
      duration: Number(data.duration),
      notes: data.notes,
      ...(data.customerId ? { customerId: data.customerId } : { customerInfo: { name: data.name, phone: data.phone } }),
      ...here(),
    };
    act(form.querySelector("button[type=submit]"), async () => {
      const { appointment } = await api.post("/appointments", body);
      showDone(t("create.done", { when: `${appointment.date} ${appointment.timeSlot}` }));
      ctx.go(`#/appointment/${appointment.id}`);
    });
  });
  return h("section", { class: "screen", "data-screen": "create" }, h("h1", {}, t("create.title")), form);
}
