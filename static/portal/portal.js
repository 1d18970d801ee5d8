// Behaviour shared by every page (loaded deferred from base.html; no inline scripts, for the Content-Security-Policy):
// the collapsing menu, focus on the first error, buttons that show progress and cannot send a form twice, tables
// that scroll in their own box, and date fields written the page's way (dd/mm/jjjj, jj/mm/aaaa) whatever the
// browser's own locale. Every page works without it.
(() => {
  const root = document.documentElement;
  const texts = document.body.dataset;
  root.classList.add("js");

  // Menu: a button opens and closes it on a narrow screen (CSS hides the button on a wide one).
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
    });
  }

  // After a failed submit: mark the fields in error and move the focus to the first one (or its message).
  document.querySelectorAll(".has-error").forEach((field) => {
    const input = field.querySelector("input, select, textarea");
    const message = field.querySelector(".error");
    if (!input) return;
    input.setAttribute("aria-invalid", "true");
    if (message && message.id) input.setAttribute("aria-describedby", message.id);
  });
  document.querySelectorAll("td .error").forEach((message) => {
    const input = message.parentElement.querySelector("input, select, textarea");
    if (input) input.setAttribute("aria-invalid", "true");
  });
  const main = document.getElementById("main");
  const firstError = main && main.querySelector("[aria-invalid=true], form .error, form [role=alert]");
  if (firstError) {
    if (!firstError.matches("input, select, textarea")) firstError.setAttribute("tabindex", "-1");
    firstError.focus();
  }

  // Busy buttons: a form that is being sent shows a spinner on its button and refuses a second submit.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if ((form.method || "").toLowerCase() !== "post" || form.hasAttribute("data-no-busy")) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    const button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      button.classList.add("busy");
      button.setAttribute("aria-disabled", "true");
      if (texts.sendingLabel) button.setAttribute("aria-label", `${button.textContent.trim()} (${texts.sendingLabel})`);
    }
    // A form with a progress line (sign-up's confirmation) says what is happening when the answer is slow.
    const progress = form.querySelector("[data-progress]");
    if (progress) {
      const show = () => (progress.textContent = progress.dataset.progress);
      progressTimers.set(form, window.setTimeout(show, 1000));
    }
    // A response that is a download leaves the page in place: give the form back after a while.
    window.setTimeout(() => release(form), 20000);
  });
  const progressTimers = new Map();
  const release = (form) => {
    delete form.dataset.sending;
    window.clearTimeout(progressTimers.get(form));
    form.querySelectorAll("[data-progress]").forEach((progress) => (progress.textContent = ""));
    form.querySelectorAll(".busy").forEach((button) => {
      button.classList.remove("busy");
      button.removeAttribute("aria-disabled");
      button.removeAttribute("aria-label");
    });
  };
  window.addEventListener("pageshow", () => document.querySelectorAll("form[data-sending]").forEach(release));

  // Tables wider than the screen scroll inside their box; keyboard users can scroll them too.
  const markScrollable = () => {
    document.querySelectorAll(".table, .formset-table").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // Dates: the browser's own date input shows its own locale's order (mm/dd/yyyy in an English Chromium). Show a
  // text field in the page's order instead, with a calendar button, and send ISO dates (which every form accepts).
  const pattern = texts.datePattern || "dd/mm/yyyy";
  const toLocal = (iso) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
  };
  const toIso = (local) => {
    const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(local);
    return match ? `${match[3]}-${match[2].padStart(2, "0")}-${match[1].padStart(2, "0")}` : local;
  };
  document.querySelectorAll("input[type=date]").forEach((input) => {
    const picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    input.type = "text";
    input.classList.add("date");
    input.value = toLocal(input.value);
    input.placeholder = pattern;
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "off");
    const wrap = document.createElement("span");
    wrap.className = "date-field";
    input.replaceWith(wrap);
    wrap.append(input, picker);
    if (typeof picker.showPicker === "function") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.innerHTML = '<span class="icon icon-calendar" aria-hidden="true"></span>';
      button.setAttribute("aria-label", texts.chooseDate || "Choose a date");
      button.addEventListener("click", () => {
        picker.value = toIso(input.value);
        picker.showPicker();
      });
      picker.addEventListener("change", () => {
        input.value = toLocal(picker.value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      wrap.append(button);
    }
    if (input.form) input.form.addEventListener("submit", () => (input.value = toIso(input.value)));
  });
})();

// A checkbox with data-select-all="NAME" ticks or clears every checkbox named NAME.
document.querySelectorAll("[data-select-all]").forEach((all) => {
  all.addEventListener("change", () => {
    const name = all.getAttribute("data-select-all");
    document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
      box.checked = all.checked;
    });
  });
});
