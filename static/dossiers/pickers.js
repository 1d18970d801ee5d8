// Type-to-search pickers: a text field with `data-picker` (set here from the form's data attributes) offers the
// dossier's products or suppliers as its list; picking one fills the fields named in the mapping, which stay
// editable. Works on rows added later (invoice lines). Without JavaScript the fields are plain text fields.
(() => {
  const DELAY = 200;

  function attach(input, url, fill) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "1";
    const list = document.createElement("datalist");
    list.id = `picker-${Math.random().toString(36).slice(2)}`;
    input.after(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    let results = [];
    let timer = null;
    input.addEventListener("input", () => {
      const picked = results.find((result) => result.label === input.value);
      if (picked) {
        fill(input, picked);
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const query = input.value.trim();
        if (query.length < 1) return;
        const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, { credentials: "same-origin" });
        if (!response.ok) return;
        results = (await response.json()).results;
        list.replaceChildren(
          ...results.map((result) => {
            const option = document.createElement("option");
            option.value = result.label;
            return option;
          }),
        );
      }, DELAY);
    });
  }

  function setField(field, value) {
    if (!field || value === undefined || value === null) return;
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Invoice lines: the description picks a product (name, unit, unit price, VAT rate of the same row).
  document.querySelectorAll("form[data-product-search]").forEach((form) => {
    const url = form.dataset.productSearch;
    const fillLine = (input, product) => {
      const prefix = input.name.replace(/description$/, "");
      input.value = product.name;
      setField(form.elements[`${prefix}unit`], product.unit);
      setField(form.elements[`${prefix}unit_price`], product.unit_price);
      setField(form.elements[`${prefix}vat_rate`], product.vat_rate);
    };
    const scan = () =>
      form.querySelectorAll('[data-formset="lines"] input[name$="-description"]').forEach((input) => {
        if (!input.name.includes("__prefix__")) attach(input, url, fillLine);
      });
    scan();
    const observer = new MutationObserver(scan); // rows added with "Add a row"
    form.querySelectorAll('[data-formset="lines"] tbody').forEach((body) => observer.observe(body, { childList: true }));
  });

  // Quick entry: the supplier's name picks a supplier (name, VAT number, address, IBAN).
  document.querySelectorAll("form[data-supplier-search]").forEach((form) => {
    const input = form.elements.supplier_name;
    if (!input) return;
    attach(input, form.dataset.supplierSearch, (field, supplier) => {
      field.value = supplier.name;
      setField(form.elements.supplier_vat, supplier.vat_number);
      setField(form.elements.supplier_street, supplier.street);
      setField(form.elements.supplier_postal_code, supplier.postal_code);
      setField(form.elements.supplier_city, supplier.city);
      setField(form.elements.supplier_iban, supplier.iban);
    });
  });
})();
