// The operator dashboard: polls api/overview every 5 s and draws it. Plain DOM and
// Chart.js (Debian's libjs-chart.js); no other code, nothing from the network.
"use strict";

const REFRESH_MS = 5000;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const charts = {};

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "number";
  return td;
}

function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

async function call(path, options) {
  const response = await fetch(path, Object.assign({credentials: "same-origin", cache: "no-store"}, options || {}));
  if (response.status === 401 || response.status === 403) {
    const body = await response.json().catch(() => ({}));
    const error = new Error(body.error || "not allowed");
    error.status = response.status;
    throw error;
  }
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}

function drawChart(id, queues, value) {
  const datasets = queues.map((q, i) => ({
    label: q.name,
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    borderWidth: 2,
    data: q.history.map(s => ({x: s.t, y: value(s)})),
    pointRadius: 0,
    tension: 0.2,
  }));
  if (!charts[id]) {
    charts[id] = new Chart(document.getElementById(id), {
      type: "line",
      data: {datasets},
      options: {
        animation: false,
        parsing: false,
        scales: {
          x: {type: "linear", ticks: {callback: t => new Date(t).toISOString().substring(11, 16)}},
          y: {beginAtZero: true},
        },
      },
    });
  } else {
    charts[id].data.datasets = datasets;
    charts[id].update();
  }
}

function render(overview) {
  document.getElementById("host").textContent = "host " + overview.host;
  document.getElementById("status").textContent = "updated " + new Date(overview.now).toISOString().substring(11, 19) + " UTC";

  const queues = document.querySelector("#queues tbody");
  queues.replaceChildren();
  for (const q of overview.queues) {
    const row = queues.insertRow();
    row.dataset.queue = q.name;
    if (q.oldest_pending_seconds > 600) row.className = "backlog";
    cell(row, q.name);
    cell(row, q.plugin);
    cell(row, q.pending, true).classList.add("pending");
    cell(row, q.in_flight, true).classList.add("in-flight");
    cell(row, q.oldest_pending_seconds, true).classList.add("oldest");
    cell(row, q.parked_deliveries, true).classList.add("parked");
    const toLms = cell(row, q.to_lms + (q.to_lms_retrying ? " (" + q.to_lms_retrying + " retrying, oldest " + q.oldest_to_lms_seconds + " s)" : ""), true);
    toLms.classList.add("to-lms");
    if (q.to_lms_retrying > 0) toLms.classList.add("retrying");
    const state = cell(row, q.paused ? "paused" : "running");
    if (q.paused) state.className = "paused";
  }

  const plugins = document.querySelector("#plugins tbody");
  plugins.replaceChildren();
  for (const p of overview.failing_plugins) {
    const row = plugins.insertRow();
    cell(row, p.queue);
    cell(row, p.plugin);
    for (const key of ["graded", "failed", "error", "timeout", "stuck", "worker_exits"]) cell(row, p[key], true);
  }

  const parked = document.querySelector("#parked tbody");
  parked.replaceChildren();
  for (const d of overview.parked_deliveries) {
    const row = parked.insertRow();
    row.dataset.delivery = d.id;
    cell(row, d.id, true);
    cell(row, d.submission, true);
    cell(row, d.queue);
    cell(row, d.kind);
    cell(row, d.attempts, true);
    cell(row, new Date(d.created).toISOString().replace("T", " ").substring(0, 19));
    cell(row, d.error);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "resend";
    button.dataset.id = d.id;
    button.textContent = "Resend";
    button.addEventListener("click", () => resend("id=" + encodeURIComponent(d.id)));
    row.insertCell().appendChild(button);
  }
  document.getElementById("resend-all").disabled = overview.parked_deliveries.length === 0;

  if (window.Chart) {
    drawChart("chart-depth", overview.queues, s => s.pending);
    drawChart("chart-age", overview.queues, s => s.oldest);
    drawChart("chart-rate", overview.queues, s => s.per_minute);
  }
}

async function refresh() {
  try {
    render(await call("api/overview"));
    show("login", false);
    show("dashboard", true);
    document.body.dataset.state = "ready";
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      show("dashboard", false);
      show("login", true);
      document.getElementById("login-error").textContent = error.status === 403 ? error.message : "";
      document.body.dataset.state = "login";
    } else {
      document.getElementById("status").textContent = "cannot reach the server: " + error.message;
    }
  }
}

async function resend(form) {
  try {
    const result = await call("api/resend", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-Xqueue-Dashboard": "1"},
      body: form,
    });
    document.getElementById("status").textContent = "resending " + result.resent + " deliveries";
  } catch (error) {
    document.getElementById("status").textContent = "resend failed: " + error.message;
  }
  refresh();
}

document.getElementById("resend-all").addEventListener("click", () => resend("all=1"));
document.getElementById("login-form").addEventListener("submit", async event => {
  event.preventDefault();
  const body = new URLSearchParams(new FormData(event.target));
  const response = await fetch("/xqueue/login/", {method: "POST", body, credentials: "same-origin"});
  const reply = await response.json().catch(() => ({return_code: 1, content: "HTTP " + response.status}));
  if (reply.return_code !== 0) {
    document.getElementById("login-error").textContent = reply.content;
    return;
  }
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MS);
