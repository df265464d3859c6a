// Progressive enhancement for the booking pages; everything works without it.
(function () {
  "use strict";
  var root = document.querySelector(".booking");

  function visitorZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  function withParams(href, params) {
    var url = new URL(href, location.href);
    Object.keys(params).forEach(function (key) {
      if (params[key]) { url.searchParams.set(key, params[key]); } else { url.searchParams.delete(key); }
    });
    return url.pathname + url.search;
  }

  // Confirm destructive buttons.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); return; }
      var confirmed = button.form && button.form.querySelector('input[name="confirm"]');
      if (confirmed) { confirmed.value = "yes"; }
    });
  });

  if (!root) { return; }
  var picker = document.getElementById("tz");

  // Show times in the visitor's own zone unless they picked one.
  var zone = visitorZone();
  if (root.dataset.tzGiven === "no" && zone && zone !== root.dataset.tz) {
    location.replace(withParams(location.href, { tz: zone }));
    return;
  }

  // The zone search: the whole list (with offsets) arrives on first focus; picking one shows it.
  if (picker) {
    var loaded = false;
    picker.addEventListener("focus", function () {
      if (loaded) { return; }
      loaded = true;
      var month = new URL(location.href).searchParams.get("date") || "";
      fetch("/api/zones" + (month ? "?date=" + encodeURIComponent(month) : ""))
        .then(function (response) { return response.ok ? response.json() : { zones: [] }; })
        .then(function (data) {
          var list = document.getElementById("zones");
          var fragment = document.createDocumentFragment();
          data.zones.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            fragment.appendChild(option);
          });
          list.textContent = "";
          list.appendChild(fragment);
        })
        .catch(function () { loaded = false; });
    });
    picker.addEventListener("change", function () {
      var options = document.querySelectorAll("#zones option");
      for (var i = 0; i < options.length; i++) {
        if (options[i].value === picker.value) { picker.form.submit(); return; }
      }
    });
  }

  var hour12 = root.dataset.hour12 === "yes";
  function timeLabel(iso, tz) {
    return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", hour12: hour12, timeZone: tz })
      .format(new Date(iso));
  }

  function dayTitle(date) {
    var parts = date.split("-").map(Number);
    return new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
      .format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
  }

  function renderDay(date, slots, tz) {
    var day = document.getElementById("day");
    var pass = new URL(location.href).searchParams.get("pass") || "";
    day.textContent = "";
    var title = document.createElement("h2");
    title.id = "day-title";
    title.textContent = dayTitle(date);
    day.appendChild(title);
    if (!slots.length) {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = "No free times on this day.";
      day.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    list.className = "slot-grid";
    list.setAttribute("role", "list");
    list.setAttribute("aria-labelledby", "day-title");
    slots.forEach(function (slot) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "button slot";
      var clock = new URL(location.href).searchParams.get("clock") || "";
      link.href = withParams(root.dataset.base, { tz: tz, date: date, slot: slot.start, pass: pass, clock: clock }) + "#confirm";
      link.textContent = timeLabel(slot.start, tz);
      item.appendChild(link);
      list.appendChild(item);
    });
    day.appendChild(list);
  }

  // Pick a day without reloading the page.
  document.querySelectorAll("a[data-day]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var date = link.dataset.day;
      var tz = root.dataset.tz;
      var api = "/api/availability/slots?" + new URLSearchParams({
        coach: root.dataset.coach, type: root.dataset.type, date: date, days: "1", tz: tz
      });
      event.preventDefault();
      fetch(api, { headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (data) {
          document.querySelectorAll("a[data-day][aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
          link.setAttribute("aria-current", "date");
          var confirm = document.getElementById("confirm");
          if (confirm) { confirm.remove(); }
          renderDay(date, data.slots, tz);
          history.pushState({}, "", withParams(location.href, { date: date, slot: "" }));
          var first = document.querySelector("#day .slot");
          if (first) { first.focus(); }
        })
        .catch(function () { location.href = link.href; });
    });
  });

  // Arrow keys move between times in the grid.
  document.addEventListener("keydown", function (event) {
    var current = document.activeElement;
    if (!current || !current.classList.contains("slot")) { return; }
    var slots = Array.prototype.slice.call(document.querySelectorAll("#day .slot"));
    var index = slots.indexOf(current);
    var columns = Math.max(1, Math.round(current.parentElement.parentElement.clientWidth / current.parentElement.clientWidth));
    var step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
    if (step === undefined) { return; }
    var next = slots[index + step];
    if (next) { event.preventDefault(); next.focus(); }
  });
})();
