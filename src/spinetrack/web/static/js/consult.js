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
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.name.startsWith("flag_")) {
      update(target.value === "yes");
    }
  });
  update(false);
})();
