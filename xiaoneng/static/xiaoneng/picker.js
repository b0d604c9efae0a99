// The pickers (core/widgets.py): a search box whose results the server finds, the chosen
// values as chips, each with a hidden input of the field's name, so the form posts what a
// <select> posted. The ARIA combobox pattern: Down opens the list and moves through it,
// Up moves back, Enter chooses, Escape closes (and then clears the text); Backspace in an
// empty box removes the last chip. No inline script (the CSP forbids it), no framework.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function Picker(root) {
    this.root = root;
    this.input = root.querySelector(".picker-input");
    this.list = root.querySelector(".picker-list");
    this.chips = root.querySelector(".picker-chips");
    this.note = root.querySelector(".picker-note");
    this.name = root.getAttribute("data-name");
    this.multiple = root.hasAttribute("data-multiple");
    this.source = root.getAttribute("data-source");
    this.depends = root.getAttribute("data-depends");
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.seq = 0;
    this.bind();
  }

  Picker.prototype.text = function (key, n) {
    return (this.root.getAttribute("data-text-" + key) || "").replace("{n}", n);
  };

  Picker.prototype.values = function () {
    var inputs = this.chips.querySelectorAll('input[type="hidden"]');
    return Array.prototype.map.call(inputs, function (i) { return i.value; });
  };

  Picker.prototype.form = function () {
    return this.root.closest("form");
  };

  // The value of the field this one depends on (the lead unit for the responsible person).
  Picker.prototype.dependsOn = function () {
    var form = this.form();
    if (!this.depends || !form) return null;
    var input = form.querySelector('input[type="hidden"][name="' + this.depends + '"]');
    return input ? input.value : "";
  };

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("click", function () {
      if (self.list.hidden) self.fetch();
    });
    this.input.addEventListener("keydown", function (e) { self.key(e); });
    this.input.addEventListener("blur", function () {
      self.cancel();
      window.setTimeout(function () { self.close(); }, 150);
    });
    // mousedown, not click: choosing must happen before the box loses focus.
    this.list.addEventListener("mousedown", function (e) {
      var option = e.target.closest('[role="option"]');
      if (!option) return;
      e.preventDefault();
      self.choose(Number(option.getAttribute("data-index")));
    });
    this.chips.addEventListener("click", function (e) {
      var button = e.target.closest(".picker-remove");
      if (!button) return;
      self.remove(button.closest(".picker-chip"));
      self.input.focus();
    });
  };

  Picker.prototype.key = function (e) {
    var open = !this.list.hidden;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) this.fetch();
      else this.move(1);
    } else if (e.key === "ArrowUp") {
      if (open) {
        e.preventDefault();
        this.move(-1);
      }
    } else if (e.key === "Enter") {
      if (open) {
        e.preventDefault(); // choosing is not sending the form
        if (this.active >= 0) this.choose(this.active);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        this.cancel();
        this.close();
      } else if (this.input.value) {
        e.preventDefault();
        this.input.value = "";
      }
    } else if (e.key === "Backspace" && !this.input.value && this.multiple) {
      var chips = this.chips.querySelectorAll(".picker-chip");
      if (chips.length) this.remove(chips[chips.length - 1]);
    }
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, 150);
  };

  Picker.prototype.fetch = function () {
    var self = this;
    var params = new URLSearchParams();
    params.set("q", this.input.value.trim());
    if (this.depends) {
      var unit = this.dependsOn();
      if (!unit) {
        this.show([], this.text("needs"));
        return;
      }
      params.set("unit", unit);
    }
    var url = this.source + (this.source.indexOf("?") >= 0 ? "&" : "?") + params.toString();
    var seq = ++this.seq;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (data) {
        // A later search answered first, or the box was left meanwhile.
        if (seq !== self.seq || document.activeElement !== self.input) return;
        var chosen = self.values();
        var results = (data.results || []).filter(function (r) {
          return chosen.indexOf(String(self.valueOf(r))) < 0;
        });
        var note = results.length ? self.text("count", results.length) : self.text("none");
        if (data.more) note = self.text("more", results.length);
        self.show(results, note);
      })
      .catch(function () {
        if (seq === self.seq) self.show([], self.text("error"));
      });
  };

  Picker.prototype.valueOf = function (result) {
    return result.value !== undefined ? result.value : result.id;
  };

  Picker.prototype.show = function (results, note) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.list.textContent = "";
    results.forEach(function (result, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = self.input.id + "_opt_" + i;
      li.setAttribute("data-index", String(i));
      li.setAttribute("aria-selected", "false");
      li.textContent = result.label;
      self.list.appendChild(li);
    });
    this.list.hidden = results.length === 0;
    this.input.setAttribute("aria-expanded", results.length ? "true" : "false");
    this.input.removeAttribute("aria-activedescendant");
    this.note.textContent = note || "";
    // On a phone the list may open below the fold: bring it into view.
    if (results.length && this.list.scrollIntoView) this.list.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.move = function (step) {
    var options = this.list.querySelectorAll('[role="option"]');
    if (!options.length) return;
    if (this.active >= 0) options[this.active].setAttribute("aria-selected", "false");
    this.active = (this.active + step + options.length) % options.length;
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  // A search scheduled or under way is dropped: its answer must not reopen the list.
  Picker.prototype.cancel = function () {
    window.clearTimeout(this.timer);
    this.seq++;
  };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.chip = function (value, label) {
    var li = document.createElement("li");
    li.className = "picker-chip";
    var span = document.createElement("span");
    span.textContent = label;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "picker-remove";
    button.setAttribute("aria-label", this.text("remove") + "：" + label);
    button.textContent = "×";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.name;
    hidden.value = value;
    li.appendChild(span);
    li.appendChild(button);
    li.appendChild(hidden);
    return li;
  };

  Picker.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) return;
    this.cancel();
    if (!this.multiple) this.chips.textContent = "";
    this.chips.appendChild(this.chip(String(this.valueOf(result)), result.label));
    this.chips.hidden = false;
    this.input.value = "";
    this.close();
    this.note.textContent = "";
    this.changed();
  };

  Picker.prototype.remove = function (chip) {
    if (!chip) return;
    chip.parentNode.removeChild(chip);
    this.chips.hidden = !this.chips.querySelector(".picker-chip");
    this.changed();
  };

  Picker.prototype.clear = function () {
    this.chips.textContent = "";
    this.chips.hidden = true;
  };

  Picker.prototype.changed = function () {
    this.root.dispatchEvent(
      new CustomEvent("picker:change", { bubbles: true, detail: { name: this.name } })
    );
    if (this.root.hasAttribute("data-autosubmit-picker") && this.form()) {
      this.form().requestSubmit();
    }
  };

  ready(function () {
    var pickers = Array.prototype.map.call(
      document.querySelectorAll("[data-picker]"),
      function (root) { return new Picker(root); }
    );
    // A picker that depends on another field (the responsible person on the lead unit)
    // forgets its choice when that field changes: the person must belong to the new unit.
    document.addEventListener("picker:change", function (e) {
      pickers.forEach(function (p) {
        if (p.depends && p.depends === e.detail.name && p.form() === e.target.closest("form")) {
          p.clear();
        }
      });
    });
  });
})();
