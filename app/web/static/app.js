// Progressive enhancement for OpsMaturity pages. Every page works without this file:
// forms post and redirect. With it, each answer is saved the moment it changes, follow-up
// questions appear and disappear in place, "Copy link" buttons copy, and an open assessment's
// completion refreshes itself.
"use strict";

(function () {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  function itemFields(form, itemId) {
    const body = new URLSearchParams();
    body.append("csrf_token", csrfToken());
    body.append("item", itemId);
    for (const [name, value] of new FormData(form)) {
      if (name === `a.${itemId}` || name === `s.${itemId}` || name === `m.${itemId}`) {
        body.append(name, value);
      }
    }
    return body;
  }

  function showProgress(answered, total) {
    const bar = document.querySelector("[data-progress]");
    if (!bar) return;
    bar.max = total;
    bar.value = answered;
    bar.textContent = `${Math.round((100 * answered) / Math.max(total, 1))}%`;
    const label = document.querySelector(`label[for="${bar.id}"]`);
    if (label) label.textContent = `${answered} of ${total} questions answered`;
  }

  function showConditionalItems(hidden) {
    const hiddenSet = new Set(hidden);
    for (const fieldset of document.querySelectorAll("fieldset[data-item]")) {
      fieldset.hidden = hiddenSet.has(fieldset.dataset.item);
    }
  }

  async function save(form, fieldset) {
    const itemId = fieldset.dataset.item;
    const status = fieldset.querySelector("[data-status-for]");
    status.textContent = "Saving…";
    status.classList.remove("item__status--error");
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        headers: { "X-CSRF-Token": csrfToken(), Accept: "application/json" },
        body: itemFields(form, itemId),
        credentials: "same-origin",
      });
      if (response.status === 403) {
        // The page's form token no longer matches the browser's session (app/web/page_security.py).
        status.textContent = "Not saved: this page has expired. Reload the page to keep answering; answers saved before are safe.";
        status.classList.add("item__status--error");
        return;
      }
      const result = await response.json();
      if (result.saved) {
        status.textContent = "Saved";
        fieldset.classList.remove("item--error");
      } else {
        status.textContent = `Not saved: ${result.error || "please check this answer"}`;
        status.classList.add("item__status--error");
      }
      if (typeof result.answered === "number") showProgress(result.answered, result.total);
      if (Array.isArray(result.hidden)) showConditionalItems(result.hidden);
    } catch (error) {
      status.textContent = "Not saved yet: check your connection. Your answer is kept on this page; press Save and continue when you are back online.";
      status.classList.add("item__status--error");
    }
  }

  function keepExclusiveChoices(input) {
    if (input.type !== "checkbox") return;
    const group = input.closest("fieldset").querySelectorAll(`input[type="checkbox"][name="${input.name}"]`);
    if (!input.checked) return;
    for (const other of group) {
      if (other === input) continue;
      if (input.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) other.checked = false;
    }
  }

  for (const form of document.querySelectorAll("form[data-autosave]")) {
    form.addEventListener("change", (event) => {
      const fieldset = event.target.closest("fieldset[data-item]");
      if (!fieldset) return;
      keepExclusiveChoices(event.target);
      save(form, fieldset);
    });
  }

  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      const text = source.value || source.textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch (error) {
        source.select && source.select();
        document.execCommand && document.execCommand("copy");
      }
      const original = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = original; }, 2000);
    });
  }

  // The target fields belong to one questionnaire. When another is chosen, they are taken out
  // of the form (a disabled fieldset is not sent) until its own targets are shown; without
  // this script, the server refuses targets sent for another questionnaire.
  for (const targets of document.querySelectorAll("fieldset[data-targets-for]")) {
    const form = targets.closest("form");
    const select = form && form.querySelector('select[name="questionnaire_id"]');
    const note = form && form.querySelector("[data-targets-note]");
    if (!select) continue;
    select.addEventListener("change", () => {
      const same = select.value === targets.dataset.targetsFor;
      targets.disabled = !same;
      targets.hidden = !same;
      if (note) note.hidden = same;
    });
  }

  // Listened for on the document, so forms put in place by the completion refresh ask too.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-confirm]")) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // An open assessment's completion: ask for its completion panel and respondents table every
  // ten seconds and put them in place of the page's own; stop once it is no longer open.
  // Without this script, reloading the page shows the same.
  const LIVE_REFRESH_MS = 10000;
  const LIVE_NOTE = "This list updates itself every 10 seconds while the assessment is open.";
  const describeLive = () => {
    for (const note of document.querySelectorAll("[data-live-note]")) note.textContent = LIVE_NOTE;
  };
  for (const source of document.querySelectorAll("[data-live-refresh]")) {
    const url = source.dataset.liveRefresh;
    describeLive();
    const refresh = async () => {
      let again = true;
      if (!document.hidden) {
        try {
          const response = await fetch(url, {
            headers: { Accept: "text/html" },
            credentials: "same-origin",
            cache: "no-store",
          });
          const fragment = new DOMParser().parseFromString(await response.text(), "text/html");
          const status = fragment.querySelector("[data-live-status]");
          // Signed out, deleted or closed: the page stays as it is, and a reload tells why.
          again = response.ok && status !== null && status.dataset.liveStatus === "open";
          if (response.ok && status !== null) {
            for (const fresh of fragment.querySelectorAll("[data-live]")) {
              const current = document.querySelector(`[data-live="${fresh.dataset.live}"]`);
              // A part in use (focus inside, e.g. on a Remove button) is left alone this time.
              if (!current || current.contains(document.activeElement)) continue;
              current.replaceWith(document.adoptNode(fresh));
            }
            describeLive();
          }
        } catch (error) {
          // offline for a moment: ask again
        }
      }
      if (again) setTimeout(refresh, LIVE_REFRESH_MS);
    };
    setTimeout(refresh, LIVE_REFRESH_MS);
  }

  // A report still being prepared: ask its status every few seconds and, once it is ready, put
  // its download link in place of the status. Without this script, the Refresh link beside
  // the status reloads the page, which then shows the link.
  const REPORT_POLL_MS = 2500;
  const REPORT_POLL_LIMIT = 240; // ten minutes; a render takes seconds
  for (const status of document.querySelectorAll("[data-report-status]")) {
    let asked = 0;
    const ask = async () => {
      asked += 1;
      try {
        const response = await fetch(status.dataset.reportStatus, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        });
        if (!response.ok) return; // e.g. signed out: the Refresh link still works
        const answer = await response.json();
        if (answer.ready) {
          const link = document.createElement("a");
          link.className = status.dataset.reportClass;
          link.href = status.dataset.reportHref;
          link.textContent = status.dataset.reportLabel;
          status.replaceChildren(link);
          status.removeAttribute("data-report-status");
          return;
        }
      } catch (error) {
        // offline for a moment: ask again
      }
      if (asked < REPORT_POLL_LIMIT) setTimeout(ask, REPORT_POLL_MS);
    };
    setTimeout(ask, REPORT_POLL_MS);
  }

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
