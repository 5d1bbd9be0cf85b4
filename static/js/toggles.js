// Bootstrap's collapse and dropdown toggles for the markup Bootstrap documents
// (data-bs-toggle="collapse" with data-bs-target, data-bs-toggle="dropdown" beside a
// .dropdown-menu), in place of the 81 KB bootstrap.bundle.js the pages used only for this.
(() => {
  const closeDropdowns = (except) => {
    document.querySelectorAll('[data-bs-toggle="dropdown"][aria-expanded="true"]').forEach((toggle) => {
      if (toggle === except) return;
      toggle.setAttribute("aria-expanded", "false");
      toggle.parentElement.querySelector(".dropdown-menu")?.classList.remove("show");
    });
  };

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest('[data-bs-toggle="collapse"], [data-bs-toggle="dropdown"]');
    if (!toggle) {
      if (!event.target.closest(".dropdown-menu")) closeDropdowns(null);
      return;
    }
    event.preventDefault();
    if (toggle.dataset.bsToggle === "collapse") {
      const target = document.querySelector(toggle.dataset.bsTarget || toggle.getAttribute("href"));
      if (!target) return;
      const open = target.classList.toggle("show");
      document.querySelectorAll(`[data-bs-target="#${target.id}"], [href="#${target.id}"]`).forEach((t) => {
        t.setAttribute("aria-expanded", String(open));
        t.classList.toggle("collapsed", !open);
      });
      return;
    }
    const menu = toggle.parentElement.querySelector(".dropdown-menu");
    if (!menu) return;
    closeDropdowns(toggle);
    const open = menu.classList.toggle("show");
    toggle.setAttribute("aria-expanded", String(open));
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = document.querySelector('[data-bs-toggle="dropdown"][aria-expanded="true"]');
    if (open) {
      closeDropdowns(null);
      open.focus();
    }
  });
})();
