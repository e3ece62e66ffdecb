// Progressive enhancement of the consultation screening: the moment a warning sign is answered
// "yes", show the instruction to get care now, at the top, before anything else on the page.
// Without JavaScript the next screen opens with the same instruction.
"use strict";
(function () {
  const order = ["emergency", "same_day"];
  function update(focus) {
    const raised = Array.from(document.querySelectorAll("input[data-urgency]:checked"))
      .map((input) => input.dataset.urgency);
    const top = order.find((urgency) => raised.includes(urgency));
    document.querySelectorAll("section.emergency[data-urgency]").forEach((box) => {
      box.hidden = box.dataset.urgency !== top;
      if (!box.hidden && focus) {
        box.setAttribute("tabindex", "-1");
        box.scrollIntoView({ behavior: "smooth", block: "start" });
      }
    });
  }
  // A question answered after a refusal is no longer missing: its message and its line in the
  // summary go, and the summary goes with its last line, so nothing stale stays on screen.
  function answered(input) {
    const id = input.name === "region" ? "region" : input.name.slice("flag_".length);
    const error = document.getElementById(id + "-error");
    if (error) {
      error.remove();
      document.querySelectorAll("[aria-describedby='" + id + "-error']")
        .forEach((holder) => holder.removeAttribute("aria-describedby"));
    }
    const target = id === "region" ? "#region-neck" : "#" + id + "-yes";
    const link = document.querySelector("#error-summary a[href='" + target + "']");
    if (link && link.closest("li")) link.closest("li").remove();
    const summary = document.getElementById("error-summary");
    if (summary && !summary.querySelector("li")) summary.remove();
  }
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.name.startsWith("flag_") || target.name === "region") answered(target);
    if (target.name.startsWith("flag_")) update(target.value === "yes");
  });
  update(false);
})();
