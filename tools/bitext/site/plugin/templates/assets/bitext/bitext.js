/* bitext: the "show all originals" toggle (remembered across pages) and tap to
   reveal one original.  Hover and keyboard focus work from the stylesheet alone;
   without this script the page stays plain translated text. */
(function () {
  "use strict";
  var KEY = "bitext.originals";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false;
    }
  }

  function show(on) {
    root.classList.toggle("bt-originals", on);
    document.querySelectorAll(".bt-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  show(remembered());
  document.querySelectorAll(".bt-toggle").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = !root.classList.contains("bt-originals");
      try {
        window.localStorage.setItem(KEY, on ? "1" : "0");
      } catch (e) {
        /* private mode: the choice lasts for this page only */
      }
      show(on);
    });
  });

  function close(except) {
    document.querySelectorAll(".bt.bt-open").forEach(function (el) {
      if (el !== except) {
        el.classList.remove("bt-open");
      }
    });
  }

  /* Under the sentence's last line, from that line's start, and inside the
     viewport (the stylesheet alone anchors it at the sentence's first word). */
  function place(segment) {
    var original = segment.querySelector(":scope > .bt-s");
    var lines = segment.getClientRects();
    if (!original || !lines.length) {
      return;
    }
    var left = lines[lines.length - 1].left - lines[0].left;
    original.style.left = left + "px";
    var box = original.getBoundingClientRect();
    var overflow = box.right - document.documentElement.clientWidth + 8;
    if (box.width && overflow > 0) {
      original.style.left = left - Math.min(overflow, box.left - 8) + "px";
    }
  }

  document.addEventListener("click", function (event) {
    var segment = event.target.closest ? event.target.closest(".bt") : null;
    if (!segment || event.target.closest("a")) {
      close(null);
      return;
    }
    close(segment);
    segment.classList.toggle("bt-open");
    place(segment);
  });

  document.addEventListener("mouseover", function (event) {
    var segment = event.target.closest ? event.target.closest(".bt") : null;
    if (segment) {
      place(segment);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("bt")) {
      place(event.target);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close(null);
      var active = document.activeElement;
      if (active && active.classList.contains("bt")) {
        active.blur();
      }
    }
  });
})();
