/*
 * Zhizao — small progressive enhancements. Loaded with `defer`, after htmx.
 * Every behaviour hangs on a data attribute and every page works without it:
 *
 *   form[data-autosubmit]        a change of a select, checkbox or radio submits the form
 *                                (form.requestSubmit(), so htmx sees the submit event)
 *   [data-confirm="text"]        on a form, a submit button or a link: confirm() first
 *   form[data-once]              block a second submit; buttons show busy; reset on pageshow
 *   [data-copy="text"]           copy the text (or, if empty, the text of
 *                                [data-copy-target="#id"] or the element itself);
 *                                data-copied-label="…" is shown for a moment after copying
 *   select[data-parent-select="id_parent"]
 *                                dependent selects (province → city → district, or
 *                                division → group → class): options carry data-parent; only
 *                                those of the chosen parent stay selectable, and a change of
 *                                parent clears the child (and its children). Without JS every
 *                                option stays listed and the server validates the pair.
 *   .dropzone                    highlights while a file is dragged over it, takes a drop
 *                                anywhere in the zone, shows the chosen file name
 *   details.nav-drawer           open from 1024px, closed below (the server renders it open)
 *   details.filters-drawer       open from 640px, closed on phones (the server renders it open)
 *   details.user-menu            closes on Escape or on a click elsewhere
 *   input[data-sum="name"]       number inputs summed into output[data-sum-output="name"]
 *                                (yuan, two places); any empty input shows the output's
 *                                data-incomplete-label instead (unknown is not zero)
 *
 * It also sends Django's CSRF token with htmx requests that change data.
 * No eval, no inline code, nothing global but `window.Zhizao` (for tests).
 */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.add("js");

  function closest(el, selector) {
    return el && el.closest ? el.closest(selector) : null;
  }

  /* ---- dependent selects ------------------------------------------------- */

  var LEVELS = ["province", "city", "district"];

  function parentSelectOf(select) {
    var id = select.getAttribute("data-parent-select");
    if (id) return doc.getElementById(id.replace(/^#/, ""));
    // fallback: the previous region level in the same form
    var level = LEVELS.indexOf(select.getAttribute("data-region-level"));
    if (level > 0 && select.form) {
      return select.form.querySelector('select[data-region-level="' + LEVELS[level - 1] + '"]');
    }
    return null;
  }

  function childSelectsOf(select) {
    var scope = select.form || doc;
    var out = [];
    scope.querySelectorAll("select[data-parent-select], select[data-region-level]").forEach(function (s) {
      if (s !== select && parentSelectOf(s) === select) out.push(s);
    });
    return out;
  }

  // The parent values whose children may be listed: the chosen one; with no choice, every
  // option the parent itself still lists (so a district list follows the chosen province
  // while no city is chosen); null means all.
  function allowedParents(parent) {
    var values = Object.create(null);
    if (parent.value) {
      values[parent.value] = true;
      return values;
    }
    if (!parentSelectOf(parent)) return null;
    parent.querySelectorAll("option[data-parent]").forEach(function (opt) {
      if (!opt.hidden && opt.value) values[opt.value] = true;
    });
    return values;
  }

  // Show only the options of the allowed parents; returns true if the value was cleared.
  function filterOptions(child, parent) {
    var allowed = allowedParents(parent);
    var cleared = false;
    child.querySelectorAll("option").forEach(function (opt) {
      var p = opt.getAttribute("data-parent");
      if (p === null) return; // "all" / placeholder options stay
      var show = allowed === null || allowed[p] === true;
      opt.hidden = !show;
      opt.disabled = !show;
      if (!show && opt.selected) {
        opt.selected = false;
        cleared = true;
      }
    });
    child.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    if (cleared) child.value = "";
    return cleared;
  }

  function cascade(parent, reset) {
    childSelectsOf(parent).forEach(function (child) {
      if (reset) child.value = "";
      filterOptions(child, parent);
      cascade(child, reset);
    });
  }

  function initDependentSelects(root) {
    (root.querySelectorAll ? root : doc).querySelectorAll("select[data-parent-select], select[data-region-level]").forEach(function (s) {
      var parent = parentSelectOf(s);
      if (parent) filterOptions(s, parent);
    });
  }

  /* ---- change: dependent selects first, then autosubmit ---------------- */

  // Capture phase, so that the form's own listeners (htmx hx-trigger="change")
  // read the values after the children have been reset.
  doc.addEventListener("change", function (event) {
    var el = event.target;
    if (el.tagName === "SELECT" && childSelectsOf(el).length) cascade(el, true);

    var form = el.form;
    if (!form || !form.hasAttribute("data-autosubmit")) return;
    var autosubmit = el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && (el.type === "checkbox" || el.type === "radio"));
    if (!autosubmit || el.hasAttribute("data-no-autosubmit")) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }, true);

  /* ---- confirm ----------------------------------------------------------- */

  function confirmText(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) return submitter.getAttribute("data-confirm");
    if (form.hasAttribute("data-confirm")) return form.getAttribute("data-confirm");
    return null;
  }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    var text = confirmText(form, event.submitter);
    if (text && !window.confirm(text)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (form.hasAttribute("data-once")) {
      if (form.getAttribute("data-submitted") === "true") {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      // mark now, disable after the browser has built the form data (a disabled
      // submitter would drop its name=value, e.g. name="action" value="commit")
      form.setAttribute("data-submitted", "true");
      var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
      buttons.forEach(function (b) {
        b.setAttribute("aria-disabled", "true");
        if (b === event.submitter) b.classList.add("is-busy");
      });
      window.setTimeout(function () {
        if (!event.defaultPrevented) buttons.forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  }, true);

  // links and non-submit buttons with data-confirm
  doc.addEventListener("click", function (event) {
    var el = closest(event.target, "a[data-confirm], button[data-confirm][type='button']");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function resetOnceForm(form) {
    form.removeAttribute("data-submitted");
    form.querySelectorAll("[aria-disabled='true'], .is-busy").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
      b.classList.remove("is-busy");
    });
  }

  function resetOnceForms(root) {
    (root || doc).querySelectorAll("form[data-once]").forEach(resetOnceForm);
  }

  // back/forward cache: the page comes back with disabled buttons otherwise
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) resetOnceForms(doc);
  });

  // a form submitted by htmx stays on the page: re-arm it when the request ends
  doc.addEventListener("htmx:afterRequest", function (event) {
    var form = closest(event.target, "form[data-once]");
    if (form) resetOnceForm(form);
  });

  /* ---- copy to clipboard ------------------------------------------------- */

  function textToCopy(el) {
    var value = el.getAttribute("data-copy");
    if (value) return value;
    var target = el.getAttribute("data-copy-target");
    var source = target ? doc.querySelector(target) : el;
    if (!source) return "";
    return ("value" in source && source.tagName !== "BUTTON") ? source.value : source.textContent.trim();
  }

  function fallbackCopy(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copied(el) {
    var label = el.getAttribute("data-copied-label");
    var labelNode = el.querySelector(".copy-label") || el;
    var before = labelNode.textContent;
    el.setAttribute("data-copied", "");
    if (label) labelNode.textContent = label;
    window.setTimeout(function () {
      el.removeAttribute("data-copied");
      if (label) labelNode.textContent = before;
    }, 1600);
  }

  doc.addEventListener("click", function (event) {
    var el = closest(event.target, "[data-copy]");
    if (!el) return;
    event.preventDefault();
    var text = textToCopy(el);
    if (!text) return;
    var p = (navigator.clipboard && window.isSecureContext)
      ? navigator.clipboard.writeText(text)
      : fallbackCopy(text);
    p.then(function () { copied(el); }, function () { /* leave the text selectable */ });
  });

  /* ---- dropzone ------------------------------------------------------------ */

  function showFileName(zone, input) {
    var out = zone.querySelector(".dropzone-file");
    if (!out) return;
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    out.textContent = names.join("、");
  }

  doc.addEventListener("dragover", function (event) {
    var zone = closest(event.target, ".dropzone");
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("is-dragover");
  });
  doc.addEventListener("dragleave", function (event) {
    var zone = closest(event.target, ".dropzone");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("is-dragover");
  });
  doc.addEventListener("drop", function (event) {
    var zone = closest(event.target, ".dropzone");
    if (!zone) return;
    zone.classList.remove("is-dragover");
    var input = zone.querySelector('input[type="file"]');
    if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
    if (event.target === input) return; // the browser sets the files itself
    event.preventDefault();
    try {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    } catch (e) { /* old browser: the user chooses with the button */ }
  });
  doc.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file") return;
    var zone = closest(input, ".dropzone");
    if (zone) showFileName(zone, input);
  });

  /* ---- navigation drawer, user menu ------------------------------------------ */

  // Drawers are rendered open (so they work without JS); on small screens they start closed.
  var desktop = window.matchMedia("(min-width: 1024px)");
  var tablet = window.matchMedia("(min-width: 640px)");

  function syncDrawer() {
    doc.querySelectorAll("details.nav-drawer").forEach(function (d) { d.open = desktop.matches; });
    doc.querySelectorAll("details.filters-drawer").forEach(function (d) { d.open = tablet.matches; });
  }
  [desktop, tablet].forEach(function (mq) {
    if (mq.addEventListener) mq.addEventListener("change", syncDrawer);
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    doc.querySelectorAll("details.user-menu[open], details.nav-drawer[open]").forEach(function (d) {
      if (d.classList.contains("nav-drawer") && desktop.matches) return;
      d.open = false;
      var summary = d.querySelector("summary");
      if (summary && d.contains(doc.activeElement)) summary.focus();
    });
  });
  doc.addEventListener("click", function (event) {
    doc.querySelectorAll("details.user-menu[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.open = false;
    });
  });

  /* ---- htmx: CSRF header, re-initialise swapped content ------------------------- */

  function cookie(name) {
    var match = doc.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  doc.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    if (verb === "get" || verb === "head") return;
    var input = doc.querySelector('input[name="csrfmiddlewaretoken"]');
    var token = cookie("csrftoken") || (input && input.value);
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });

  doc.addEventListener("htmx:load", function (event) {
    initDependentSelects(event.target);
  });

  /* ---- sums: a total of number inputs (project investment) ---------------------- */

  function updateSum(name) {
    var out = doc.querySelector('output[data-sum-output="' + name + '"]');
    if (!out) return;
    var total = 0;
    var complete = true;
    doc.querySelectorAll('input[data-sum="' + name + '"]').forEach(function (input) {
      var value = input.value.trim();
      var number = Number(value);
      if (value === "" || !isFinite(number)) complete = false;
      else total += Math.round(number * 100);
    });
    if (!complete) {
      out.textContent = out.getAttribute("data-incomplete-label") || "";
      return;
    }
    var yuan = (total / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    out.textContent = "¥" + yuan;
  }

  doc.addEventListener("input", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-sum");
    if (name) updateSum(name);
  });

  /* ---- start ------------------------------------------------------------------- */

  function init() {
    syncDrawer();
    initDependentSelects(doc);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();

  window.Zhizao = { cascade: cascade, initDependentSelects: initDependentSelects, resetOnceForms: resetOnceForms };
})();

