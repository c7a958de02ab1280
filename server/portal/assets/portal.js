// Progressive enhancement of the contact form: solves the proof-of-work challenge (the ALTCHA
// scheme: find n with SHA-256(salt + n) == challenge) in the background with Web Crypto and
// fills pow_number. Without JavaScript the form still works (the server then counts the request
// as unverified). No third-party requests, no storage, no cookies.
(function () {
  'use strict';
  // The contact form and the events self-registration form carry a challenge.
  var form = document.querySelector('form[data-pow-max]');
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var salt = form.elements.pow_salt.value;
  var challenge = form.elements.pow_challenge.value;
  var max = parseInt(form.getAttribute('data-pow-max'), 10) || 0;
  var encoder = new TextEncoder();
  var solved = null;
  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  var solving = (async function () {
    for (var n = 0; n <= max; n++) {
      var digest = await window.crypto.subtle.digest('SHA-256', encoder.encode(salt + n));
      if (hex(digest) === challenge) {
        solved = String(n);
        form.elements.pow_number.value = solved;
        return solved;
      }
    }
    return null;
  })();
  form.addEventListener('submit', function (event) {
    if (solved !== null || form.getAttribute('data-waiting')) return;
    event.preventDefault();
    form.setAttribute('data-waiting', '1');
    var button = form.querySelector('button[type="submit"]');
    if (button) button.setAttribute('aria-busy', 'true');
    solving.then(function () { form.submit(); }, function () { form.submit(); });
  });
})();
