// Times on the sessions page in the reader's own zone: the page asks with ?tz=.
// Without this script, times stay in the coalition's zone, and the page says which.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (params.has("tz") || !zone) {
    return;
  }
  params.set("tz", zone);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();
