// The day (every staff member side by side) and the week (one staff member), drawn on one time axis.
import { allStaff, api, businessToday } from "./api.js";
import { act, addDays, clock, dayName, field, h, minutes, mondayOf, select, showDone } from "./dom.js";
import { t } from "./i18n.js";

const PX_PER_MINUTE = 1.2;

export async function day(ctx) {
  const today = await businessToday();
  const date = ctx.params.get("date") || today;
  const { overview } = await api.get("/appointments/schedule/overview", { date });
  const columns = overview.staff.map((member) => ({ key: member.id, title: member.name, ...member }));
  const go = (d) => ctx.go(`#/today?date=${d}`);
  return h(
    "section",
    { class: "screen", "data-screen": "day" },
    h("h1", {}, t("day.title"), " ", h("span", { class: "muted", "data-testid": "day-date" }, `${date} · ${dayName(date, "long")}`)),
    dayNavigation(date, today, go),
    h(
      "p",
      { class: "totals" },
      t("day.totals", {
        appointments: overview.totals.appointments,
        blocks: overview.totals.blocks,
        booked: overview.totals.bookedMinutes,
        free: overview.totals.freeMinutes,
      }),
    ),
    timeline(columns, ctx),
    blockForm(overview.staff, date, ctx),
  );
}

export async function week(ctx) {
  const staff = await allStaff();
  const staffId = ctx.params.get("staff") || staff[0]?.id;
  const today = await businessToday();
  const start = mondayOf(ctx.params.get("date") || today);
  const end = addDays(start, 6);
  const { schedule } = await api.get(`/appointments/staff/${encodeURIComponent(staffId)}/schedule`, {
    startDate: start,
    endDate: end,
  });
  const columns = schedule.map((d) => ({ key: d.date, title: dayName(d.date), today: d.date === today, ...d }));
  const go = (params) => ctx.go(`#/week?staff=${params.staff ?? staffId}&date=${params.date ?? start}`);
  return h(
    "section",
    { class: "screen", "data-screen": "week" },
    h("h1", {}, t("week.title"), " ", h("span", { class: "muted" }, `${start} – ${end}`)),
    h(
      "div",
      { class: "toolbar" },
      field(
        t("field.staff"),
        select("staff", staff.map((m) => [m.id, m.name]), staffId, { onchange: (e) => go({ staff: e.target.value }) }),
      ),
      h("button", { type: "button", onclick: () => go({ date: addDays(start, -7) }) }, "‹ ", t("week.previous")),
      h("button", { type: "button", onclick: () => go({ date: today }) }, t("week.this")),
      h("button", { type: "button", onclick: () => go({ date: addDays(start, 7) }) }, t("week.next"), " ›"),
    ),
    timeline(columns, ctx),
  );
}

function dayNavigation(date, today, go) {
  return h(
    "div",
    { class: "toolbar" },
    h("button", { type: "button", onclick: () => go(addDays(date, -1)) }, "‹ ", t("day.previous")),
    h("button", { type: "button", onclick: () => go(today), disabled: date === today }, t("day.today")),
    h("button", { type: "button", onclick: () => go(addDays(date, 1)) }, t("day.next"), " ›"),
    h("input", { type: "date", value: date, "aria-label": t("field.date"), onchange: (e) => e.target.value && go(e.target.value) }),
  );
}

