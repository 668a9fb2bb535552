// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  function setTextSize(size) {
    var root = document.documentElement;
    root.className = root.className.replace(/\btext-size-\d\b/g, "").trim() + " text-size-" + size;
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "text_size=" + size + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
    document.querySelectorAll(".text-size button[name=size]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === size ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".text-size button[name=size]");
    if (!button) {
      return;
    }
    event.preventDefault();
    setTextSize(button.value);
  });

  // Forms marked data-confirm ask before submitting (e.g. deleting a post).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

// Crisis panels while composing: the rules of forum/crisis.py, sent by the server in
// data-crisis-phrases, run on each keystroke and show the panel of each kind found (self-harm:
// crisis lines; medical emergency: call now). The server reads the post again when it is
// saved and shows the panels after posting; nothing is ever blocked.
(function () {
  "use strict";

  function compile(source) {
    return source ? new RegExp(source, "g") : null;
  }

  function escapeWord(word) {
    return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/'/g, "'?");
  }

  // A configured phrase: any spacing, the apostrophe optional, whole words (as phrase_pattern).
  function phrasePattern(phrase) {
    var words = phrase.toLowerCase().split(/\s+/).filter(Boolean).map(escapeWord);
    return words.length ? words.join("\\s+") + "\\b" : "";
  }

  function startsWord(text, index) {
    return index === 0 || !/[\w']/.test(text.charAt(index - 1));
  }

  // Where the pattern first matches from the start of a word, at or after `start`; -1 if not.
  function wordMatch(pattern, text, start) {
    var match;
    pattern.lastIndex = start;
    while ((match = pattern.exec(text)) !== null) {
      if (startsWord(text, match.index)) {
        return match.index;
      }
      pattern.lastIndex = match.index + 1;
    }
    return -1;
  }

  function crisisReader(rules) {
    var personal = compile(rules.personal);
    var negation = new RegExp(rules.negation);
    var clause = new RegExp(rules.clause);
    var sentences = new RegExp(rules.sentence);
    var kinds = rules.kinds.map(function (kind) {
      var statements = kind.phrases.map(phrasePattern).filter(Boolean).concat(kind.patterns);
      return {
        kind: kind.kind,
        searches: [[true, compile(statements.join("|"))], [false, compile(kind.topics)]],
        informational: compile(kind.informational),
        acute: compile(kind.acute),
        past: compile(kind.past)
      };
    });

    function found(pattern, sentence) {
      return pattern !== null && wordMatch(pattern, sentence, 0) !== -1;
    }

    function negated(sentence, index) {
      var window = sentence.slice(Math.max(0, index - rules.negationWindow), index);
      var parts = window.split(clause);
      return negation.test(parts[parts.length - 1]);
    }

    function fires(kind, sentence) {
      var frame = null;
      return kind.searches.some(function (search) {
        var isStatement = search[0];
        var position = 0;
        var index;
        while ((index = wordMatch(search[1], sentence, position)) !== -1) {
          frame = frame || {
            past: found(kind.past, sentence),
            general: found(kind.informational, sentence),
            now: kind.acute === null || found(kind.acute, sentence),
            personal: found(personal, sentence)
          };
          var counts = !frame.past && (isStatement
            ? kind.acute === null || frame.now || !frame.general
            : frame.now && !frame.general && frame.personal);
          if (!counts) {
            return false;
          }
          if (!negated(sentence, index)) {
            return true;
          }
          position = index + 1;
        }
        return false;
      });
    }

    return function (text) {
      var parts = text.replace(/\u2019/g, "'").toLowerCase().split(sentences);
      return kinds.filter(function (kind) {
        return parts.some(function (sentence) {
          return fires(kind, sentence);
        });
      }).map(function (kind) {
        return kind.kind;
      });
    };
  }

  document.querySelectorAll("form.compose[data-crisis-phrases]").forEach(function (form) {
    var read;
    try {
      read = crisisReader(JSON.parse(form.getAttribute("data-crisis-phrases")));
    } catch (error) {
      return;
    }
    var container = document.getElementById(form.getAttribute("data-crisis-panel"));
    var body = form.querySelector("textarea");
    if (!container || !body) {
      return;
    }
    var panels = container.querySelectorAll("[data-crisis-kind]");
    body.addEventListener("input", function () {
      var kinds = read(body.value);
      panels.forEach(function (panel) {
        panel.hidden = kinds.indexOf(panel.getAttribute("data-crisis-kind")) === -1;
      });
    });
  });
})();
