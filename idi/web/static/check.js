/* The check page: choose files (drag and drop, files or a folder), upload them to a private job,
   follow the checking, show the verdicts and each finding's evidence, offer the reports. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const el = idi.el;
  let options = { suffixes: [".pdf", ".docx", ".txt"], max_files: 500, max_upload_mb: 200 };
  let chosen = [];      // {file, name}
  let skipped = [];     // {name, why}
  let job = null;       // {id, ...summary}
  let rows = new Map(); // index -> {tr, detail, row}
  let filter = "all";
  let polling = null;

  async function init() {
    $("pick-files").addEventListener("click", () => $("file-input").click());
    $("pick-folder").addEventListener("click", () => $("folder-input").click());
    $("file-input").addEventListener("change", (e) => { addFiles([...e.target.files].map((f) => ({ file: f, name: f.name }))); e.target.value = ""; });
    $("folder-input").addEventListener("change", (e) => { addFiles([...e.target.files].map((f) => ({ file: f, name: f.webkitRelativePath || f.name }))); e.target.value = ""; });
    const zone = $("dropzone");
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", async (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      addFiles(await droppedFiles(e.dataTransfer));
    });
    $("start").addEventListener("click", start);
    $("reset").addEventListener("click", reset);
    $("cancel").addEventListener("click", cancel);
    for (const button of document.querySelectorAll("[data-filter]")) {
      button.addEventListener("click", () => setFilter(button.dataset.filter));
    }
    try {
      options = await idi.api("GET", "/api/options");
    } catch (error) {
      $("status").textContent = error.message;
    }
    for (const pack of options.packs || []) {
      $("jurisdiction").append(el("option", { value: pack.id }, `${pack.city}（${pack.id}）`));
    }
    for (const kind of options.kinds || []) {
      $("kind").append(el("option", { value: kind.id }, kind.title));
    }
    const names = options.suffixes.map((s) => s.slice(1).toUpperCase()).join("、");
    $("accepted").textContent = `支持 ${names}；文件夹中的其他文件会被跳过`;
    $("file-input").setAttribute("accept", options.suffixes.join(","));
    $("limits").textContent = `每次最多 ${options.max_files} 个文件，合计不超过 ${options.max_upload_mb} MB。` +
      `文件只保存在服务器的临时文件夹中，检查完毕即删除；报告保留 ${options.keep_minutes} 分钟。`;
  }

  // --- choosing files ---------------------------------------------------------------------------

  async function droppedFiles(transfer) {
    const entries = [...(transfer.items || [])].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    if (!entries.length) return [...transfer.files].map((f) => ({ file: f, name: f.name }));
    const found = [];
    async function walk(entry, prefix) {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        found.push({ file, name: prefix + file.name });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (!batch.length) break;
          for (const child of batch) await walk(child, prefix + entry.name + "/");
        }
      }
    }
    for (const entry of entries) await walk(entry, "");
    return found;
  }

  function acceptable(name) {
    const parts = name.split("/");
    const base = parts[parts.length - 1];
    if (parts.some((p) => p.startsWith(".")) || base.startsWith("~$")) return "隐藏文件或临时文件";
    const dot = base.lastIndexOf(".");
    const suffix = dot >= 0 ? base.slice(dot).toLowerCase() : "";
    if (!options.suffixes.includes(suffix)) return "不支持的文件类型";
    return null;
  }

  function addFiles(files) {
    if (job) return;
    const known = new Set(chosen.map((c) => c.name + "|" + c.file.size));
    for (const item of files) {
      const why = acceptable(item.name);
      if (why) { skipped.push({ name: item.name, why }); continue; }
      const key = item.name + "|" + item.file.size;
      if (!known.has(key)) { known.add(key); chosen.push(item); }
    }
    showChosen();
  }

  function showChosen() {
    const box = $("picked");
    box.replaceChildren();
    const total = chosen.reduce((sum, c) => sum + c.file.size, 0);
    const tooMany = chosen.length > options.max_files;
    const tooBig = total > options.max_upload_mb * 1024 * 1024;
    if (chosen.length) {
      box.append(el("p", {}, el("b", {}, `已选择 ${chosen.length} 个文件`), `（共 ${idi.size(total)}）`,
        " ", el("button", { type: "button", class: "link", onclick: () => { chosen = []; skipped = []; showChosen(); } }, "清空")));
      box.append(el("ul", {}, chosen.slice(0, 200).map((c) => el("li", {}, c.name, el("span", { class: "muted small" }, `  ${idi.size(c.file.size)}`))),
        chosen.length > 200 ? el("li", { class: "muted" }, `…… 另有 ${chosen.length - 200} 个`) : null));
    }
    if (skipped.length) {
      box.append(el("p", { class: "skipped" }, `跳过 ${skipped.length} 个文件：`,
        skipped.slice(0, 8).map((s) => `${s.name}（${s.why}）`).join("，") + (skipped.length > 8 ? " ……" : "")));
    }
    if (tooMany) box.append(el("p", { class: "problem", role: "alert" }, `文件数超过上限 ${options.max_files} 个，请分批检查。`));
    if (tooBig) box.append(el("p", { class: "problem", role: "alert" }, `文件合计超过 ${options.max_upload_mb} MB，请分批检查。`));
    $("start").disabled = !chosen.length || tooMany || tooBig;
  }

  // --- running a job ----------------------------------------------------------------------------

  function status(text, problem) {
    $("status").replaceChildren(problem ? el("span", { class: "problem" }, text) : text);
  }

  async function start() {
    $("start").disabled = true;
    for (const id of ["jurisdiction", "kind", "pick-files", "pick-folder"]) $(id).disabled = true;
    $("progress-panel").classList.remove("hidden");
    $("downloads").classList.add("hidden");
    $("results").querySelector("tbody").replaceChildren();
    rows = new Map();
    $("cancel").classList.remove("hidden");
    try {
      job = await idi.api("POST", "/api/jobs", { jurisdiction: $("jurisdiction").value, kind: $("kind").value });
      await uploadAll();
      job = await idi.api("POST", `/api/jobs/${job.id}/start`);
      status("正在检查……");
      render(job);
      poll();
    } catch (error) {
      if (job && job.cancelled) return;
      status(error.message, true);
      $("cancel").classList.add("hidden");
      $("reset").classList.remove("hidden");
    }
  }

  async function cancel() {
    if (!job || !job.id) return;
    const id = job.id;
    job = { ...job, cancelled: true, state: "cancelled" };
    clearTimeout(polling);
    try { await idi.api("DELETE", `/api/jobs/${id}`); } catch (error) { /* already gone */ }
    status("已取消：上传的文件和结果已从服务器删除。", true);
    $("cancel").classList.add("hidden");
    $("reset").classList.remove("hidden");
  }

  function uploadOne(item, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", `/api/jobs/${job.id}/files?name=${encodeURIComponent(item.name)}`);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject(Object.assign(new Error(data.detail || `上传失败（${xhr.status}）`), { status: xhr.status }));
      };
      xhr.onerror = () => reject(new Error(`“${item.name}”上传失败：网络错误`));
      xhr.send(item.file);
    });
  }

  async function uploadAll() {
    const total = chosen.reduce((sum, c) => sum + c.file.size, 0) || 1;
    const loaded = new Array(chosen.length).fill(0);
    let done = 0, next = 0;
    const refused = [];
    const show = () => {
      const bytes = loaded.reduce((a, b) => a + b, 0);
      $("bar").style.width = `${Math.round((bytes / total) * 100)}%`;
      status(`正在上传 ${done} / ${chosen.length} 个文件（${idi.size(bytes)} / ${idi.size(total)}）……`);
    };
    async function worker() {
      while (next < chosen.length && !job.cancelled) {
        const i = next++;
        try {
          await uploadOne(chosen[i], (bytes) => { loaded[i] = bytes; show(); });
        } catch (error) {
          if (error.status === 413 || error.status === 401 || error.status === 404) throw error;
          refused.push(error.message);
        }
        loaded[i] = chosen[i].file.size;
        done++;
        show();
      }
    }
    await Promise.all([worker(), worker(), worker()]);
    if (refused.length) $("picked").append(el("p", { class: "problem" }, `未上传 ${refused.length} 个文件：`, refused.join("；")));
    if (refused.length === chosen.length) throw new Error("没有可以检查的文件");
  }

  function poll() {
    clearTimeout(polling);
    polling = setTimeout(async () => {
      try {
        if (job.cancelled) return;
        job = await idi.api("GET", `/api/jobs/${job.id}`);
        render(job);
        if (["done", "failed", "cancelled"].includes(job.state)) return finished(job);
      } catch (error) {
        if (job.cancelled) return;
        status(error.message, true);
        $("cancel").classList.add("hidden");
        $("reset").classList.remove("hidden");
        return;
      }
      poll();
    }, 700);
  }

  function finished(summary) {
    $("cancel").classList.add("hidden");
    $("reset").classList.remove("hidden");
    if (summary.state === "failed") return status(`检查出错：${summary.message || "未知原因"}`, true);
    if (summary.state === "cancelled") return status("检查已取消。", true);
    $("bar").style.transition = "none";
    $("bar").style.width = "100%";
    const c = summary.counts;
    status(`检查完成：${summary.files} 个文件，通过 ${c.pass}，不合格 ${c.fail}，无法读取 ${c.error}，用时 ${summary.seconds} 秒。`);
    for (const fmt of ["html", "xlsx", "json"]) {
      $(`dl-${fmt}`).href = `/api/jobs/${summary.id}/reports/${fmt}`;
    }
    $("downloads").classList.remove("hidden");
  }

  function render(summary) {
    const share = summary.files ? summary.checked / summary.files : 0;
    $("bar").style.width = `${Math.round(share * 100)}%`;
    if (summary.state === "queued") status("排队中：前面还有检查任务……");
    else if (summary.state === "running") status(`正在检查 ${summary.checked} / ${summary.files} 个文件……`);
    const c = summary.counts;
    $("counts").replaceChildren(
      el("div", { class: "count" }, el("b", {}, summary.files), "个文件"),
      el("div", { class: "count pass" }, el("b", {}, c.pass), "通过"),
      el("div", { class: "count fail" }, el("b", {}, c.fail), "不合格"),
      el("div", { class: "count error" }, el("b", {}, c.error), "无法读取"));
    const body = $("results").querySelector("tbody");
    for (const row of summary.rows) {
      let entry = rows.get(row.index);
      if (!entry) {
        entry = { tr: el("tr", { class: "file" }), detail: null, row: null };
        entry.tr.addEventListener("click", (e) => { if (!e.target.closest("button")) toggle(row.index); });
        rows.set(row.index, entry);
        body.append(entry.tr);
      }
      if (entry.row && entry.row.status === row.status) continue;
      entry.row = row;
      fillRow(entry, row);
    }
    applyFilter();
  }

  function fillRow(entry, row) {
    const id = `detail-${row.index}`;
    const name = el("button", { type: "button", class: "link", "aria-expanded": entry.detail ? "true" : "false",
      "aria-controls": id, disabled: row.status === null, onclick: () => toggle(row.index) }, row.name);
    const verdict = row.status === null
      ? el("span", { class: "badge pending" }, job.state === "running" ? "检查中" : "待检查")
      : el("span", { class: `badge ${row.status}` }, idi.STATUS[row.status]);
    const rules = [];
    const rule = (id, cls) => el("li", { class: cls }, cls === "warned" ? "提示：" : "", row.titles[id] || id, " ",
      el("code", {}, id));
    if (row.status === "error") rules.push(el("span", { class: "problem" }, row.reason || "无法读取"));
    else if (row.status !== null) {
      const items = [...row.failed.map((id) => rule(id, "failed")), ...row.warned.map((id) => rule(id, "warned"))];
      if (items.length) rules.push(el("ul", { class: "rulelist" }, items));
    }
    entry.tr.dataset.status = row.status || "pending";
    entry.tr.replaceChildren(el("td", { class: "name" }, name), el("td", {}, row.kind_title || ""),
      el("td", {}, row.city || ""), el("td", {}, verdict), el("td", { class: "rules" }, ...rules));
  }

  async function toggle(index) {
    const entry = rows.get(index);
    if (!entry || entry.row.status === null) return;
    const button = entry.tr.querySelector("td.name button");
    if (entry.detail) {
      entry.detail.remove();
      entry.detail = null;
      entry.tr.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const cell = el("td", { colspan: "5" }, "正在读取……");
    entry.detail = el("tr", { class: "detail", id: `detail-${index}` }, cell);
    entry.detail.dataset.status = entry.tr.dataset.status;
    entry.tr.after(entry.detail);
    entry.tr.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    try {
      const result = await idi.api("GET", `/api/jobs/${job.id}/files/${index}`);
      cell.replaceChildren(...detail(result));
    } catch (error) {
      cell.replaceChildren(el("p", { class: "problem" }, error.message));
    }
  }

  function detail(result) {
    const parts = [];
    parts.push(el("p", {}, el("b", {}, result.name), "　",
      el("span", { class: `badge ${result.status}` }, result.status_text),
      result.pages ? el("span", { class: "muted small" }, `　共 ${result.pages} 页`) : null,
      result.cached ? el("span", { class: "muted small" }, "　（结果来自缓存）") : null));
    if (result.error) parts.push(el("p", { class: "problem" }, "无法读取：", result.reason || result.error));
    if (result.notes && result.notes.length) parts.push(el("ul", { class: "notes" }, result.notes.map((n) => el("li", {}, n))));
    if (!result.error && !result.findings.length) parts.push(el("p", { class: "muted" }, "该规则包对这类文书没有条款要求。"));
    for (const f of result.findings) {
      const evidence = f.evidence.length
        ? f.evidence.map((e) => el("blockquote", {}, el("span", { class: "where" }, e.where || "位置不详",
            typeof e.ocr_confidence === "number" ? `（文字识别，置信度 ${Math.round(e.ocr_confidence * 100)}%）` : ""),
            ...marked(e.text, e.marks || [])))
        : [el("p", { class: "muted small" }, "（没有找到相关原文）")];
      parts.push(el("article", { class: `finding ${f.status}` },
        el("h4", {}, el("span", { class: `badge ${f.status}` }, f.status_text), f.title, el("code", {}, f.rule),
          el("span", { class: "muted small" }, f.level_text)),
        el("p", { class: "message" }, f.message),
        ...evidence,
        el("p", { class: "citation" }, "依据：", f.citation),
        f.requirement ? el("details", {}, el("summary", {}, "法规原文"), el("p", { class: "small" }, f.requirement)) : null));
    }
    return parts;
  }

  function marked(text, spans) {
    const parts = [];
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at) continue;
      parts.push(text.slice(at, start), el("mark", {}, text.slice(start, end)));
      at = end;
    }
    parts.push(text.slice(at));
    return parts;
  }

  function setFilter(value) {
    filter = value;
    for (const button of document.querySelectorAll("[data-filter]")) {
      button.setAttribute("aria-pressed", button.dataset.filter === value ? "true" : "false");
    }
    applyFilter();
  }

  function applyFilter() {
    for (const entry of rows.values()) {
      const show = filter === "all" || entry.tr.dataset.status === filter;
      entry.tr.classList.toggle("hidden", !show);
      if (entry.detail) entry.detail.classList.toggle("hidden", !show);
    }
  }

  function reset() {
    if (job && !job.cancelled && !["done", "failed", "cancelled"].includes(job.state)) return;
    clearTimeout(polling);
    job = null;
    chosen = [];
    skipped = [];
    rows = new Map();
    showChosen();
    for (const id of ["jurisdiction", "kind", "pick-files", "pick-folder"]) $(id).disabled = false;
    $("progress-panel").classList.add("hidden");
    $("reset").classList.add("hidden");
    $("bar").style.transition = "";
    $("bar").style.width = "0";
  }

  document.addEventListener("DOMContentLoaded", init);
})();