// Columns of working hours, appointments and blocks on a shared time axis (the union of everyone's hours).
function timeline(columns, ctx) {
  let first = 9 * 60;
  let last = 18 * 60;
  for (const column of columns) {
    for (const range of [...column.workingHours, ...column.blocks, ...column.appointments.map(span)]) {
      first = Math.min(first, minutes(range.start));
      last = Math.max(last, minutes(range.end === "00:00" ? "24:00" : range.end));
    }
  }
  first = Math.floor(first / 60) * 60;
  last = Math.min(24 * 60, Math.ceil(last / 60) * 60);
  const height = (last - first) * PX_PER_MINUTE;
  const place = (start, end) => ({
    top: `${(minutes(start) - first) * PX_PER_MINUTE}px`,
    height: `${Math.max(18, (minutes(end === "00:00" ? "24:00" : end) - minutes(start)) * PX_PER_MINUTE)}px`,
  });
  const style = (box) => `top:${box.top};height:${box.height}`;
  const hours = [];
  for (let m = first; m < last; m += 60) hours.push(m);
  return h(
    "div",
    { class: "calendar", style: `--columns:${columns.length}` },
    h(
      "div",
      { class: "axis", style: `height:${height}px` },
      hours.map((m) => h("span", { style: `top:${(m - first) * PX_PER_MINUTE}px` }, clock(m))),
    ),
    columns.map((column) =>
      h(
        "div",
        { class: `column${column.today ? " today" : ""}`, "data-column": column.key },
        h("div", { class: "column-head" }, column.title),
        h(
          "div",
          { class: "column-body", style: `height:${height}px` },
          hours.map((m) => h("i", { class: "hour-line", style: `top:${(m - first) * PX_PER_MINUTE}px` })),
          column.workingHours.map((r) => h("div", { class: "working", style: style(place(r.start, r.end)) })),
          column.blocks.map((b) =>
            h(
              "div",
              { class: "block", style: style(place(b.start, b.end)), "data-block": b.id },
              h("b", {}, `${b.start}–${b.end} `, t("block.blocked")),
              h("span", {}, b.reason || ""),
              h(
                "button",
                {
                  type: "button",
                  class: "small",
                  onclick: (e) =>
                    act(e.currentTarget, async () => {
                      await api.delete(`/appointments/schedule/unblock/${encodeURIComponent(b.id)}`);
                      showDone(t("block.removed", { start: b.start, end: b.end }));
                      ctx.refresh();
                    }),
                },
                t("block.unblock"),
              ),
            ),
          ),
          column.appointments.map((a) =>
            h(
              "a",
              {
                class: `appointment status-${a.status}`,
                href: `#/appointment/${a.id}`,
                style: style(place(a.timeSlot, a.endTime)),
                "data-appointment": a.id,
                title: `${a.timeSlot}–${a.endTime} ${a.customerInfo?.name || ""} · ${a.serviceName} · ${t(`status.${a.status}`)}`,
              },
              h("b", {}, `${a.timeSlot} ${a.customerInfo?.name || ""}`),
              h("span", {}, `${a.serviceName} · ${t(`status.${a.status}`)}`),
              processing(a),
            ),
          ),
        ),
      ),
    ),
  );
}

// The stretches of a service in which the staff member is free (a colour processing): drawn inside it.
function processing(appointment) {
  let offset = 0;
  const bands = [];
  for (const segment of appointment.segments || []) {
    if (segment.staffFree) {
      bands.push(
        h(
          "i",
          {
            class: "processing",
            style: `top:${offset * PX_PER_MINUTE}px;height:${segment.minutes * PX_PER_MINUTE}px`,
            title: segment.label || t("day.processing"),
          },
          t("day.processing"),
        ),
      );
    }
    offset += segment.minutes;
  }
  return bands;
}

function span(appointment) {
  return { start: appointment.timeSlot, end: appointment.endTime };
}

function blockForm(staff, date, ctx) {
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "block" },
    h("h2", {}, t("block.title")),
    field(t("field.staff"), select("staffId", staff.map((m) => [m.id, m.name]), staff[0]?.id)),
    field(t("field.date"), h("input", { type: "date", name: "date", value: date, required: true })),
    field(t("field.start"), h("input", { type: "time", name: "start", step: 300, required: true })),
    field(t("field.end"), h("input", { type: "time", name: "end", step: 300, required: true })),
    field(t("field.reason"), h("input", { type: "text", name: "reason", maxlength: 200 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("block.submit"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    act(form.querySelector("button[type=submit]"), async () => {
      await api.post("/appointments/schedule/block", {
        staffId: data.staffId,
        date: data.date,
        timeSlot: { start: data.start, end: data.end },
        reason: data.reason,
      });
      showDone(t("block.added", { start: data.start, end: data.end }));
      if (data.date === date) ctx.refresh();
      else ctx.go(`#/today?date=${data.date}`);
    });
  });
  return form;
}
