// Running totals of the sales form, per VAT rate and overall, as lines are typed. Only a guide: the server's
// calculation on save is the truth. Amounts are read as Belgians type them (1.234,56 or 1234.56).
(() => {
  const form = document.querySelector("form[data-running-totals]");
  const box = document.getElementById("running-totals");
  if (!form || !box) return;
  box.hidden = false;
  const money = new Intl.NumberFormat(document.documentElement.lang || "nl", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

  function amount(text) {
    let value = String(text || "").replace(/[\s\u00a0€]/g, "");
    if (value.includes(",") && value.includes(".")) value = value.replace(/\./g, "").replace(",", ".");
    else value = value.replace(",", ".");
    const number = Number(value);
    return Number.isFinite(number) ? number : 0;
  }

  const cents = (value) => Math.round(value * 100);

  function rows(prefix) {
    const total = Number(form.elements[`${prefix}-TOTAL_FORMS`]?.value || 0);
    const field = (index, name) => form.elements[`${prefix}-${index}-${name}`];
    return Array.from({ length: total }, (_unused, index) => (name) => field(index, name)?.value ?? "");
  }

  function update() {
    const bases = new Map(); // VAT rate -> cents excl. VAT
    const add = (rate, exempt, value) => {
      const key = exempt ? "0" : rate;
      bases.set(key, (bases.get(key) || 0) + value);
    };
    for (const line of rows("lines")) {
      if (!line("description") && !line("quantity") && !line("unit_price")) continue;
      const net = amount(line("quantity")) * amount(line("unit_price")) * (1 - amount(line("discount_percent")) / 100);
      add(line("vat_rate") || "21", line("exemption"), cents(net));
    }
    for (const row of rows("adjustments")) {
      if (!row("amount")) continue;
      const value = cents(amount(row("amount")));
      add(row("vat_rate") || "21", row("exemption"), row("is_charge") === "charge" ? value : -value);
    }
    const body = box.querySelector("tbody");
    let excl = 0;
    let vat = 0;
    const lines = [...bases.entries()]
      .sort((a, b) => Number(b[0]) - Number(a[0]))
      .map(([rate, base]) => {
        const tax = Math.round((base * Number(rate)) / 100);
        excl += base;
        vat += tax;
        const row = document.createElement("tr");
        for (const text of [`${rate}%`, money.format(base / 100), money.format(tax / 100)]) {
          const cell = document.createElement("td");
          cell.textContent = text;
          row.append(cell);
        }
        row.children[1].className = row.children[2].className = "num";
        return row;
      });
    body.replaceChildren(...lines);
    box.querySelector("[data-total-excl]").textContent = money.format(excl / 100);
    box.querySelector("[data-total-vat]").textContent = money.format(vat / 100);
    box.querySelector("[data-total]").textContent = money.format((excl + vat) / 100);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  // Rows added with "Add a row" (not the totals' own table: observing it would loop).
  const observer = new MutationObserver(update);
  form.querySelectorAll("[data-formset] tbody").forEach((body) => observer.observe(body, { childList: true }));
  update();
})();
