// The registry dashboard: say that something is happening while a new selection is computed and
// while a download is prepared (the PDF takes a few seconds). Without JavaScript the form and the
// download links work the same, only silently.
"use strict";
(() => {
  const form = document.querySelector(".analytics-filters");
  const body = document.querySelector(".analytics-body");
  if (form) {
    const note = form.querySelector(".busy-note");
    form.addEventListener("submit", () => {
      form.setAttribute("aria-busy", "true");
      if (body) body.classList.add("busy");
      if (note) note.textContent = "Computing the figures for this selection…";
      form.querySelector("button[type=submit]").disabled = true;
    });
    // Coming back to this page with the browser's Back button shows it as it was left, busy
    // state included: clear it, or the form would stay greyed out and its button disabled.
    window.addEventListener("pageshow", () => {
      form.removeAttribute("aria-busy");
      if (body) body.classList.remove("busy");
      if (note) note.textContent = "";
      form.querySelector("button[type=submit]").disabled = false;
    });
    // A changed filter applies at once (the Show button stays for keyboard users).
    form.querySelectorAll("select").forEach((select) => {
      select.addEventListener("change", () => form.requestSubmit());
    });
  }
  const status = document.querySelector(".download-note");
  document.querySelectorAll("a.download").forEach((link) => {
    link.addEventListener("click", async (event) => {
      if (!window.fetch || !status) return;
      event.preventDefault();
      const what = link.dataset.what || "the file";
      const started = Date.now();
      status.textContent = `Preparing ${what}…`;
      link.setAttribute("aria-busy", "true");
      const tick = setInterval(() => {
        const seconds = Math.round((Date.now() - started) / 1000);
        status.textContent = `Preparing ${what}… ${seconds} s`;
      }, 1000);
      try {
        const answer = await fetch(link.href, { credentials: "same-origin" });
        if (!answer.ok) {
          const text = await answer.text();
          const reason = new DOMParser().parseFromString(text, "text/html").body.textContent;
          status.textContent = `Could not prepare ${what}: ${reason.trim()}`;
          return;
        }
        const blob = await answer.blob();
        const disposition = answer.headers.get("Content-Disposition") || "";
        const match = disposition.match(/filename="([^"]+)"/);
        const save = document.createElement("a");
        save.href = URL.createObjectURL(blob);
        save.download = match ? match[1] : "download";
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(save.href), 10000);
        status.textContent = `Downloaded ${what}.`;
      } catch (error) {
        status.textContent = `Could not prepare ${what}: ${error}`;
      } finally {
        clearInterval(tick);
        link.removeAttribute("aria-busy");
      }
    });
  });
})();
