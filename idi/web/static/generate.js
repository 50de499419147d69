/* The generate page: the catalogue of document types; a form built from the chosen type's JSON
   schema (objects as fieldsets, lists as repeatable items, dates as date inputs, choices as
   selects), prefilled with the type's example; the server validates exactly as `idi generate`
   does and its Chinese messages are shown next to the fields they name. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const el = idi.el;
  const SKIP = new Set(["pack", "photo"]); // pack: chosen above the form; photo: file paths, CLI only
  let groups = [];
  let info = null;   // the chosen type's form (schema, example, packs …)
  let root = null;   // the form's root node
  let dirty = false;
  let serial = 0;

  async function init() {
    try {
      groups = (await idi.api("GET", "/api/doctypes")).groups;
    } catch (error) {
      $("types").replaceChildren(el("p", { class: "problem" }, error.message));
      return;
    }
    showTypes("");
    $("type-search").addEventListener("input", (e) => showTypes(e.target.value.trim()));
    const wanted = new URLSearchParams(location.search).get("type");
    if (wanted) choose(wanted);
  }

  function showTypes(query) {
    const box = $("types");
    box.replaceChildren();
    for (const group of groups) {
      const types = group.types.filter((t) => !query || t.title.includes(query) || t.id.includes(query) ||
        t.aliases.some((a) => a.includes(query)));
      if (!types.length) continue;
      box.append(el("h3", {}, group.title), el("ul", {}, types.map((t) => el("li", {},
        el("button", { type: "button", "data-type": t.id, title: t.summary, "aria-current": info && info.id === t.id ? "true" : "false",
          onclick: () => choose(t.id) }, t.title)))));
    }
  }

  async function choose(typeId, pack) {
    if (dirty && info && !confirm("表单中已填写的内容将被示例数据替换，是否继续？")) return;
    const panel = $("form-panel");
    panel.replaceChildren(el("p", { class: "muted" }, "正在读取……"));
    try {
      info = await idi.api("GET", `/api/doctypes/${encodeURIComponent(typeId)}` + (pack ? `?pack=${encodeURIComponent(pack)}` : ""));
    } catch (error) {
      panel.replaceChildren(el("p", { class: "problem" }, error.message));
      return;
    }
    for (const button of document.querySelectorAll("#types button")) {
      button.setAttribute("aria-current", button.dataset.type === info.id ? "true" : "false");
    }
    history.replaceState(null, "", `/generate?type=${encodeURIComponent(info.id)}`);
    renderForm(info.example);
  }

  // --- the form ------------------------------------------------------------------------------------

  function renderForm(value) {
    const panel = $("form-panel");
    dirty = false;
    const packSelect = el("select", { id: "pack", onchange: (e) => { choose(info.id, e.target.value); } },
      info.packs.map((p) => el("option", { value: p.id, selected: p.id === info.pack }, `${p.city}（${p.id}）${p.in_force ? "" : " · 已失效"}`)));
    const format = el("select", { id: "format" }, el("option", { value: "docx" }, "Word（.docx）"), el("option", { value: "pdf" }, "PDF"));
    const draft = el("input", { type: "checkbox", id: "draft" });
    const head = el("div", { class: "formhead" },
      el("div", {}, el("h2", { id: "form-title" }, info.title), el("p", { class: "muted small" }, info.summary)),
      el("div", { class: "actions" },
        el("label", { class: "field" }, "城市（规则包）", packSelect),
        el("label", { class: "field" }, "输出格式", format)));
    root = build(info.schema, value, "", null, true, null, true);
    const submit = el("button", { type: "submit", id: "generate" }, "生成并下载");
    const form = el("form", { id: "doc-form", novalidate: true },
      root.el,
      el("div", { class: "row form-actions" }, submit,
        el("label", { class: "small" }, draft, " 草稿：缺项标注【待补】并加“草稿”水印"),
        el("button", { type: "button", class: "secondary", onclick: () => { dirty = false; renderForm(info.example); } }, "恢复示例数据")));
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", (e) => { e.preventDefault(); submitForm(); });
    panel.replaceChildren(head, el("div", { id: "messages", "aria-live": "assertive" }), form);
  }

  function deref(schema) {
    let s = schema || {};
    let optional = false;
    if (s.anyOf) {
      const kinds = s.anyOf.filter((a) => a.type !== "null");
      optional = kinds.length < s.anyOf.length;
      if (kinds.length === 1) s = { ...kinds[0], title: s.title, description: s.description };
      else if (kinds.some((k) => k.type === "number")) s = { type: "decimal", title: s.title, description: s.description };
      else s = { type: "string", title: s.title, description: s.description };
    }
    if (s.$ref) {
      const name = s.$ref.split("/").pop();
      s = { ...info.schema.$defs[name], title: s.title || info.schema.$defs[name].title, description: s.description };
    }
    return { schema: s, optional };
  }

  function idFor(path) {
    return "f-" + (path || "root").replace(/[^A-Za-z0-9_-]/g, "_") + "-" + (++serial);
  }

  // Each node: {el, get()}; get() gives undefined when nothing is entered (the key is left out).
  function build(raw, value, path, title, required, description, top) {
    const { schema, optional } = deref(raw);
    required = required && !optional;
    title = title || schema.title || path.split(".").pop();
    description = description === undefined ? raw.description : description;
    if (schema.type === "object" && schema.properties) return objectNode(schema, value, path, title, required, top);
    if (schema.type === "object" && schema.additionalProperties) return pairsNode(schema, value, path, title, required);
    if (schema.type === "array") return listNode(schema, value, path, title, required, description);
    return scalarNode(schema, value, path, title, required, description);
  }

  function objectNode(schema, value, path, title, required, top) {
    value = value && typeof value === "object" ? value : {};
    const children = [];
    const grid = el("div", { class: "grid" });
    const nested = [];
    const need = new Set(schema.required || []);
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (SKIP.has(name)) continue;
      const child = build(prop, value[name], path ? `${path}.${name}` : name, prop.title, need.has(name), prop.description);
      children.push([name, child]);
      if (child.block) nested.push(child.el);
      else grid.append(child.el);
    }
    const body = [grid.childElementCount ? grid : null, ...nested];
    const node = top
      ? el("div", { "data-path": path }, el("div", { class: "err", "data-err": "" }), ...body)
      : el("fieldset", { class: required ? "" : "optional", "data-path": path }, el("legend", {}, title),
          el("div", { class: "err", "data-err": "" }), ...body);
    return {
      el: node, block: true,
      get() {
        const out = {};
        for (const [name, child] of children) {
          const v = child.get();
          if (v !== undefined) out[name] = v;
        }
        // nothing entered: leave it out (a required one is then reported missing by the server)
        if (!Object.keys(out).length && !top) return undefined;
        return out;
      },
    };
  }

  function pairsNode(schema, value, path, title, required) {
    const names = (schema.propertyNames && schema.propertyNames.enum) || [];
    const list = el("div", { class: "pairs" });
    const items = [];
    const labels = info.milestones || {};
    function add(key, date) {
      const id = idFor(path + ".key");
      const select = el("select", { id, "aria-label": `${title}：事项` }, el("option", { value: "" }, "（选择事项）"),
        names.map((n) => el("option", { value: n, selected: n === key }, labels[n] ? `${labels[n]}（${n}）` : n)));
      const input = el("input", { type: "date", value: date || "", "aria-label": `${title}：日期` });
      const row = el("div", { class: "pair", "data-path": key ? `${path}.${key}` : null });
      const item = { select, input, row };
      select.addEventListener("change", () => { row.dataset.path = `${path}.${select.value}`; });
      row.append(select, input, el("button", { type: "button", class: "danger", onclick: () => { row.remove(); items.splice(items.indexOf(item), 1); dirty = true; } }, "删除"));
      items.push(item);
      list.append(row);
    }
    for (const [k, v] of Object.entries(value || {})) add(k, v);
    const node = el("fieldset", { class: required ? "" : "optional", "data-path": path }, el("legend", {}, title),
      el("div", { class: "err", "data-err": "" }), list,
      el("button", { type: "button", class: "secondary", onclick: () => { add("", ""); dirty = true; } }, "＋ 添加日期"));
    return {
      el: node, block: true,
      get() {
        const out = {};
        for (const { select, input } of items) if (select.value || input.value) out[select.value || "（未选择事项）"] = input.value || "";
        return Object.keys(out).length ? out : undefined;
      },
    };
  }

  function listNode(schema, value, path, title, required, description) {
    const itemSchema = schema.items || { type: "string" };
    const list = el("div", { class: "items" });
    const items = [];
    const scalar = !deref(itemSchema).schema.properties;
    function renumber() {
      items.forEach((item, i) => {
        item.label.textContent = `第 ${i + 1} 项`;
        item.box.dataset.path = `${path}[${i}]`;
        for (const inner of item.box.querySelectorAll("[data-path]")) {
          inner.dataset.path = inner.dataset.path.replace(new RegExp(`^${escapeRe(item.prefix)}`), `${path}[${i}]`);
        }
        item.prefix = `${path}[${i}]`;
      });
    }
    function add(v) {
      const index = items.length;
      const prefix = `${path}[${index}]`;
      const child = build(itemSchema, v, prefix, `第 ${index + 1} 项`, true, null);
      const label = el("span", {}, `第 ${index + 1} 项`);
      const box = el("div", { class: "item", "data-path": prefix });
      const item = { child, label, box, prefix };
      box.append(el("div", { class: "itemhead" }, label,
        el("button", { type: "button", class: "danger", onclick: () => { box.remove(); items.splice(items.indexOf(item), 1); renumber(); dirty = true; } }, "删除此项")),
        child.el);
      if (!scalar && child.el.tagName === "FIELDSET") {
        // the item box already frames it: show the item's fields without a second frame
        child.el.classList.add("bare");
      }
      items.push(item);
      list.append(box);
    }
    for (const v of Array.isArray(value) ? value : []) add(v);
    const hint = description ? el("p", { class: "hint muted small" }, description) : null;
    const node = el("fieldset", { class: required ? "" : "optional", "data-path": path }, el("legend", {}, title), hint,
      el("div", { class: "err", "data-err": "" }), list,
      el("button", { type: "button", class: "secondary", onclick: () => { add(undefined); dirty = true; } }, "＋ 添加一项"));
    return {
      el: node, block: true,
      get() {
        const out = items.map((item) => item.child.get()).filter((v) => v !== undefined);
        return out.length ? out : undefined;
      },
    };
  }

  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function scalarNode(schema, value, path, title, required, description) {
    const id = idFor(path);
    let input;
    const shown = value === undefined || value === null ? "" : String(value);
    if (schema.enum) {
      input = el("select", { id }, el("option", { value: "" }, required ? "（请选择）" : "（不填）"),
        schema.enum.map((v) => el("option", { value: v, selected: String(v) === shown }, String(v))));
    } else if (schema.type === "boolean") {
      input = el("select", { id }, el("option", { value: "" }, required ? "（请选择）" : "（不填）"),
        el("option", { value: "true", selected: value === true }, "是"), el("option", { value: "false", selected: value === false }, "否"));
    } else if (schema.format === "date") {
      input = el("input", { id, type: "date", value: shown });
    } else if (schema.type === "integer") {
      input = el("input", { id, type: "number", step: "1", min: schema.minimum, max: schema.maximum, value: shown });
    } else if (schema.type === "number" || schema.type === "decimal") {
      input = el("input", { id, type: "text", inputmode: "decimal", value: shown });
    } else if (shown.length > 40) {
      input = el("textarea", { id, rows: String(Math.min(6, Math.ceil(shown.length / 60) + 1)) }, shown);
    } else {
      input = el("input", { id, type: "text", value: shown });
    }
    if (required) input.setAttribute("aria-required", "true");
    const hintId = description ? id + "-hint" : null;
    const errId = id + "-err";
    input.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
    const box = el("div", { class: "fieldbox" + (input.tagName === "TEXTAREA" ? " wide" : ""), "data-path": path },
      el("label", { for: id }, title, required ? el("span", { class: "req", "aria-hidden": "true" }, "*") : null),
      input,
      description ? el("span", { class: "hint", id: hintId }, description) : null,
      el("span", { class: "err", id: errId, "data-err": "" }));
    return {
      el: box, block: false,
      get() {
        const v = input.value.trim();
        if (v === "") return undefined;
        if (schema.type === "boolean") return v === "true";
        if (schema.type === "integer" && /^-?\d+$/.test(v)) return parseInt(v, 10);
        return v;
      },
    };
  }

  // --- submitting ----------------------------------------------------------------------------------

  function clearErrors() {
    for (const node of document.querySelectorAll("[data-err]")) node.textContent = "";
    for (const node of document.querySelectorAll("[aria-invalid=true]")) node.removeAttribute("aria-invalid");
    $("messages").replaceChildren();
  }

  function placeFor(path) {
    let p = path;
    while (p) {
      const found = document.querySelector(`#doc-form [data-path="${CSS.escape(p)}"]`);
      if (found) return found;
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }

  function showErrors(detail, errors) {
    const box = el("div", { class: "errors", role: "alert", tabindex: "-1" });
    const lines = errors.length ? errors : [];
    box.append(el("b", {}, lines.length ? `有 ${lines.length} 处问题，未生成：` : "未生成："));
    if (lines.length) {
      box.append(el("ul", {}, lines.map((e) => {
        const place = placeFor(e.path);
        if (place) {
          const target = place.querySelector("[data-err]");
          if (target) target.textContent = (target.textContent ? target.textContent + "；" : "") + (e.problem || e.line);
          const control = place.matches(".fieldbox") ? place.querySelector("input, select, textarea") : null;
          if (control) control.setAttribute("aria-invalid", "true");
        }
        return el("li", {}, place
          ? el("button", { type: "button", class: "link", onclick: () => focusPlace(place) }, e.line)
          : e.line);
      })));
      const rest = detail.split("\n").filter((l) => !/^\s{2}\S/.test(l) || !lines.some((e) => l.trim() === e.line)).slice(1);
      if (rest.length) box.append(el("pre", { class: "small" }, rest.join("\n")));
    } else {
      box.append(el("pre", { class: "small" }, detail));
    }
    $("messages").replaceChildren(box);
    box.focus();
  }

  function focusPlace(place) {
    const control = place.querySelector("input, select, textarea, button");
    place.scrollIntoView({ block: "center" });
    if (control) control.focus();
  }

  async function submitForm() {
    clearErrors();
    const button = $("generate");
    const fmt = $("format").value;
    button.disabled = true;
    $("messages").replaceChildren(el("p", { class: "muted", role: "status" }, fmt === "pdf" ? "正在生成并转换为 PDF（约需几秒）……" : "正在生成……"));
    const data = { pack: $("pack").value, ...root.get() };
    try {
      const response = await fetch("/api/generate", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ type: info.id, data, format: fmt, draft: $("draft").checked }),
      });
      if (response.status === 401) { location.href = "/login?next=/generate"; return; }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({ detail: `生成失败（${response.status}）`, errors: [] }));
        showErrors(problem.detail || "", problem.errors || []);
        return;
      }
      const blob = await response.blob();
      const name = filename(response.headers.get("Content-Disposition")) || `${info.id}.${fmt}`;
      const warnings = JSON.parse(decodeURIComponent(response.headers.get("X-Idi-Warnings") || "%5B%5D"));
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name, class: "hidden" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      const done = [el("p", { class: "ok", role: "status" }, `已生成 ${name}（${idi.size(blob.size)}），浏览器正在下载。`)];
      if (warnings.length) done.push(el("div", { class: "warnings" }, el("b", {}, "请注意："), el("ul", {}, warnings.map((w) => el("li", {}, w)))));
      $("messages").replaceChildren(...done);
    } catch (error) {
      $("messages").replaceChildren(el("p", { class: "errors", role: "alert" }, error.message));
    } finally {
      button.disabled = false;
    }
  }

  function filename(header) {
    if (!header) return null;
    const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    const plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : null;
  }

  document.addEventListener("DOMContentLoaded", init);
})();