/*
 * Rule editor (policies): select[data-fact-select] in a [data-editor-row] offers only the
 * operators of the chosen fact's type in the row's select[data-op-select] (options carry
 * data-kind / data-kinds) and marks the row with data-kind (titles rows show their
 * checkboxes). Without JS every operator stays listed and the server names a wrong one.
 */
(function () {
  "use strict";

  var doc = document;

  function filterOperators(factSelect) {
    var row = factSelect.closest("[data-editor-row]");
    if (!row) return;
    var chosen = factSelect.options[factSelect.selectedIndex];
    var kind = chosen ? chosen.getAttribute("data-kind") || "" : "";
    row.setAttribute("data-kind", kind);
    var op = row.querySelector("select[data-op-select]");
    if (!op) return;
    Array.prototype.forEach.call(op.options, function (option) {
      var kinds = option.getAttribute("data-kinds");
      var fits = !kind || !kinds || kinds.split(" ").indexOf(kind) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    var selected = op.options[op.selectedIndex];
    if (selected && selected.disabled) op.value = "";
  }

  function initEditor(root) {
    (root || doc).querySelectorAll("select[data-fact-select]").forEach(filterOperators);
  }

  doc.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-fact-select]")) {
      filterOperators(event.target);
    }
  });
  doc.addEventListener("htmx:load", function (event) {
    initEditor(event.target);
  });
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", function () { initEditor(doc); });
  else initEditor(doc);
})();

/* A button that puts a value in a form field (the demand form's category suggestions):
   <button data-set-field="id_category" data-value="mes">. The person can change it again. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-set-field]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-set-field"));
    if (!field) return;
    field.value = button.getAttribute("data-value") || "";
    field.dispatchEvent(new Event("change", { bubbles: true }));
    // a list of search results (the chain-leader search) closes once one is picked
    var options = button.closest("[data-options]");
    if (options) { options.innerHTML = ""; field.focus(); }
  });
})();

/*
 * Narrowing pickers of regions and industries ([data-tree-picker], zhizao/common/pickers.py,
 * and the registry list's filters): choosing a node in select[data-tree-next] fetches its
 * children (htmx, from its data-tree-url: the region_options / industry_options fragment) into
 * the next select, and empties and hides every level below (each in a .tree-picker-level). The
 * "next level" buttons are for pages without JavaScript and are hidden here. In a multiple
 * picker, "Add" turns the deepest chosen node into a checked checkbox (a chip) without a
 * round trip.
 */
(function () {
  "use strict";

  var doc = document;

  function levelOf(select) {
    return select.closest(".tree-picker-level");
  }

  function clearBelow(select) {
    var id = select.getAttribute("data-tree-next");
    var next = id ? doc.getElementById(id) : null;
    while (next) {
      next.innerHTML = "";
      levelOf(next).hidden = true;
      id = next.getAttribute("data-tree-next");
      next = id ? doc.getElementById(id) : null;
    }
  }

  function load(select) {
    var id = select.getAttribute("data-tree-next");
    var target = id ? doc.getElementById(id) : null;
    if (!target || !select.value || !window.htmx) return;
    var url = select.getAttribute("data-tree-url") + "?parent=" + encodeURIComponent(select.value);
    var scope = select.closest("[data-tree-within]");
    if (scope) url += "&within=" + encodeURIComponent(scope.getAttribute("data-tree-within"));
    if (select.closest("[data-tree-choose]")) url += "&choose=1"; // a form's picker asks to choose
    window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" }).then(function () {
      levelOf(target).hidden = target.options.length === 0;
    });
  }

  // capture phase: the levels below are emptied before a filter form's own change handler
  // (htmx) reads the values
  doc.addEventListener("change", function (event) {
    var el = event.target;
    if (el.tagName !== "SELECT" || !el.hasAttribute("data-tree-next")) return;
    clearBelow(el);
    load(el);
  }, true);

  function deepest(picker) {
    var chosen = null;
    var names = [];
    picker.querySelectorAll(".tree-picker-level select").forEach(function (s) {
      if (levelOf(s).hidden || !s.value) return;
      chosen = s;
      names.push(s.options[s.selectedIndex].text);
    });
    return chosen ? { code: chosen.value, label: names.join(" · ") } : null;
  }

  doc.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tree-add]");
    if (!button) return;
    var picker = button.closest("[data-tree-picker]");
    var chips = picker && picker.querySelector("[data-tree-chips]");
    var node = picker && deepest(picker);
    event.preventDefault();
    if (!chips || !node) return;
    var name = chips.getAttribute("data-tree-name");
    var existing = chips.querySelector('input[value="' + node.code + '"]');
    if (existing) {
      existing.checked = true;
    } else {
      var id = picker.querySelector("select").id + "_chip_" + node.code;
      var li = doc.createElement("li");
      li.className = "chip";
      var box = doc.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = node.code;
      box.id = id;
      box.checked = true;
      var label = doc.createElement("label");
      label.htmlFor = id;
      label.textContent = node.label;
      li.appendChild(box);
      li.appendChild(doc.createTextNode(" "));
      li.appendChild(label);
      chips.appendChild(li);
    }
    var first = picker.querySelector(".tree-picker-level select");
    first.value = "";
    clearBelow(first);
  });

  function init(root) {
    (root || doc).querySelectorAll("[data-tree-narrow]").forEach(function (b) { b.hidden = true; });
  }
  doc.addEventListener("htmx:load", function (event) { init(event.target); });
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", function () { init(doc); });
  else init(doc);
})();
